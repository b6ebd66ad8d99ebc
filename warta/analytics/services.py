"""Writes of the analytics app: metric sync from the platforms' APIs."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.db import transaction

from warta.analytics.models import ChannelSnapshot, MetricSnapshot, MetricSource
from warta.channels.models import Channel
from warta.channels.services import channel_call_failed, channel_call_succeeded
from warta.connectors import sandbox
from warta.connectors.base import ConnectorError, NotSupported, connector_class
from warta.content import notifications
from warta.content.models import PostVariant
from warta.lib import clock
from warta.lib.platforms import API_MODES, ConnectionMode

logger = logging.getLogger(__name__)

# Posts keep gaining interactions for weeks; after this their figures barely move and
# asking the platform again wastes rate limit.
SYNC_POSTS_NEWER_THAN = timedelta(days=90)
BATCH = 50


@dataclass
class SyncResult:
    channels: int = 0
    snapshots: int = 0
    followers: int = 0
    errors: list[str] = field(default_factory=list)


def metrics_sync_channel(*, channel: Channel, http: object = None) -> SyncResult:
    """Append the channel's current post metrics and follower count (API channels only)."""
    from warta.channels.services import channel_account

    result = SyncResult(channels=1)
    now = clock.now()
    try:
        connector = connector_class(channel.platform, channel.mode)(
            channel_account(channel),
            http=http,  # type: ignore[arg-type]
        )
    except NotSupported:
        return result
    published = PostVariant.objects.filter(
        channel=channel,
        status=PostVariant.Status.PUBLISHED,
        published_at__gte=now - SYNC_POSTS_NEWER_THAN,
    ).exclude(platform_post_id="")
    if channel.mode == ConnectionMode.SANDBOX:
        # The sandbox holds only what was published to it, not a seeded history.
        prefix = sandbox.account_url(channel.platform, channel.external_id)
        published = (
            published.filter(platform_url__startswith=f"{prefix}/") if prefix else published.none()
        )
    variants = dict(published.values_list("platform_post_id", "id"))
    ids = sorted(variants)
    # Two calls, each on its own: a channel whose every call fails is told from one whose
    # metrics alone fail (channels.services.channel_call_failed counts them in a row).
    failed = False
    try:
        for i in range(0, len(ids), BATCH):
            metrics = connector.fetch_metrics(ids[i : i + BATCH])
            rows = [
                MetricSnapshot(
                    variant_id=variants[m.platform_post_id],
                    captured_at=m.captured_at,
                    impressions=m.impressions,
                    reach=m.reach,
                    views=m.views,
                    likes=m.likes,
                    comments=m.comments,
                    shares=m.shares,
                    saves=m.saves,
                    source=MetricSource.API,
                )
                for m in metrics
                if m.platform_post_id in variants
            ]
            MetricSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
            result.snapshots += len(rows)
    except NotSupported:
        pass
    except ConnectorError as exc:
        failed = _sync_failed(channel, exc, result)
        if channel.status != Channel.Status.ACTIVE:
            return result
    try:
        followers = connector.fetch_followers()
    except NotSupported:
        followers = None
    except ConnectorError as exc:
        _sync_failed(channel, exc, result)
        return result
    if followers is not None:
        ChannelSnapshot.objects.bulk_create(
            [
                ChannelSnapshot(
                    channel=channel,
                    captured_at=now,
                    followers=followers,
                    source=MetricSource.API,
                )
            ],
            ignore_conflicts=True,
        )
        result.followers = 1
        channel_call_succeeded(channel=channel)
    if not failed:
        Channel.objects.filter(pk=channel.pk).update(last_sync_at=now, last_error="")
    if followers is not None:
        Channel.objects.filter(pk=channel.pk).update(followers=followers)
    return result


def _sync_failed(channel: Channel, exc: ConnectorError, result: SyncResult) -> bool:
    """Record the failure; a channel whose calls all fail is marked for reconnecting."""
    Channel.objects.filter(pk=channel.pk).update(last_error=exc.message)
    if channel_call_failed(channel=channel, error=exc):
        # The channels app shows this state and asks the officer to reconnect.
        transaction.on_commit(partial(notifications.needs_reconnect, channel))
    result.errors.append(f"{channel}: {exc.message}")
    return True


def metrics_sync_all() -> SyncResult:
    total = SyncResult()
    channels = Channel.objects.filter(mode__in=API_MODES, status=Channel.Status.ACTIVE).exclude(
        credentials_encrypted=""
    )
    for channel in channels.iterator():
        with transaction.atomic():
            r = metrics_sync_channel(channel=channel)
        total.channels += 1
        total.snapshots += r.snapshots
        total.followers += r.followers
        total.errors.extend(r.errors)
    if total.errors:
        logger.warning("metric sync: %d channel(s) failed", len(total.errors))
    return total
