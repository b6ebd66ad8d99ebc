"""Each channel an agency has, against its own cadence target: one source for those figures.

The dashboards, the warnings, the monthly report, the calendar and the officer's home page
all read targets and this week's gaps from here, so that no page asks for posts on a
platform where the agency has no account, or forgets one it has:

    channel_targets(agencies)            -> {agency id: [ChannelTarget]}
    week_gaps(agencies, week_start=...)  -> {agency id: [WeekGap]} for every channel it has

A channel's target is its platform's cadence in the agency's current strategy; a channel
on a platform the strategy sets no cadence for is held to DEFAULT_POSTS_PER_WEEK. Either
call costs a fixed number of queries, whatever the number of agencies.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warta.analytics.indices import DEFAULT_POSTS_PER_WEEK
from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.institutions.models import Agency
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
    """The channels each agency has (not disabled), each with its own weekly target.

    `strategies` (from strategy.selectors.current_strategies) saves reading them again
    when the caller has them already.
    """
    agency_list = list(agencies)
    out: dict[int, list[ChannelTarget]] = {a.pk: [] for a in agency_list}
    if not agency_list:
        return out
    channels = Channel.objects.filter(agency_id__in=list(out)).exclude(
        status=Channel.Status.DISABLED
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
    targets = channel_targets(agencies)
    ids = [t.channel.pk for ts in targets.values() for t in ts]
    lo = datetime.combine(week_start, time.min, tz)
    hi = lo + timedelta(days=7)
    counts = dict(
        PostVariant.objects.filter(channel_id__in=ids)
        .exclude(status__in=[PostVariant.Status.FAILED, PostVariant.Status.CANCELLED])
        .filter(
            Q(published_at__gte=lo, published_at__lt=hi)
            | Q(published_at__isnull=True, scheduled_at__gte=lo, scheduled_at__lt=hi)
        )
        .values("channel_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("channel_id", "n")
    )
    out: dict[int, list[WeekGap]] = defaultdict(list)
    for agency_id, ts in targets.items():
        out[agency_id] = [WeekGap(t, counts.get(t.channel.pk, 0)) for t in ts]
    return dict(out)
