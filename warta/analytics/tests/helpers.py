"""Small builders for analytics tests: published posts with metrics, comments."""

import itertools
from datetime import datetime

from warta.analytics.models import MetricSnapshot, MetricSource
from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.lib.categories import PostCategory

_ids = itertools.count(1)


def publish(
    channel: Channel,
    at: datetime,
    *,
    likes: int = 10,
    comments: int = 0,
    shares: int = 0,
    reach: int | None = None,
    category: str = PostCategory.SERVICE,
    by_hand: bool = False,
    caption: str = "Informasi layanan",
    captured_at: datetime | None = None,
) -> PostVariant:
    post = Post.objects.create(
        agency=channel.agency, message=caption, category=category, category_set_by_hand=by_hand
    )
    n = next(_ids)
    variant = PostVariant.objects.create(
        post=post,
        channel=channel,
        caption=caption,
        status=PostVariant.Status.PUBLISHED,
        published_at=at,
        platform_post_id=f"p{n}",
    )
    MetricSnapshot.objects.create(
        variant=variant,
        captured_at=captured_at or at,
        likes=likes,
        comments=comments,
        shares=shares,
        reach=reach,
        source=MetricSource.SEED,
    )
    return variant
