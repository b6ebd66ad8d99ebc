"""Rollups: post, channel, agency and region counters per day, week and month.

Raw snapshots are append-only and only read here. An incremental run looks at what
changed since its cursors (new metric and follower snapshots, variants and posts edited),
recomputes the affected posts, then only the buckets those posts and snapshots fall in,
then the agency and region buckets above them. `rollups_rebuild` starts from nothing.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone

from warta.analytics import fastsql
from warta.analytics.models import (
    ChannelSnapshot,
    MetricSnapshot,
    PeriodKind,
    PostRollup,
    Rollup,
    RollupCursor,
    RollupLevel,
)
from warta.content.models import Post, PostVariant
from warta.lib import clock
from warta.lib.categories import PostCategory

logger = logging.getLogger(__name__)

CHUNK = 500
GENERATION = "generation"
# Ids and timestamps are re-read a little behind the cursor: a transaction that took a
# lower id may commit after a higher one was read. Re-reading is harmless (idempotent).
ID_OVERLAP = 1000
TIME_OVERLAP = timedelta(minutes=5)
COUNTERS = ("impressions", "reach", "views", "likes", "comments", "shares", "saves")
SUMS = (*COUNTERS, "engagement", "reach_posts_engagement", "posts")


def period_start(day: date, period: str) -> date:
    if period == PeriodKind.WEEK:
        return day - timedelta(days=day.weekday())
    if period == PeriodKind.MONTH:
        return day.replace(day=1)
    return day


def period_end(start: date, period: str) -> date:
    """The last day of the bucket that starts on `start`."""
    if period == PeriodKind.WEEK:
        return start + timedelta(days=6)
    if period == PeriodKind.MONTH:
        nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return nxt - timedelta(days=1)
    return start


@dataclass
class RefreshStats:
    variants: int = 0
    buckets: int = 0
    seconds: float = 0.0
    full: bool = False
    classified: int = 0
    notes: list[str] = field(default_factory=list)


# -- language engine, optional until the language branch lands -------------------------


def _classify(texts: list[str]) -> list[str] | None:
    if not texts:
        return []
    try:
        from warta.language.api import classify_posts  # type: ignore[import-not-found]
    except ImportError:
        return None
    valid = set(PostCategory.values)
    return [c if c in valid else PostCategory.OTHER for c in classify_posts(texts)]


def _tones(texts: list[str]) -> list[str] | None:
    if not texts:
        return []
    try:
        from warta.language.api import analyze  # type: ignore[import-not-found]
    except ImportError:
        return None
    return [a.sentiment for a in analyze(texts)]


# -- cursors ---------------------------------------------------------------------------


def _cursor(name: str) -> RollupCursor:
    cursor, _ = RollupCursor.objects.get_or_create(name=name)
    return cursor


def _changed_variant_ids(now: datetime) -> tuple[set[int], dict[str, Any]]:
    """Variants whose rollup may be stale, and the cursor values to save after the run."""
    ids: set[int] = set()
    snap = _cursor("snapshots")
    max_snap = MetricSnapshot.objects.aggregate(m=Max("id"))["m"] or 0
    if max_snap > snap.last_id:
        ids.update(
            MetricSnapshot.objects.filter(
                id__gt=max(0, snap.last_id - ID_OVERLAP), id__lte=max_snap
            )
            .values_list("variant_id", flat=True)
            .distinct()
        )
    variants = _cursor("variants")
    qs = PostVariant.objects.all()
    if variants.last_at:
        qs = qs.filter(updated_at__gt=variants.last_at - TIME_OVERLAP)
    ids.update(qs.filter(updated_at__lte=now).values_list("id", flat=True))
    posts = _cursor("posts")
    pqs = Post.objects.all()
    if posts.last_at:
        pqs = pqs.filter(updated_at__gt=posts.last_at - TIME_OVERLAP)
    ids.update(
        PostVariant.objects.filter(post__in=pqs.filter(updated_at__lte=now)).values_list(
            "id", flat=True
        )
    )
    return ids, {"snapshots": max_snap, "variants": now, "posts": now}


def _save_cursors(values: dict[str, Any]) -> None:
    for name, value in values.items():
        if isinstance(value, int):
            RollupCursor.objects.filter(name=name).update(last_id=value)
        else:
            RollupCursor.objects.filter(name=name).update(last_at=value)


# -- posts -----------------------------------------------------------------------------

DirtyDays = dict[int, set[date]]  # channel id -> local dates touched


def _refresh_posts(variant_ids: Iterable[int], dirty: DirtyDays, stats: RefreshStats) -> None:
    ids = sorted(set(variant_ids))
    for i in range(0, len(ids), CHUNK):
        _refresh_post_chunk(ids[i : i + CHUNK], dirty, stats)


POST_FIELDS = (
    "variant",
    "channel",
    "agency",
    "region",
    "platform",
    "published_at",
    "local_date",
    "local_weekday",
    "local_hour",
    "category",
    "category_source",
    "tone",
    "caption_excerpt",
    *COUNTERS,
    "engagement",
    "metrics_at",
    "updated_at",
)


def _refresh_post_chunk(ids: list[int], dirty: DirtyDays, stats: RefreshStats) -> None:
    for channel_id, day in PostRollup.objects.filter(variant_id__in=ids).values_list(
        "channel_id", "local_date"
    ):
        dirty[channel_id].add(day)
    latest = MetricSnapshot.objects.filter(variant_id=OuterRef("pk")).order_by("-captured_at")
    # Plain values, not instances: this runs over every post on a full rebuild.
    variants = list(
        PostVariant.objects.filter(
            id__in=ids, status=PostVariant.Status.PUBLISHED, published_at__isnull=False
        )
        .annotate(latest_id=Subquery(latest.values("id")[:1]))
        .values(
            "id",
            "post_id",
            "channel_id",
            "caption",
            "published_at",
            "latest_id",
            "post__message",
            "post__category",
            "post__category_set_by_hand",
            "channel__platform",
            "channel__agency_id",
            "channel__agency__region_id",
            "channel__agency__region__timezone",
        )
    )
    snapshots = {
        s["id"]: s
        for s in MetricSnapshot.objects.filter(
            id__in=[v["latest_id"] for v in variants if v["latest_id"]]
        ).values("id", "captured_at", *COUNTERS)
    }
    existing = dict(
        PostRollup.objects.filter(variant_id__in=ids).values_list("variant_id", "category")
    )
    # One classification per post message, only where neither a person nor an earlier
    # run decided: a hand-set category always wins, then any category already stored on
    # the post (set by the content app or the demo), then the classifier.
    to_classify = {
        v["post_id"]: v["post__message"]
        for v in variants
        if not v["post__category_set_by_hand"]
        and v["post__category"] == PostCategory.OTHER
        and v["id"] not in existing
    }
    predicted = _classify(list(to_classify.values()))
    model_category = dict(zip(to_classify, predicted, strict=True)) if predicted else {}
    stats.classified += len(model_category)
    tones_list = _tones([v["caption"] or v["post__message"] for v in variants])
    zones: dict[str, ZoneInfo] = {}
    now = clock.now()
    rows = []
    for n, v in enumerate(variants):
        tz_name = v["channel__agency__region__timezone"]
        zone = zones.get(tz_name) or zones.setdefault(tz_name, ZoneInfo(tz_name))
        local = timezone.localtime(v["published_at"], zone)
        if v["post__category_set_by_hand"]:
            category, source = v["post__category"], "hand"
        elif v["post__category"] != PostCategory.OTHER:
            category, source = v["post__category"], "post"
        elif v["post_id"] in model_category:
            category, source = model_category[v["post_id"]], "model"
        elif v["id"] in existing:
            category, source = existing[v["id"]], "model"
        else:
            category, source = PostCategory.OTHER, "default"
        snap = snapshots.get(v["latest_id"]) if v["latest_id"] else None
        counters = [(snap[c] or 0) if snap else 0 for c in COUNTERS]
        likes, comments, shares, saves = counters[3:7]
        rows.append(
            (
                v["id"],
                v["channel_id"],
                v["channel__agency_id"],
                v["channel__agency__region_id"],
                v["channel__platform"],
                v["published_at"],
                local.date(),
                local.weekday(),
                local.hour,
                category,
                source,
                (tones_list[n] if tones_list else "") or "",
                (v["caption"] or v["post__message"])[:200],
                *counters,
                likes + comments + shares + saves,
                snap["captured_at"] if snap else None,
                now,
            )
        )
        dirty[v["channel_id"]].add(local.date())
    with transaction.atomic():
        PostRollup.objects.filter(variant_id__in=ids).delete()
        fastsql.insert_rows(PostRollup, POST_FIELDS, rows)
    stats.variants += len(rows)


# -- buckets ---------------------------------------------------------------------------


def _channel_followers_days(now: datetime, dirty: DirtyDays) -> int:
    cursor = _cursor("followers")
    max_id = ChannelSnapshot.objects.aggregate(m=Max("id"))["m"] or 0
    if max_id <= cursor.last_id:
        return max_id
    rows = ChannelSnapshot.objects.filter(
        id__gt=max(0, cursor.last_id - ID_OVERLAP), id__lte=max_id
    ).values_list("channel_id", "captured_at", "channel__agency__region__timezone")
    for channel_id, at, tz in rows:
        dirty[channel_id].add(timezone.localtime(at, ZoneInfo(tz)).date())
    return max_id


def _empty() -> dict[str, Any]:
    return {**dict.fromkeys(SUMS, 0), "categories": defaultdict(int), "tones": defaultdict(int)}


def _add(acc: dict[str, Any], row: dict[str, Any]) -> None:
    for key in SUMS:
        acc[key] += row[key] or 0
    for key in ("categories", "tones"):
        for name, count in row[key].items():
            acc[key][name] += count


def _rebuild_channel_buckets(dirty: DirtyDays, stats: RefreshStats) -> set[tuple[int, str, date]]:
    """Recompute the channel buckets holding dirty days; returns dirty agency buckets."""
    from warta.channels.models import Channel

    agency_dirty: set[tuple[int, str, date]] = set()
    channel_ids = sorted(c for c, days in dirty.items() if days)
    for i in range(0, len(channel_ids), 200):
        chunk = channel_ids[i : i + 200]
        channels = {
            c.id: c for c in Channel.objects.filter(id__in=chunk).select_related("agency__region")
        }
        keys: set[tuple[int, str, date]] = set()
        lo, hi = date.max, date.min
        for cid in chunk:
            for day in dirty[cid]:
                for period in PeriodKind.values:
                    start = period_start(day, period)
                    keys.add((cid, period, start))
                    lo, hi = min(lo, start), max(hi, period_end(start, period))
        acc: dict[tuple[int, str, date], dict[str, Any]] = defaultdict(_empty)
        day_rows = (
            PostRollup.objects.filter(channel_id__in=chunk, local_date__gte=lo, local_date__lte=hi)
            .values("channel_id", "local_date", "category", "tone", *COUNTERS, "engagement")
            .order_by()
        )
        for row in day_rows.iterator(chunk_size=5000):
            row = {
                **row,
                "posts": 1,
                "reach_posts_engagement": row["engagement"] if row["reach"] else 0,
                "categories": {row["category"]: 1},
                "tones": {row["tone"]: 1} if row["tone"] else {},
            }
            for period in PeriodKind.values:
                key = (row["channel_id"], period, period_start(row["local_date"], period))
                if key in keys:
                    _add(acc[key], row)
        followers: dict[tuple[int, str, date], int] = {}
        tz_of = {cid: ZoneInfo(c.agency.region.timezone) for cid, c in channels.items()}
        snaps = (
            ChannelSnapshot.objects.filter(
                channel_id__in=chunk,
                captured_at__gte=datetime.combine(lo, datetime.min.time(), UTC) - timedelta(days=1),
                captured_at__lt=datetime.combine(hi, datetime.min.time(), UTC) + timedelta(days=2),
            )
            .order_by("captured_at")
            .values_list("channel_id", "captured_at", "followers")
        )
        for cid, at, count in snaps.iterator(chunk_size=5000):
            day = timezone.localtime(at, tz_of[cid]).date()
            for period in PeriodKind.values:
                key = (cid, period, period_start(day, period))
                if key in keys:
                    followers[key] = count  # ordered by time: the last one wins
        objs = []
        for cid, period, start in keys:
            channel = channels.get(cid)
            if channel is None:
                continue
            values = acc.get((cid, period, start)) or _empty()
            objs.append(
                _bucket(
                    RollupLevel.CHANNEL,
                    f"channel:{cid}",
                    period,
                    start,
                    channel.agency.region_id,
                    channel.agency_id,
                    cid,
                    channel.platform,
                    values,
                    followers.get((cid, period, start)),
                )
            )
            agency_dirty.add((channel.agency_id, period, start))
        _upsert(objs)
        stats.buckets += len(objs)
    return agency_dirty


BUCKET_FIELDS = (
    "level",
    "scope",
    "period",
    "start",
    "region",
    "agency",
    "channel",
    "platform",
    *SUMS,
    "followers",
    "categories",
    "tones",
    "updated_at",
)
BUCKET_UPDATE = (*SUMS, "followers", "categories", "tones", "updated_at", "platform")


def _bucket(
    level: str,
    scope: str,
    period: str,
    start: date,
    region_id: int,
    agency_id: int | None,
    channel_id: int | None,
    platform: str,
    values: dict[str, Any],
    followers: int | None,
) -> tuple[Any, ...]:
    return (
        level,
        scope,
        period,
        start,
        region_id,
        agency_id,
        channel_id,
        platform,
        *(values[k] for k in SUMS),
        followers,
        dict(values["categories"]),
        dict(values["tones"]),
        clock.now(),
    )


def _upsert(rows: list[tuple[Any, ...]]) -> None:
    fastsql.insert_rows(
        Rollup, BUCKET_FIELDS, rows, conflict=("scope", "period", "start"), update=BUCKET_UPDATE
    )


def _sum_level(
    level: str,
    dirty: set[tuple[int, str, date]],
    child_level: str,
    parent_field: str,
    stats: RefreshStats,
) -> set[tuple[int, str, date]]:
    """Sum the child rows of each dirty parent bucket (agencies from channels, and so on)."""
    from warta.institutions.models import Agency

    above: set[tuple[int, str, date]] = set()
    by_period: dict[str, set[tuple[int, date]]] = defaultdict(set)
    for pid, period, start in dirty:
        by_period[period].add((pid, start))
    for period, pairs in by_period.items():
        parents = sorted({p for p, _ in pairs})
        for i in range(0, len(parents), 200):
            chunk = set(parents[i : i + 200])
            wanted = {(p, s) for p, s in pairs if p in chunk}
            starts = sorted({s for _, s in wanted})
            acc: dict[tuple[int, date], dict[str, Any]] = defaultdict(_empty)
            followers: dict[tuple[int, date], int | None] = {}
            rows = Rollup.objects.filter(
                level=child_level,
                period=period,
                **{f"{parent_field}_id__in": chunk},
                start__gte=starts[0],
                start__lte=starts[-1],
            ).values(
                f"{parent_field}_id",
                "start",
                "region_id",
                *SUMS,
                "followers",
                "categories",
                "tones",
            )
            region_of: dict[int, int] = {}
            for row in rows.iterator(chunk_size=5000):
                key = (row[f"{parent_field}_id"], row["start"])
                if key not in wanted:
                    continue
                _add(acc[key], row)
                region_of[key[0]] = row["region_id"]
                if row["followers"] is not None:
                    followers[key] = (followers.get(key) or 0) + row["followers"]
            if level == RollupLevel.AGENCY:
                missing = chunk - set(region_of)
                region_of.update(
                    Agency.objects.filter(id__in=missing).values_list("id", "region_id")
                )
            objs = []
            for pid, start in wanted:
                values = acc.get((pid, start)) or _empty()
                region_id = region_of.get(pid, pid if level == RollupLevel.REGION else None)
                if region_id is None:
                    continue
                objs.append(
                    _bucket(
                        level,
                        f"{level}:{pid}",
                        period,
                        start,
                        region_id,
                        pid if level == RollupLevel.AGENCY else None,
                        None,
                        "",
                        values,
                        followers.get((pid, start)),
                    )
                )
                above.add((region_id, period, start))
            _upsert(objs)
            stats.buckets += len(objs)
    return above


# -- entry points ----------------------------------------------------------------------


def rollups_refresh() -> RefreshStats:
    """Bring every rollup up to date with what changed since the last run."""
    began = time.monotonic()
    stats = RefreshStats()
    now = clock.now()
    variant_ids, cursors = _changed_variant_ids(now)
    dirty: DirtyDays = defaultdict(set)
    _refresh_posts(variant_ids, dirty, stats)
    cursors["followers"] = _channel_followers_days(now, dirty)
    agency_dirty = _rebuild_channel_buckets(dirty, stats)
    region_dirty = _sum_level(
        RollupLevel.AGENCY, agency_dirty, RollupLevel.CHANNEL, "agency", stats
    )
    _sum_level(RollupLevel.REGION, region_dirty, RollupLevel.AGENCY, "region", stats)
    _save_cursors(cursors)
    if stats.buckets:
        # Dashboards cache what they compute from rollups under this generation number.
        _cursor(GENERATION)
        RollupCursor.objects.filter(name=GENERATION).update(last_id=F("last_id") + 1)
    stats.seconds = time.monotonic() - began
    return stats


LEASE = "analytics-rollups"
LEASE_SECONDS = 3 * 3600


def rollups_refresh_exclusive(*, full: bool = False) -> RefreshStats | None:
    """Refresh (or rebuild) unless another process is at it now; None then.

    Two concurrent runs would rewrite the same post rollups and collide; the periodic
    job, an import's follow-up and the command all go through here. A skipped refresh
    loses nothing: the running one or the next one reads from the same cursors.
    """
    import os
    import socket

    from warta.core.scheduling import lease_acquire, lease_release

    holder = f"{socket.gethostname()}:{os.getpid()}:{time.monotonic_ns()}"
    if not lease_acquire(name=LEASE, holder=holder, seconds=LEASE_SECONDS):
        return None
    try:
        return rollups_rebuild() if full else rollups_refresh()
    finally:
        lease_release(name=LEASE, holder=holder)


def rollups_generation() -> int:
    """A number that changes whenever rollups change (cache keys of derived figures)."""
    value = RollupCursor.objects.filter(name=GENERATION).values_list("last_id", flat=True).first()
    return value or 0


def rollups_rebuild() -> RefreshStats:
    """Throw every rollup away and compute them again from the raw rows."""
    with transaction.atomic():
        Rollup.objects.all().delete()
        PostRollup.objects.all().delete()
        RollupCursor.objects.exclude(name=GENERATION).delete()
    stats = rollups_refresh()
    stats.full = True
    return stats
