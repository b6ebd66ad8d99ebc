"""The composer: one message to many channels, previewed per network, scheduled once.

Reads for the page (each network's preview with its live counters, suggested times, the
strategy's hashtags) and one write, `post_compose`, which creates the post and submits
every variant through `services.variant_submit`: the same checks, the same approval and
the same audit as a variant scheduled on its own. Nothing here decides what may go out.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.analytics.cadence import week_gaps
from warta.channels.models import Channel
from warta.content.checks import media_infos
from warta.content.limits import Counter, check_platform_limits, counters
from warta.content.models import MediaAsset, Post, PostVariant
from warta.content.selectors import local_day_bounds
from warta.content.services import VariantText, post_create, variant_submit
from warta.guardrails.registry import CheckSubject
from warta.guardrails.severity import apply_region_severity
from warta.institutions.access import AnyUser
from warta.institutions.models import Agency
from warta.lib import clock
from warta.lib.findings import Finding
from warta.lib.platforms import Platform
from warta.strategy.creativity import best_times, suggest_hashtags
from warta.strategy.selectors import current_strategy

S = PostVariant.Status
MAX_REPEAT_WEEKS = 12
# Hours offered when the agency has no engagement history yet: morning, lunch, evening.
DEFAULT_HOURS = (8, 12, 19)


@dataclass(frozen=True)
class ChannelDraft:
    """What the composer holds for one ticked channel."""

    channel: Channel
    text: VariantText
    crop: str = ""
    focus: str = ""
    when: datetime | None = None  # the common time unless this channel overrides it


class ComposeRefused(Exception):
    """At least one channel was refused: nothing was created; the reasons per channel id."""

    def __init__(self, per_channel: dict[int, list[str]]) -> None:
        super().__init__("; ".join(m for ms in per_channel.values() for m in ms))
        self.per_channel = per_channel


def post_compose(
    *,
    actor: AnyUser,
    agency: Agency,
    message: str,
    drafts: list[ChannelDraft],
    media_ids: list[int],
    title: str = "",
    category: str = "other",
    schedule: bool = False,
    repeat_weeks: int = 1,
) -> list[Post]:
    """Create the post (one per week when repeated) with a variant per channel; when
    `schedule`, submit each variant at its time. All or nothing: one refused channel
    leaves nothing behind (ComposeRefused), so the officer fixes it and presses again."""
    if not drafts:
        raise ValidationError({"channels": _("Pilih paling sedikit satu kanal.")})
    if not 1 <= repeat_weeks <= MAX_REPEAT_WEEKS:
        raise ValidationError(
            {"repeat_weeks": _("Ulangi mingguan: 1 sampai %(n)d minggu.") % {"n": MAX_REPEAT_WEEKS}}
        )
    if schedule:
        if any(d.when is None for d in drafts):
            raise ValidationError(
                {"scheduled_at": _("Isi waktu terbit untuk menjadwalkan, atau pilih “Buat draf”.")}
            )
        if any(d.when is not None and d.when <= clock.now() for d in drafts):
            raise ValidationError({"scheduled_at": _("Waktu terbit harus di masa depan.")})
    by_channel = {d.channel.pk: d for d in drafts}
    refused: dict[int, list[str]] = {}
    posts: list[Post] = []
    with transaction.atomic():
        for week in range(repeat_weeks if schedule else 1):
            post = post_create(
                actor=actor,
                agency=agency,
                message=message,
                title=title,
                category=category,
                channel_ids=list(by_channel),
                media_ids=media_ids,
                texts={pk: d.text for pk, d in by_channel.items()},
                crops={pk: (d.crop, d.focus) for pk, d in by_channel.items()},
            )
            posts.append(post)
            if not schedule:
                continue
            for variant in post.variants.select_related("channel", "post__agency"):
                when = by_channel[variant.channel_id].when
                assert when is not None  # checked above
                try:
                    variant_submit(
                        actor=actor, variant=variant, scheduled_at=when + timedelta(weeks=week)
                    )
                except ValidationError as exc:
                    prefix = _("Minggu ke-%(n)d: ") % {"n": week + 1} if repeat_weeks > 1 else ""
                    refused.setdefault(variant.channel_id, []).extend(
                        prefix + m for m in exc.messages
                    )
        if refused:
            raise ComposeRefused(refused)  # inside the transaction: all of it is undone
    return posts


# -- previews ---------------------------------------------------------------------------


@dataclass
class Preview:
    """One network's post as it will show, with what the platform counts."""

    channel: Channel
    caption: str  # the whole text that goes out (caption, then the hashtags)
    title: str
    media: list[MediaAsset]
    crop: str
    focus: str
    when: datetime | None
    counters: list[Counter]
    findings: list[Finding]
    refused: list[str] = field(default_factory=list)

    @property
    def platform(self) -> str:
        return self.channel.platform

    @property
    def over(self) -> bool:
        return any(c.over for c in self.counters)


def preview(
    *,
    agency: Agency,
    draft: ChannelDraft,
    message: str,
    category: str,
    media: list[MediaAsset],
) -> Preview:
    """The channel's post from unsaved text: counters and the platform limits (fast, no
    network); the full guardrails run when the officer schedules."""
    probe = PostVariant(caption=draft.text.caption or message, hashtags=draft.text.hashtags)
    caption = probe.full_caption
    subject = CheckSubject(
        platform=draft.channel.platform,
        caption=caption,
        title=draft.text.title,
        first_comment=draft.text.first_comment,
        media=media_infos(media, crop=draft.crop, focus=draft.focus),
        region_id=agency.region_id,
        agency_id=agency.pk,
        channel_id=draft.channel.pk,
        extra={"category": category, "message": message, "scheduled_at": draft.when},
    )
    return Preview(
        channel=draft.channel,
        caption=caption,
        title=draft.text.title,
        media=media,
        crop=draft.crop,
        focus=draft.focus or "center",
        when=draft.when,
        counters=counters(subject),
        findings=apply_region_severity(check_platform_limits(subject), agency.region_id),
    )


# -- suggestions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    when: datetime  # aware, in the region's zone
    reason: str


def _day_load(agency: Agency, first: datetime, days: int) -> dict[object, int]:
    start, end = local_day_bounds(first.date(), first.date() + timedelta(days=days))
    rows = (
        PostVariant.objects.filter(
            post__agency=agency, scheduled_at__gte=start, scheduled_at__lt=end
        )
        .exclude(status=S.CANCELLED)
        .annotate(day=TruncDate("scheduled_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
    )
    return {r["day"]: r["n"] for r in rows}


def slot_suggestions(agency: Agency, platforms: Iterable[str], *, limit: int = 4) -> list[Slot]:
    """The next week's best times of the agency's own posts (strategy.creativity.best_times),
    days with nothing planned first; common hours when there is no history yet."""
    now = clock.localtime()
    names = dict(Platform.choices)
    best: dict[tuple[int, int], tuple[float, str]] = {}
    for platform in dict.fromkeys(platforms):
        for slot in best_times(agency, platform):
            key = (slot.weekday, slot.hour)
            if key not in best or best[key][0] < slot.mean_engagement:
                best[key] = (
                    slot.mean_engagement,
                    _("waktu terbaik %(p)s") % {"p": names.get(platform, platform)},
                )
    load = _day_load(agency, now, 8)
    candidates: list[tuple[bool, float, datetime, str]] = []
    for offset in range(8):
        day = now.date() + timedelta(days=offset)
        hours = [(h, e, r) for (w, h), (e, r) in best.items() if w == day.weekday()]
        if not best:
            hours = [(h, 0.0, "") for h in DEFAULT_HOURS]
        for hour, engagement, reason in hours:
            when = datetime.combine(day, time(hour), tzinfo=now.tzinfo)
            if when < now + timedelta(minutes=30):
                continue
            free = not load.get(day)
            why = [reason] if reason else []
            if free:
                why.append(_("hari kosong di kalender"))
            candidates.append((not free, -engagement, when, ", ".join(why)))
    out: list[Slot] = []
    days_taken: set[object] = set()
    for _busy, _eng, when, reason in sorted(candidates, key=lambda c: (c[0], c[1], c[2])):
        if when.date() in days_taken:
            continue
        days_taken.add(when.date())
        out.append(Slot(when=when, reason=reason or _("slot kosong")))
        if len(out) == limit:
            break
    return sorted(out, key=lambda s: s.when)


def cadence_gaps(agency: Agency) -> list[tuple[str, int]]:
    """This week's shortfall per channel the agency posts on: the figure the calendar, the
    home page and the dashboard state (analytics.cadence)."""
    today = clock.localdate()
    monday = today - timedelta(days=today.weekday())
    zone = ZoneInfo(agency.region.timezone)
    gaps = week_gaps([agency], week_start=monday, tz=zone)[agency.pk]
    return [(g.target.label, g.missing) for g in gaps if g.missing]


def hashtag_chips(agency: Agency) -> list[dict[str, object]]:
    """The strategy's required hashtags first, then the agency's own well-performing ones."""
    return suggest_hashtags(agency, current_strategy(agency).data, limit=8)
