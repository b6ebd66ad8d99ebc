"""Background work of content: thin tasks over publishing.py and notifications.py."""

from django.tasks import task

from warta.content import notifications, publishing
from warta.core.periodic import every


@every(20)
@task
def enqueue_due_variants() -> int:
    """Hand the variants due in the next minute to publish tasks."""
    return publishing.due_variants_enqueue()


@every(15)
@task
def recover_stale_publishing() -> int:
    """Verify, then finish, variants a dead worker left in publishing (one indexed query)."""
    return publishing.stale_publishing_enqueue()


@every(3600)
@task
def send_daily_digests() -> int:
    return notifications.daily_digest_send()


@task
def publish_variants(variant_ids: list[int]) -> dict[str, int]:
    return publishing.publish_batch(variant_ids)
