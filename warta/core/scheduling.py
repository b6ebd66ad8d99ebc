"""The scheduler loop's steps and the stale-task reaper, as plain functions."""

import logging
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from warta.core.models import SchedulerLease
from warta.core.periodic import PeriodicJob
from warta.lib import clock

logger = logging.getLogger(__name__)


class TaskKilledRepeatedly(Exception):
    """Recorded as the failure of a task whose workers kept dying while running it."""


def tasks_requeue_stale(*, older_than: timedelta | None = None) -> int:
    """Re-queue tasks RUNNING for longer than the stale limit: their worker died.

    Tasks must therefore be safe to run twice; publishing checks the platform first.
    A task that has already taken WARTA_TASK_MAX_RUNS workers down with it (one huge
    file exhausting memory, say) would otherwise be re-queued for ever, killing a worker
    each time: it is failed instead and logged as an error.
    Returns how many were re-queued.
    """
    limit = older_than or timedelta(seconds=settings.WARTA_TASK_STALE_AFTER_SECONDS)
    now = clock.now()
    stale = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - limit)
    for task in stale.only("id", "task_path", "worker_ids"):
        runs = len(task.worker_ids)
        if runs < settings.WARTA_TASK_MAX_RUNS:
            continue
        failure = TaskKilledRepeatedly(f"its worker died in each of {runs} runs")
        # Only if still RUNNING: a late worker may have finished it meanwhile.
        if DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{__name__}.{TaskKilledRepeatedly.__qualname__}",
            traceback="".join(format_exception(failure)),
            return_value=None,
        ):
            logger.error("gave up task %s (%s): %s", task.pk, task.task_path, failure)
    count = stale.update(status="READY", started_at=None)
    if count:
        logger.warning("re-queued %d task(s) left running by a dead worker", count)
    return count


def lease_acquire(*, name: str, holder: str, seconds: int) -> bool:
    """Take or renew the named lease; False when another live holder has it."""
    now = clock.now()
    expires = now + timedelta(seconds=seconds)
    with transaction.atomic():
        updated = SchedulerLease.objects.filter(
            Q(name=name) & (Q(holder=holder) | Q(expires_at__lt=now))
        ).update(holder=holder, expires_at=expires)
        if updated:
            return True
        _, created = SchedulerLease.objects.get_or_create(
            name=name, defaults={"holder": holder, "expires_at": expires}
        )
        return created


def lease_release(*, name: str, holder: str) -> None:
    SchedulerLease.objects.filter(name=name, holder=holder).delete()


def job_enqueue_if_idle(job: PeriodicJob) -> bool:
    """Enqueue a periodic job unless a run of it is still waiting or running."""
    pending = DBTaskResult.objects.filter(
        task_path=job.task.module_path, status__in=["READY", "RUNNING"]
    ).exists()
    if pending:
        return False
    job.task.enqueue()
    return True
