"""The content app's part of the home page's to-do list (institutions.todo).

Posts that failed or need attention, and this week's cadence gaps per channel: only the
channels an agency really has, each by its own platform's target. A fixed number of
queries however many agencies and channels there are.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.content.selectors import cadence_channels, channel_cadence, week_counts
from warta.institutions.models import Agency, Officer
from warta.institutions.todo import LIMIT, Ask, Found, Section, Todo, register, total_of
from warta.strategy.selectors import cadence_targets_for

R = Officer.Role
S = PostVariant.Status


def failed_posts(ask: Ask) -> Found:
    qs = PostVariant.objects.filter(
        post__agency_id__in=ask.agency_ids, status__in=[S.FAILED, S.NEEDS_ATTENTION]
    )
    items = []
    for variant in qs.select_related("post", "post__agency", "channel").order_by(
        "-updated_at", "-id"
    )[:LIMIT]:
        items.append(
            Todo(
                text=f"{variant.channel} · {(variant.post.title or variant.caption)[:80]}",
                url=reverse("content:post_detail", args=[variant.post_id]),
                detail=(variant.last_error or variant.get_status_display())[:200],
                when=variant.get_status_display(),
                urgent=True,
                agency=variant.post.agency.short_name,
            )
        )
    return Found(items, total_of(qs, items))


def week_bounds(ask: Ask) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    monday = ask.today - timedelta(days=ask.today.weekday())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone)
    return start, start + timedelta(days=7)


def cadence_gaps(ask: Ask) -> Found:
    channels = cadence_channels(ask.agency_ids)
    if not channels:
        return Found([], 0)
    targets = cadence_targets_for(ask.officer.region_id, ask.agency_ids)
    start, end = week_bounds(ask)
    counts = week_counts(ask.agency_ids, start, end)
    names = ask.short_names or {a.pk: a.short_name for a in _agencies(ask)}
    days_left = 7 - ask.today.weekday()
    todos: list[Todo] = []
    total = 0
    by_agency: dict[int, list[Channel]] = {}
    for channel in channels:
        by_agency.setdefault(channel.agency_id, []).append(channel)
    for agency_id in ask.agency_ids:
        for row in channel_cadence(
            by_agency.get(agency_id, []), targets.get(agency_id, {}), counts
        ):
            if not row.gap:
                continue
            total += 1
            if len(todos) == LIMIT:  # counted, not written out: only LIMIT are shown
                continue
            todos.append(
                Todo(
                    text=str(row.channel),
                    url=reverse("content:calendar")
                    + f"?view=week&agency={agency_id}&channel={row.channel.pk}",
                    detail=gettext("%(count)d dari target %(target)d unggahan minggu ini")
                    % {"count": row.count, "target": row.target},
                    when=ngettext("kurang %(n)d", "kurang %(n)d", row.gap) % {"n": row.gap}
                    + " · "
                    + ngettext("%(d)d hari lagi", "%(d)d hari lagi", days_left) % {"d": days_left},
                    urgent=row.gap >= days_left,
                    agency=names.get(agency_id, ""),
                )
            )
    return Found(todos, total)


def _agencies(ask: Ask) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=ask.agency_ids).only("pk", "short_name"))


def register_sections() -> None:
    register(
        Section(
            "failed",
            _("Unggahan gagal atau perlu perhatian"),
            {R.OFFICER: 40, R.COORDINATOR: 20},
            failed_posts,
            lambda ask: reverse("content:calendar"),
        )
    )
    register(
        Section(
            "cadence",
            _("Kekurangan unggahan minggu ini per kanal"),
            {R.OFFICER: 60, R.HEAD: 40, R.COORDINATOR: 60},
            cadence_gaps,
            lambda ask: reverse("content:calendar") + "?view=week",
        )
    )
