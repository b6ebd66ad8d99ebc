import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from warta.language import api, backends
from warta.language.backends import MODEL_DIR, DefaultBackend
from warta.language.linear import LinearModelFile

# The n-gram model files; `sentiment_encoder.npz` is the second pass's head (test_encoder).
MODEL_FILES = sorted(p for p in MODEL_DIR.glob("*.npz") if p.stem != "sentiment_encoder")


def test_it_ships_every_model_with_a_card_and_within_the_size_budget() -> None:
    names = {p.stem for p in MODEL_FILES}
    assert names == {"sentiment", "abuse", "intent", "posts"}
    for path in MODEL_FILES:
        assert (MODEL_DIR / f"{path.stem}.md").exists()
    assert sum(p.stat().st_size for p in MODEL_DIR.glob("*.npz")) <= 25 * 1024 * 1024
    assert "CC BY-NC-SA 4.0" in (MODEL_DIR / "abuse.md").read_text()


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_it_stores_weights_as_plain_arrays_loadable_without_pickle(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    with np.load(path, allow_pickle=False) as data:
        # Reading every array with pickle forbidden proves none needs it.
        for name in data.files:
            assert not data[name].dtype.hasobject, name
        meta = json.loads(bytes(data["meta"]).decode())
    assert meta["heads"] and meta["licence"]
    LinearModelFile(path)


def test_it_falls_back_to_rules_when_the_optional_abuse_model_is_absent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backend = DefaultBackend()
    monkeypatch.setattr(DefaultBackend, "abuse", None)
    result = backend.analyze(["dasar goblok", "makasih min"])
    assert result[0].abusive and not result[1].abusive
    assert not result[0].hate_speech


class EchoBackend:
    def analyze(self, texts):  # type: ignore[no-untyped-def]
        return [
            api.TextAnalysis("neutral", 0.0, False, False, "", "", "other", False, False)
            for _ in texts
        ]

    def classify_posts(self, captions):  # type: ignore[no-untyped-def]
        return ["other" for _ in captions]


class BrokenBackend:
    def __init__(self) -> None:
        raise FileNotFoundError("no local model at /srv/models/indobert")


def test_it_uses_a_configured_backend_and_falls_back_when_it_cannot_start(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WARTA_LANGUAGE_BACKEND = f"{__name__}.EchoBackend"
    backends.reset_backend()
    try:
        assert api.classify_posts(["Wali Kota meninjau banjir"]) == ["other"]
        settings.WARTA_LANGUAGE_BACKEND = f"{__name__}.BrokenBackend"
        backends.reset_backend()
        assert api.classify_posts(["Wali Kota meninjau banjir"]) == ["activity"]
    finally:
        backends.reset_backend()


def test_it_scores_the_same_when_its_word_cache_overflows(monkeypatch: pytest.MonkeyPatch) -> None:
    from warta.language import linear

    token_lists = [[f"kata{i}x{j}" for j in range(4)] + ["jalan", "rusak"] for i in range(300)]
    reference = LinearModelFile(MODEL_DIR / "intent.npz").scores(token_lists)
    monkeypatch.setattr(linear, "TABLE_ROWS", 60)
    small = LinearModelFile(MODEL_DIR / "intent.npz")
    assert np.allclose(small.scores(token_lists), reference, atol=1e-5)
    assert np.allclose(small.scores(token_lists[:3]), reference[:3], atol=1e-5)


def test_it_scores_a_lone_text_right_when_the_word_cache_fills_while_reading_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from warta.language import linear

    text = ["jalan", "rusak", "parah", *(f"kata{j}" for j in range(10))]
    reference = LinearModelFile(MODEL_DIR / "intent.npz").scores([text])
    monkeypatch.setattr(linear, "TABLE_ROWS", 50)
    small = LinearModelFile(MODEL_DIR / "intent.npz")
    small.scores([["jalan", "rusak"], [f"isi{i}" for i in range(40)]])
    assert np.allclose(small.scores([text]), reference, atol=1e-5)
