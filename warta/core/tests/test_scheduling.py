from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from warta.core import scheduling
from warta.core.tasks import requeue_stale_tasks

pytestmark = pytest.mark.django_db


def test_it_requeues_tasks_left_running_by_a_dead_worker(db_tasks: None) -> None:
    result = requeue_stale_tasks.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("dead-worker")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(hours=1))
    fresh = DBTaskResult.objects.get(pk=requeue_stale_tasks.enqueue().id)
    fresh.claim("live-worker")

    assert scheduling.tasks_requeue_stale() == 1
    row.refresh_from_db()
    fresh.refresh_from_db()
    assert row.status == "READY"
    assert fresh.status == "RUNNING"


def test_a_task_that_kills_every_worker_is_given_up_and_logged(
    db_tasks: None, caplog, settings
) -> None:
    hour_ago = timezone.now() - timedelta(hours=1)
    deadly = DBTaskResult.objects.get(pk=requeue_stale_tasks.enqueue().id)
    unlucky = DBTaskResult.objects.get(pk=requeue_stale_tasks.enqueue().id)
    for n in range(settings.WARTA_TASK_MAX_RUNS):  # so many workers died running it
        deadly.claim(f"worker-{n}")
    unlucky.claim("worker-9")  # one death: worth another try
    DBTaskResult.objects.update(started_at=hour_ago)

    assert scheduling.tasks_requeue_stale() == 1
    deadly.refresh_from_db()
    unlucky.refresh_from_db()
    assert deadly.status == "FAILED" and "died in each of 5 runs" in deadly.traceback
    assert deadly.task_result.errors[0].exception_class is scheduling.TaskKilledRepeatedly
    assert unlucky.status == "READY"
    assert "gave up task" in caplog.text


def test_only_one_scheduler_holds_the_lease() -> None:
    assert scheduling.lease_acquire(name="scheduler", holder="a", seconds=60)
    assert not scheduling.lease_acquire(name="scheduler", holder="b", seconds=60)
    assert scheduling.lease_acquire(name="scheduler", holder="a", seconds=60)


def test_an_expired_lease_passes_to_the_stand_by() -> None:
    assert scheduling.lease_acquire(name="scheduler", holder="a", seconds=-1)
    assert scheduling.lease_acquire(name="scheduler", holder="b", seconds=60)


def test_the_scheduler_enqueues_each_periodic_job_once(db_tasks: None) -> None:
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")
    assert DBTaskResult.objects.filter(task_path=requeue_stale_tasks.module_path).count() == 1
