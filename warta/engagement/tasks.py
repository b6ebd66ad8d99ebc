"""Background work of the inbox: syncing channels, annotating, sending replies, reminders."""

from functools import partial

from django.db import connection, transaction
from django.tasks import TaskContext, task

from warta.channels.models import Channel
from warta.core.periodic import every
from warta.engagement import imports, ingest, reminders, services
from warta.engagement.services import send_reply
from warta.lib.platforms import API_MODES, MESSAGING_PLATFORMS

__all__ = [
    "annotate_pending",
    "process_inbox_import",
    "refresh_sqlite_statistics",
    "retry_replies",
    "send_reminders",
    "send_reply",
    "sync_all_channels",
    "sync_channel_comments",
]


@task(takes_context=True)
def process_inbox_import(context: TaskContext, run_id: int) -> str:
    # A re-run (the reaper re-queued it after its worker died) starts the file again.
    return imports.inbox_import_process(run_id=run_id, attempt=context.attempt).status


@task
def sync_channel_comments(channel_id: int) -> int:
    return ingest.channel_sync_comments(channel_id=channel_id)


@every(300)
@task
def sync_all_channels() -> int:
    """Enqueue one comment sync per API-connected, active channel.

    WhatsApp's messages arrive by webhook only (there is no API to read them).
    """
    ids = list(
        Channel.objects.filter(mode__in=API_MODES, status=Channel.Status.ACTIVE)
        .exclude(credentials_encrypted="")
        .exclude(platform__in=MESSAGING_PLATFORMS)
        .values_list("id", flat=True)
    )
    for pk in ids:
        transaction.on_commit(partial(sync_channel_comments.enqueue, pk))
    return len(ids)


@every(120)
@task
def retry_replies() -> int:
    return services.replies_retry_due()


@every(120)
@task
def annotate_pending() -> int:
    return ingest.inbox_annotate_backlog()


@every(600)
@task
def send_reminders() -> int:
    return reminders.inbox_send_reminders() + reminders.requests_send_reminders()


@every(3600)
@task
def refresh_sqlite_statistics() -> bool:
    """Keep SQLite's planner statistics fresh (PostgreSQL's autovacuum does this itself).

    Without them SQLite sorts the whole region's inbox instead of walking the
    newest-first index, which is slow once the inbox is large.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize=0x10002")
    return True
