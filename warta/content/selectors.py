"""Reads of content: access to posts, variants and media, and the calendar's items."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from warta.channels.models import Channel
from warta.content.models import MediaAsset, Post, PostMedia, PostVariant
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


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar shows; empty means all."""

    channel: int | None = None
    status: str = ""
    category: str = ""


CALENDAR_FIELDS = (
    "post_id",
    "channel_id",
    "status",
    "scheduled_at",
    "published_at",
    "post__title",
    "post__message",
    "post__category",
    "post__agency_id",
    "post__agency__short_name",
    "channel__platform",
)


def calendar_variants(
    user: AnyUser,
    *,
    first: date,
    last: date,
    agency: Agency | None = None,
    filters: CalendarFilters | None = None,
) -> list[PostVariant]:
    """Variants planned or published on local days first..last, oldest first.

    Each carries `thumb`, the URL of its post's first thumbnail (or ""), read with one
    more query for the whole range.
    """
    start, end = local_day_bounds(first, last)
    qs = variants_visible(user).exclude(status=PostVariant.Status.CANCELLED)
    if agency is not None:
        qs = qs.filter(post__agency=agency)
    if filters is not None:
        if filters.channel is not None:
            qs = qs.filter(channel_id=filters.channel)
        if filters.status:
            qs = qs.filter(status=filters.status)
        if filters.category:
            qs = qs.filter(post__category=filters.category)
    qs = qs.filter(
        Q(published_at__gte=start, published_at__lt=end)
        | Q(published_at__isnull=True, scheduled_at__gte=start, scheduled_at__lt=end)
    )
    # Only what the calendar shows: a variant row has some thirty columns (captions,
    # findings as JSON, publishing state), and a month of a region has hundreds of rows.
    qs = qs.only(*CALENDAR_FIELDS)
    variants = sorted(qs, key=lambda v: (v.when or start, v.pk))
    thumbs: dict[int, str] = {}
    links = (
        PostMedia.objects.filter(post_id__in={v.post_id for v in variants})
        .exclude(media__thumbnail="")
        .select_related("media")
        .order_by("post_id", "position", "id")
    )
    for link in links:
        thumbs.setdefault(link.post_id, link.media.thumbnail.url)
    for variant in variants:
        variant.thumb = thumbs.get(variant.post_id, "")  # type: ignore[attr-defined]
    return variants


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


def cadence_channels(agency_ids: list[int]) -> list[Channel]:
    """The channels whose cadence is measured: every one that is not switched off."""
    return list(
        Channel.objects.filter(agency_id__in=agency_ids)
        .exclude(status=Channel.Status.DISABLED)
        .order_by("agency_id", "platform", "handle")
    )
