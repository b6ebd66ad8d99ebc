from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from warta.archive import sources
from warta.content.models import Post, PostVariant
from warta.engagement.models import InboxItem
from warta.testing.fixtures import World

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


def publish(world: World, caption: str, *, channel=None) -> PostVariant:  # type: ignore[no-untyped-def]
    channel = channel or world.channel_a
    post = Post.objects.create(agency=channel.agency, message=caption)
    return PostVariant.objects.create(
        post=post,
        channel=channel,
        caption=caption,
        status=PostVariant.Status.PUBLISHED,
        published_at=timezone.now(),
        platform_post_id=f"ig-{post.pk}",
        platform_url=f"https://instagram.example/p/{post.pk}",
        scheduled_by=world.alice,
    )


def comment(world: World, variant: PostVariant, text: str, n: int) -> InboxItem:
    return InboxItem.objects.create(
        agency=variant.channel.agency,
        channel=variant.channel,
        variant=variant,
        platform_item_id=f"c{n}",
        author_name="Warga Bontang",
        author_handle="@warga",
        text=text,
        received_at=timezone.now(),
    )


def sync_later() -> int:
    # The archiver reads a few seconds behind real time; step past that lag.
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        return sources.archive_sync()


def tamper(sql: str, params: list) -> None:  # type: ignore[type-arg]
    """Change the archive behind warta's back, as an intruder with database access would."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush deferred FK checks first
        for table in ("archive_archiverecord", "archive_archivepayload"):
            if connection.vendor == "postgresql":
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                for trigger in ("append_only", "no_delete"):
                    cur.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger}")
        cur.execute(sql, params)


@pytest.fixture
def archived(world: World) -> World:
    with time_machine.travel(NOW, tick=False):
        v1 = publish(world, "Vaksinasi gratis di Puskesmas Bontang Utara")
        comment(world, v1, "Jam berapa buka? <script>alert(1)</script>", 1)
        v2 = publish(world, "Jadwal PPDB 2026", channel=world.channel_b)
        comment(world, v2, '=HYPERLINK("http://evil")', 2)
        assert sync_later() == 4
    return world
