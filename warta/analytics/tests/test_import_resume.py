"""An import whose worker died part-way: the re-run (after the reaper) finishes it right.

A worker SIGKILLed mid-import leaves the job "running" with some chunks committed; the
stale-task reaper runs the task again. The person must then see every row imported
once, the true counts, progress that never goes backwards, and never "running" for ever.
The real kill is drilled in bench/faults/run.py; here the kill is an exception that
nothing in the import catches, raised after a chunk was committed.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings

from warta.analytics.imports import services
from warta.analytics.imports.services import metric_import_create, metric_import_process
from warta.analytics.models import MetricImport, MetricSnapshot
from warta.analytics.tasks import process_metric_import
from warta.channels.models import Channel
from warta.content.models import PostVariant

NOW = datetime(2026, 10, 30, 4, 0, tzinfo=UTC)
ROWS = 1200  # three chunks of 500, 500, 200


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so the import's error handling cannot see it."""


def _export(rows: int = ROWS, *, bad_every: int = 0) -> bytes:
    lines = ["Post ID,Publish time,Reach,Reactions,Comments,Shares"]
    for i in range(rows):
        reach = "banyak" if bad_every and i % bad_every == 0 else str(100 + i)
        lines.append(f"{9000 + i},10/01/2026 08:00,{reach},{i % 7},1,0")
    return "\n".join(lines).encode()


def _facebook(world) -> Channel:
    return Channel.objects.create(
        agency=world.agency_a, platform="facebook", handle="dinkes-fb", mode="export"
    )


def _killed_after(chunks: int):  # type: ignore[no-untyped-def]
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == chunks:
            raise Killed

    return progress


@time_machine.travel(NOW, tick=False)
def test_it_finishes_a_cut_off_import_with_every_row_once_and_true_counts(world) -> None:
    fb = _facebook(world)
    job = metric_import_create(
        channel=fb, data=_export(bad_every=100), filename="x.csv", actor=None
    )
    with pytest.raises(Killed):
        metric_import_process(import_id=job.pk, progress=_killed_after(2))
    job.refresh_from_db()
    # What the person sees while the worker is dead: running, two chunks of three done.
    assert (job.status, job.rows_done, job.rows_total) == ("running", 1000, ROWS)
    assert MetricSnapshot.objects.filter(variant__channel=fb).count() == 990

    shown: list[int] = []
    job = metric_import_process(
        import_id=job.pk, attempt=2, progress=lambda done, total: shown.append(done)
    )
    assert job.status == "done", job.error
    assert shown == [ROWS]  # resumed at the third chunk; progress never went back
    assert job.rows_done == ROWS and job.percent == 100
    good = ROWS - ROWS // 100
    # Every good row once: no duplicate posts, no duplicate or missing figures.
    assert PostVariant.objects.filter(channel=fb).count() == good
    assert MetricSnapshot.objects.filter(variant__channel=fb).count() == good
    # The summary counts what this import did, both runs together (not "990 unchanged").
    assert (job.created_count, job.unchanged_count, job.posts_created) == (good, 0, good)
    assert job.row_error_count == ROWS // 100
    assert [e["line"] for e in job.row_errors][:3] == [2, 102, 202]


@time_machine.travel(NOW, tick=False)
def test_it_finishes_an_import_cut_off_after_its_last_chunk(world) -> None:
    fb = _facebook(world)
    job = metric_import_create(channel=fb, data=_export(), filename="x.csv", actor=None)
    with pytest.raises(Killed):
        metric_import_process(import_id=job.pk, progress=_killed_after(3))
    job = metric_import_process(import_id=job.pk, attempt=2)
    assert job.status == "done"
    assert (job.created_count, job.posts_created) == (ROWS, ROWS)
    assert MetricSnapshot.objects.filter(variant__channel=fb).count() == ROWS


@time_machine.travel(NOW, tick=False)
def test_it_gives_up_with_a_message_on_a_file_that_kills_its_worker_each_time(world) -> None:
    fb = _facebook(world)
    job = metric_import_create(channel=fb, data=_export(), filename="x.csv", actor=None)
    with pytest.raises(Killed):
        metric_import_process(import_id=job.pk, progress=_killed_after(1))
    # That run happens: the stale-task reaper re-queues a task until its workers died
    # WARTA_TASK_MAX_RUNS times, more than the import's own limit.
    assert services.MAX_ATTEMPTS < settings.WARTA_TASK_MAX_RUNS
    job = metric_import_process(import_id=job.pk, attempt=services.MAX_ATTEMPTS + 1)
    assert job.status == "failed"
    assert "500 dari 1200 baris sudah tersimpan" in job.error
    assert "unggah ulang" in job.error
    # Uploading the same file again completes it without doubling what was saved.
    again = metric_import_create(channel=fb, data=_export(), filename="x.csv", actor=None)
    again = metric_import_process(import_id=again.pk)
    assert again.status == "done"
    assert PostVariant.objects.filter(channel=fb).count() == ROWS
    assert again.posts_created == ROWS - 500


@time_machine.travel(NOW, tick=False)
def test_it_marks_the_import_failed_on_an_unexpected_error(world, monkeypatch) -> None:
    fb = _facebook(world)
    job = metric_import_create(channel=fb, data=_export(), filename="x.csv", actor=None)

    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "_write", broken)
    job = metric_import_process(import_id=job.pk)
    assert job.status == "failed" and job.finished_at is not None
    assert f"kesalahan tak terduga di server (impor #{job.pk})" in job.error


@time_machine.travel(NOW, tick=False)
def test_the_task_passes_its_attempt_to_the_import(world) -> None:
    fb = _facebook(world)
    job = metric_import_create(channel=fb, data=_export(10), filename="x.csv", actor=None)
    result = process_metric_import.enqueue(job.pk)
    assert result.return_value == MetricImport.Status.DONE
    assert MetricImport.objects.get(pk=job.pk).created_count == 10
