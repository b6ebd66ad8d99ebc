"""Content test helpers: a connector for a test platform, and posts ready to publish."""

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from warta.channels.models import Channel
from warta.connectors import base
from warta.connectors.base import (
    Connector,
    PublishRequest,
    PublishResult,
    RemotePost,
)
from warta.content.checks import variant_digest
from warta.content.models import Post, PostVariant
from warta.testing.fixtures import World

TEST_PLATFORM = "ujicoba"


@dataclass
class FakePlatform:
    """What the test connector's "platform" holds, and the errors it is told to raise next."""

    posts: dict[str, list[str]] = field(default_factory=dict)  # idempotency key → post ids
    errors: list[Exception] = field(default_factory=list)
    find_errors: list[Exception] = field(default_factory=list)
    supports_find: bool = True
    publish_calls: int = 0
    find_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def accepted(self) -> int:
        return sum(len(v) for v in self.posts.values())


PLATFORM = FakePlatform()


class FakeConnector(Connector):
    find_post_conclusive = True

    def publish(self, request: PublishRequest) -> PublishResult:
        with PLATFORM.lock:
            PLATFORM.publish_calls += 1
            if PLATFORM.errors:
                raise PLATFORM.errors.pop(0)
            post_id = f"p{next(PLATFORM.ids)}"
            PLATFORM.posts.setdefault(request.idempotency_key, []).append(post_id)
        return PublishResult(platform_post_id=post_id, url=f"https://uji.example/{post_id}")

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        with PLATFORM.lock:
            PLATFORM.find_calls += 1
            if not PLATFORM.supports_find:
                raise base.NotSupported("find_post")
            if PLATFORM.find_errors:
                raise PLATFORM.find_errors.pop(0)
            ids = PLATFORM.posts.get(idempotency_key)
        if not ids:
            return None
        return RemotePost(platform_post_id=ids[0], url=f"https://uji.example/{ids[0]}")


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    global PLATFORM
    PLATFORM = FakePlatform()
    base._REGISTRY[TEST_PLATFORM] = FakeConnector
    FakeConnector.platform = TEST_PLATFORM
    yield PLATFORM
    base._REGISTRY.pop(TEST_PLATFORM, None)


@pytest.fixture
def api_channel(world: World) -> Channel:
    return Channel.objects.create(
        agency=world.agency_a, platform=TEST_PLATFORM, handle="@uji.dinkes", mode="api"
    )


def make_variant(
    world: World,
    channel: Channel,
    *,
    status: str = PostVariant.Status.SCHEDULED,
    at: datetime | None = None,
    caption: str = "Vaksinasi gratis di Puskesmas Bontang Utara, Sabtu pukul 08.00 WITA.",
) -> PostVariant:
    post = Post.objects.create(agency=channel.agency, message=caption, created_by=world.alice)
    variant = PostVariant.objects.create(
        post=post,
        channel=channel,
        caption=caption,
        status=status,
        scheduled_at=at or timezone.now() - timedelta(seconds=5),
    )
    # As if it had passed its checks as it stands (variant_submit records this).
    variant.checked_digest = variant_digest(variant)
    variant.save(update_fields=["checked_digest"])
    return variant
