"""The scheduler loop's steps and the stale-task reaper, as plain functions."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from warta.core.models import SchedulerLease
from warta.core.periodic import PeriodicJob

logger = logging.getLogger(__name__)


def tasks_requeue_stale(*, older_than: timedelta | None = None) -> int:
    """Re-queue tasks RUNNING for longer than the stale limit: their worker died.

    Tasks must therefore be safe to run twice; publishing checks the platform first.
    """
    limit = older_than or timedelta(seconds=settings.WARTA_TASK_STALE_AFTER_SECONDS)
    cutoff = timezone.now() - limit
    count = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).update(
        status="READY", started_at=None
    )
    if count:
        logger.warning("re-queued %d task(s) left running by a dead worker", count)
    return count


def lease_acquire(*, name: str, holder: str, seconds: int) -> bool:
    """Take or renew the named lease; False when another live holder has it."""
    now = timezone.now()
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
