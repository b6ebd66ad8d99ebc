"""Background work of content: thin tasks over publishing/ and notifications.py."""

from django.tasks import task

from warta.channels.tokens import channel_tokens_refresh
from warta.content import notifications, publishing
from warta.content.publishing import publish_variants
from warta.content.publishing.config import PUBLISH_QUEUE
from warta.core.periodic import every

__all__ = [
    "enqueue_due_variants",
    "publish_variants",
    "recover_stale_publishing",
    "refresh_channel_tokens",
    "send_daily_digests",
    "send_token_expiry_notices",
]


# The hand-out and the recovery share the publish tasks' queue: a pool kept for
# publishing (db_worker --queue-name publish) needs no other worker to keep posting.
@every(20)
@task(queue_name=PUBLISH_QUEUE)
def enqueue_due_variants() -> int:
    """Hand the variants due in the next minute to publish tasks."""
    return publishing.due_variants_enqueue()


@every(15)
@task(queue_name=PUBLISH_QUEUE)
def recover_stale_publishing() -> int:
    """Verify, then finish, variants a dead worker left in publishing (one indexed query)."""
    return publishing.stale_publishing_enqueue()


@every(3600)
@task
def send_daily_digests() -> int:
    return notifications.daily_digest_send()


@every(3600)
@task
def send_token_expiry_notices() -> int:
    """Warn officers and the coordinator 7 and 2 days before a channel's token expires."""
    return notifications.token_expiry_notices_send()


@every(300)
@task
def refresh_channel_tokens() -> int:
    """Refresh access tokens half an hour before they expire (X's live two hours)."""
    return channel_tokens_refresh()
