"""Each channel an agency has, against its own cadence target: one source for those figures.

The dashboards, the warnings, the monthly report, the calendar and the officer's home page
all read targets and this week's gaps from here, so that no page asks for posts on a
platform where the agency has no account, or forgets one it has:

    channel_targets(agencies)            -> {agency id: [ChannelTarget]}
    week_gaps(agencies, week_start=...)  -> {agency id: [WeekGap]} for every channel it has
    weeks_gaps(agencies, week_starts=[...]) -> {monday: {agency id: [WeekGap]}}

A channel's target is its platform's cadence in the agency's current strategy; a channel
on a platform the strategy sets no cadence for is held to DEFAULT_POSTS_PER_WEEK. Either
call costs a fixed number of queries, whatever the number of agencies.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warta.analytics.indices import DEFAULT_POSTS_PER_WEEK
from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.institutions.models import Agency
from warta.lib.platforms import MESSAGING_PLATFORMS
from warta.strategy.schema import StrategyData
from warta.strategy.selectors import current_strategies


@dataclass(frozen=True)
class ChannelTarget:
    channel: Channel
    per_week: float
    is_default: bool  # the strategy sets no cadence for this platform

    @property
    def label(self) -> str:
        """'Instagram @dishub.bontang': how every page names the channel."""
        return str(self.channel)


def channel_targets(
    agencies: Iterable[Agency],
    *,
    platform: str = "",
    strategies: Mapping[int, StrategyData] | None = None,
) -> dict[int, list[ChannelTarget]]:
    """The channels each agency posts on (not disabled), each with its own weekly target.

    A messaging line (WhatsApp) has no cadence: nothing is published to it.

    `strategies` (from strategy.selectors.current_strategies) saves reading them again
    when the caller has them already.
    """
    agency_list = list(agencies)
    out: dict[int, list[ChannelTarget]] = {a.pk: [] for a in agency_list}
    if not agency_list:
        return out
    channels = (
        Channel.objects.filter(agency_id__in=list(out))
        .exclude(status=Channel.Status.DISABLED)
        .exclude(platform__in=MESSAGING_PLATFORMS)
    )
    if platform:
        channels = channels.filter(platform=platform)
    found = list(channels.order_by("agency_id", "platform", "handle"))
    # Only agencies with channels need their strategy read.
    with_channels = {c.agency_id for c in found}
    if strategies is None:
        strategies = current_strategies([a for a in agency_list if a.pk in with_channels])
    for c in found:
        cadence = strategies[c.agency_id]["cadence"]
        value = float(cadence.get(c.platform) or 0)
        out[c.agency_id].append(
            ChannelTarget(c, value if value > 0 else DEFAULT_POSTS_PER_WEEK, value <= 0)
        )
    return out


@dataclass(frozen=True)
class WeekGap:
    target: ChannelTarget
    posts: int  # published or scheduled in the week (failed and cancelled do not count)

    @property
    def wanted(self) -> int:
        return math.ceil(self.target.per_week)

    @property
    def missing(self) -> int:
        return max(0, self.wanted - self.posts)

    @property
    def advice(self) -> str:
        """'Instagram @dishub.bontang: 2 unggahan lagi minggu ini', or that it is on target."""
        if self.missing:
            return ngettext(
                "%(channel)s: %(n)s unggahan lagi minggu ini",
                "%(channel)s: %(n)s unggahan lagi minggu ini",
                self.missing,
            ) % {"channel": self.target.label, "n": self.missing}
        return _("%(channel)s: target minggu ini tercapai") % {"channel": self.target.label}


def week_gaps(
    agencies: Iterable[Agency], *, week_start: date, tz: ZoneInfo
) -> dict[int, list[WeekGap]]:
    """For the week starting `week_start` (a Monday, region time): each channel's gap."""
    return weeks_gaps(agencies, week_starts=[week_start], tz=tz)[week_start]


def weeks_gaps(
    agencies: Iterable[Agency], *, week_starts: Sequence[date], tz: ZoneInfo
) -> dict[date, dict[int, list[WeekGap]]]:
    """Each week's gaps (Mondays, region time), for the calendar's weeks: fixed queries.

    A post counts in the week it was published, or, not yet published, the week it is
    scheduled for; failed and cancelled posts do not count.
    """
    targets = channel_targets(agencies)
    ids = [t.channel.pk for ts in targets.values() for t in ts]
    mondays = sorted(set(week_starts))
    counts: dict[tuple[int, date], int] = defaultdict(int)
    if ids and mondays:
        lo = datetime.combine(mondays[0], time.min, tz)
        hi = datetime.combine(mondays[-1], time.min, tz) + timedelta(days=7)
        rows = (
            PostVariant.objects.filter(channel_id__in=ids)
            .exclude(status__in=[PostVariant.Status.FAILED, PostVariant.Status.CANCELLED])
            .filter(
                Q(published_at__gte=lo, published_at__lt=hi)
                | Q(published_at__isnull=True, scheduled_at__gte=lo, scheduled_at__lt=hi)
            )
            .values_list("channel_id", "published_at", "scheduled_at")
        )
        for channel_id, published, scheduled in rows:
            at = published or scheduled
            if at is None:  # excluded by the filter; keeps the type checker honest
                continue
            when = at.astimezone(tz).date()
            weeks_in = (when - mondays[0]).days // 7
            counts[(channel_id, mondays[0] + timedelta(weeks=weeks_in))] += 1
    return {
        monday: {
            agency_id: [WeekGap(t, counts[(t.channel.pk, monday)]) for t in ts]
            for agency_id, ts in targets.items()
        }
        for monday in mondays
    }
