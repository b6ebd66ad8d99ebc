"""Reads of content: access to posts, variants and media, and the calendar's items."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import import_module

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from warta.content.models import MediaAsset, Post, PostVariant
from warta.institutions.access import AnyUser, can_edit_agency, visible_agencies
from warta.institutions.models import Agency

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostAccess:
    post: Post
    can_edit: bool


@dataclass(frozen=True)
class VariantAccess:
    variant: PostVariant
    can_edit: bool


@dataclass(frozen=True)
class MediaAccess:
    media: MediaAsset
    can_edit: bool


def get_post_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> PostAccess:
    """The post if the user may read its agency (404 otherwise); 403 for read-only editing."""
    post = (
        Post.objects.filter(pk=pk, agency__in=visible_agencies(user))
        .select_related("agency")
        .first()
    )
    if post is None:
        raise Http404
    can_edit = can_edit_agency(user, post.agency_id)
    if edit and not can_edit:
        raise PermissionDenied
    return PostAccess(post=post, can_edit=can_edit)


def get_variant_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> VariantAccess:
    variant = (
        PostVariant.objects.filter(pk=pk, post__agency__in=visible_agencies(user))
        .select_related("post", "post__agency", "channel")
        .first()
    )
    if variant is None:
        raise Http404
    can_edit = can_edit_agency(user, variant.post.agency_id)
    if edit and not can_edit:
        raise PermissionDenied
    return VariantAccess(variant=variant, can_edit=can_edit)


def get_media_for_user(user: AnyUser, pk: int, *, edit: bool = False) -> MediaAccess:
    media = MediaAsset.objects.filter(pk=pk, agency__in=visible_agencies(user)).first()
    if media is None:
        raise Http404
    can_edit = can_edit_agency(user, media.agency_id)
    if edit and not can_edit:
        raise PermissionDenied
    return MediaAccess(media=media, can_edit=can_edit)


def variants_visible(user: AnyUser) -> QuerySet[PostVariant]:
    return PostVariant.objects.filter(post__agency__in=visible_agencies(user)).select_related(
        "post", "post__agency", "channel"
    )


def posts_visible(user: AnyUser) -> QuerySet[Post]:
    return Post.objects.filter(agency__in=visible_agencies(user)).select_related("agency")


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC-aware bounds of local days first..last (inclusive) in the active time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def calendar_variants(
    user: AnyUser, *, first: date, last: date, agency: Agency | None = None
) -> list[PostVariant]:
    """Variants planned or published on local days first..last, oldest first."""
    start, end = local_day_bounds(first, last)
    qs = variants_visible(user).exclude(status=PostVariant.Status.CANCELLED)
    if agency is not None:
        qs = qs.filter(post__agency=agency)
    qs = qs.filter(
        Q(published_at__gte=start, published_at__lt=end)
        | Q(published_at__isnull=True, scheduled_at__gte=start, scheduled_at__lt=end)
    )
    return sorted(qs, key=lambda v: (v.when or start, v.pk))


def unscheduled_drafts(user: AnyUser, *, agency: Agency | None = None) -> QuerySet[PostVariant]:
    qs = variants_visible(user).filter(
        scheduled_at__isnull=True,
        status__in=[
            PostVariant.Status.DRAFT,
            PostVariant.Status.READY,
            PostVariant.Status.AWAITING_APPROVAL,
        ],
    )
    if agency is not None:
        qs = qs.filter(post__agency=agency)
    return qs.order_by("-post__created_at")[:50]


def cadence_targets(agency: Agency) -> dict[str, float]:
    """Posts per week per platform the agency's strategy asks for; {} without one.

    The strategy app is built separately (`warta.strategy.selectors.cadence_targets`);
    without it, or when it fails, the calendar simply shows no gap marks.
    """
    try:
        module = import_module("warta.strategy.selectors")
    except ImportError:
        return {}
    fn = getattr(module, "cadence_targets", None)
    if fn is None:
        return {}
    try:
        targets = fn(agency)
    except Exception:  # a strategy bug must not take the calendar down
        logger.exception("cadence targets of agency %s unreadable", agency.pk)
        return {}
    return {str(k): float(v) for k, v in dict(targets).items() if float(v) > 0}


def week_gaps(targets: dict[str, float], variants: list[PostVariant]) -> dict[str, int]:
    """Per platform, how many posts the week lacks against the cadence target."""
    counts: dict[str, int] = {}
    for variant in variants:
        if variant.status not in {PostVariant.Status.FAILED, PostVariant.Status.CANCELLED}:
            platform = variant.channel.platform
            counts[platform] = counts.get(platform, 0) + 1
    gaps = {p: round(t) - counts.get(p, 0) for p, t in targets.items()}
    return {p: n for p, n in gaps.items() if n > 0}
