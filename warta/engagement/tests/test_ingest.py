"""Comments arrive from connectors and export files: stored once, annotated, threaded."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from warta.connectors.base import TransientError
from warta.content.models import Post, PostVariant
from warta.engagement import annotation
from warta.engagement.imports import inbox_import_file
from warta.engagement.ingest import (
    channel_sync_comments,
    inbox_annotate_backlog,
    inbox_annotate_pending,
    inbox_ingest,
)
from warta.engagement.models import ChannelSync, InboxItem
from warta.engagement.tests.fakes import FakePlatform, comment
from warta.testing.fixtures import World


def test_it_stores_each_comment_once_however_often_it_is_fetched(world: World) -> None:
    batch = [comment("c1", "Kapan vaksin dibuka?"), comment("c2", "Mantap, terima kasih")]
    first = inbox_ingest(channel=world.channel_a, comments=batch)
    again = inbox_ingest(channel=world.channel_a, comments=batch)
    assert (first.created, again.created) == (2, 0)
    assert InboxItem.objects.count() == 2
    item = InboxItem.objects.get(platform_item_id="c1")
    assert item.agency == world.agency_a
    assert (item.intent, item.sentiment, item.annotated_at is not None) == (
        "question",
        "neutral",
        True,
    )
    assert item.response_due_at is not None  # a question asks for an answer
    assert InboxItem.objects.get(platform_item_id="c2").response_due_at is None


def test_it_links_replies_to_parents_and_posts_in_any_order(world: World) -> None:
    post = Post.objects.create(agency=world.agency_a, message="Jadwal vaksin")
    variant = PostVariant.objects.create(post=post, channel=world.channel_a, platform_post_id="p1")
    # The reply arrives before its parent, in an earlier page.
    inbox_ingest(
        channel=world.channel_a, comments=[comment("r1", "Setuju", parent="c1", post="p1")]
    )
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment("c1", "Jalan rusak", post="p1"),
            comment("r2", "Iya", parent="c1", post="p1"),
        ],
    )
    parent = InboxItem.objects.get(platform_item_id="c1")
    assert parent.variant == variant
    assert set(parent.replies.values_list("platform_item_id", flat=True)) == {"r1", "r2"}


def test_it_takes_the_rest_when_a_concurrent_sync_stored_some_of_the_batch(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warta.engagement import ingest

    inbox_ingest(channel=world.channel_a, comments=[comment("c1", "Sudah disimpan")])
    # The first look-up misses c1, as when another sync stores it at the same moment.
    real = ingest._rows_by_platform_id
    calls: list[int] = []

    def racing(channel_id: int, pids: list[str], columns: str) -> list[tuple]:
        calls.append(1)
        return [] if len(calls) == 1 else real(channel_id, pids, columns)

    monkeypatch.setattr(ingest, "_rows_by_platform_id", racing)
    batch = [comment("c1", "Sudah disimpan"), comment("c2", "Baru")]
    assert inbox_ingest(channel=world.channel_a, comments=batch).created == 1
    assert sorted(InboxItem.objects.values_list("platform_item_id", flat=True)) == ["c1", "c2"]


def test_it_links_a_thread_that_arrives_in_one_batch_replies_first(world: World) -> None:
    # On PostgreSQL the ids are drawn before the insert, so these are linked as inserted.
    batch = [
        comment("r2", "Kapan?", parent="r1", kind="reply"),
        comment("r1", "Setuju", parent="c1", kind="reply"),
        comment("c1", "Jalan rusak"),
        comment("x1", "Balasan untuk yang belum datang", parent="c9", kind="reply"),
    ]
    assert inbox_ingest(channel=world.channel_a, comments=batch).created == 4
    items = {i.platform_item_id: i for i in InboxItem.objects.all()}
    assert items["r2"].parent_id == items["r1"].pk
    assert items["r1"].parent_id == items["c1"].pk
    assert items["c1"].parent_id is None and items["x1"].parent_id is None
    # The parent comes later: the waiting reply is linked then, and new rows get new ids.
    inbox_ingest(channel=world.channel_a, comments=[comment("c9", "Induk")])
    c9 = InboxItem.objects.get(platform_item_id="c9")
    assert InboxItem.objects.get(platform_item_id="x1").parent_id == c9.pk
    assert c9.pk > max(i.pk for i in items.values())
    # Drawn ids and the table's own default do not collide.
    assert (
        InboxItem.objects.create(
            agency=world.agency_a,
            channel=world.channel_a,
            platform_item_id="m1",
            text="x",
            received_at=c9.received_at,
        ).pk
        > c9.pk
    )


def test_it_syncs_page_by_page_and_resumes_after_a_failure(
    world: World, inbox_platform: FakePlatform
) -> None:
    inbox_platform.comments = [comment(f"c{i}", f"Komentar {i}", minutes=i) for i in range(5)]
    inbox_platform.page_size = 2
    assert channel_sync_comments(channel_id=world.channel_a.pk) == 5
    state = ChannelSync.objects.get(channel=world.channel_a)
    assert state.cursor == "" and state.since is not None and state.last_error == ""

    inbox_platform.comments.append(comment("c9", "Baru", minutes=60))
    inbox_platform.fetch_failures = [TransientError("batas laju")]
    assert channel_sync_comments(channel_id=world.channel_a.pk) == 0
    state.refresh_from_db()
    assert state.last_error == "batas laju"
    assert channel_sync_comments(channel_id=world.channel_a.pk) == 1
    assert InboxItem.objects.count() == 6


def test_it_keeps_comments_when_the_language_engine_is_missing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(annotation, "_language_api", lambda: None)
    inbox_ingest(channel=world.channel_a, comments=[comment("c1", "Kapan jalan diperbaiki?")])
    item = InboxItem.objects.get()
    assert item.annotated_at is None and item.intent == ""
    assert inbox_annotate_pending() == 0  # still missing: nothing changes

    monkeypatch.undo()
    from warta.engagement.tests.fakes import FakeLanguage

    monkeypatch.setattr(annotation, "_language_api", lambda: FakeLanguage())
    assert inbox_annotate_pending() == 1
    item.refresh_from_db()
    assert item.intent == "question" and item.response_due_at is not None


def test_the_annotation_task_drains_a_backlog_batch_after_batch(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warta.engagement.tests.fakes import FakeLanguage

    monkeypatch.setattr(annotation, "_language_api", lambda: None)
    texts = ["Kapan jalan diperbaiki?", "Mantap", "Lampu mati?", "Terima kasih", "Sampah?"]
    inbox_ingest(
        channel=world.channel_a, comments=[comment(f"c{i}", t) for i, t in enumerate(texts)]
    )
    monkeypatch.setattr(annotation, "_language_api", lambda: FakeLanguage())
    assert inbox_annotate_backlog(limit=2) == 5
    assert not InboxItem.objects.filter(annotated_at__isnull=True).exists()
    questions = InboxItem.objects.filter(intent="question")
    assert questions.count() == 3 and all(i.response_due_at for i in questions)
    assert inbox_annotate_backlog(limit=2) == 0


@time_machine.travel(datetime(2026, 11, 20, 3, 0, tzinfo=UTC), tick=False)
def test_it_sets_the_first_response_target_in_office_hours(world: World) -> None:
    # Friday 15:00 WITA: 8 office hours later is Monday 15:00 WITA.
    friday = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    inbox_ingest(channel=world.channel_a, comments=[comment("c1", "Kapan dibuka?", base=friday)])
    assert InboxItem.objects.get().response_due_at == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def test_it_imports_a_csv_export_reporting_bad_rows(world: World) -> None:
    csv_text = (
        "id,text,created_at,author_handle,post_id\n"
        "e1,Kapan dibuka?,2026-11-02 09:00,@ani,p1\n"
        ",tanpa id,2026-11-02 09:00,@x,\n"
        "e2,,2026-11-02 09:00,@x,\n"
        'e3,=HYPERLINK("http://x"),bukan tanggal,@x,\n'
        'e4,"<script>alert(1)</script>",2026-11-02T10:00:00+08:00,@budi,\n'
    )
    run = inbox_import_file(
        channel=world.channel_a, content=csv_text.encode(), filename="ekspor.csv", actor=world.alice
    )
    assert (run.rows_total, run.rows_created) == (5, 2)
    assert [e["row"] for e in run.errors] == [3, 4, 5]
    item = InboxItem.objects.get(platform_item_id="e1")
    # Local time without a zone is read in the region's zone (WITA, UTC+8).
    assert item.received_at == datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    assert InboxItem.objects.get(platform_item_id="e4").text == "<script>alert(1)</script>"
    again = inbox_import_file(
        channel=world.channel_a, content=csv_text.encode(), filename="ekspor.csv", actor=world.alice
    )
    assert again.rows_created == 0 and again.rows_skipped == 2


def test_it_imports_an_xlsx_export(world: World) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Komentar", "Waktu", "Akun"])
    sheet.append(["x1", "Lampu taman mati", datetime(2026, 11, 2, 9, 0), "@ani"])
    buffer = io.BytesIO()
    book.save(buffer)
    run = inbox_import_file(
        channel=world.channel_a,
        content=buffer.getvalue(),
        filename="ekspor.xlsx",
        actor=world.alice,
    )
    assert run.rows_created == 1 and run.errors == []


def test_it_imports_a_windows_csv_with_semicolons(world: World) -> None:
    # Indonesian Excel saves "CSV" as Windows-1252 with semicolons.
    csv_text = "ID;Komentar;Waktu\nw1;Jalan rusak di depan café;2026-11-02 09:00\n"
    run = inbox_import_file(
        channel=world.channel_a,
        content=csv_text.encode("cp1252"),
        filename="ekspor.csv",
        actor=world.alice,
    )
    assert run.rows_created == 1
    assert InboxItem.objects.get().text == "Jalan rusak di depan café"


def test_it_keeps_numeric_ids_from_a_spreadsheet_whole(world: World) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "text", "created_at"])
    sheet.append([17890000000001.0, "Halo", datetime(2026, 11, 2, 9, 0)])
    sheet.append([2.0, "Tanggal rusak", "99999999999999999999"])
    buffer = io.BytesIO()
    book.save(buffer)
    run = inbox_import_file(
        channel=world.channel_a, content=buffer.getvalue(), filename="e.xlsx", actor=world.alice
    )
    assert InboxItem.objects.get().platform_item_id == "17890000000001"
    assert [e["row"] for e in run.errors] == [3]


def test_it_rejects_a_file_it_cannot_read_and_changes_nothing(world: World) -> None:
    with pytest.raises(ValidationError, match="Kolom wajib"):
        inbox_import_file(
            channel=world.channel_a, content=b"a,b\n1,2\n", filename="x.csv", actor=world.alice
        )
    with pytest.raises(ValidationError, match="CSV atau XLSX"):
        inbox_import_file(
            channel=world.channel_a, content=b"x", filename="x.pdf", actor=world.alice
        )
    with pytest.raises(ValidationError, match="XLSX"):
        inbox_import_file(
            channel=world.channel_a, content=b"not a zip", filename="x.xlsx", actor=world.alice
        )
    with pytest.raises(ValidationError):
        inbox_import_file(
            channel=world.channel_b,
            content=b"id,text,created_at\n",
            filename="x.csv",
            actor=world.alice,
        )
    assert InboxItem.objects.count() == 0
