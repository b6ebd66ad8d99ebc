import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command


def _run(
    *args: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> list[dict]:
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("lang", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_analyses_texts_given_on_the_command_line() -> None:
    rows = _run("analyze", "makasih min", "jalan rusak parah")
    assert [r["sentiment"] for r in rows] == ["positive", "negative"]
    assert rows[0]["text"] == "makasih min"


def test_it_reads_a_file_and_stdin(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "komentar.txt"
    path.write_text("gk jelas bgt\nyg bener aja\n", encoding="utf-8")
    assert [r["normalized"] for r in _run("normalize", "--file", str(path))] == [
        "tidak jelas banget",
        "yang benar saja",
    ]
    rows = _run(
        "classify-post", stdin="PENGUMUMAN: jalan ditutup sementara\n", monkeypatch=monkeypatch
    )
    assert rows == [{"text": "PENGUMUMAN: jalan ditutup sementara", "category": "announcement"}]


def test_it_groups_themes(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _run("themes", "jalan rusak", "jalan rusak parah", "lampu mati", "--max-themes", "2")
    assert {tuple(r["member_indexes"]) for r in rows} == {(0, 1), (2,)}


def test_it_reports_a_missing_file_clearly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="tidak dapat dibuka"):
        call_command("lang", "analyze", "--file", str(tmp_path / "none.txt"))
