"""The content app's part of the home page's to-do list (institutions.todo).

Posts that failed or need attention, and this week's cadence gaps per channel: only the
channels an agency really has, each by its own platform's target. A fixed number of
queries however many agencies and channels there are.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from warta.analytics.cadence import week_gaps
from warta.content.models import PostVariant
from warta.institutions.models import Agency, Officer
from warta.institutions.todo import LIMIT, Ask, Found, Section, Todo, register, total_of

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


def cadence_gaps(ask: Ask) -> Found:
    """This week's shortfall per channel, from analytics.cadence: the figure the dashboard
    and the calendar state (a channel the strategy sets no cadence for has the default)."""
    agencies = _agencies(ask)
    monday = ask.today - timedelta(days=ask.today.weekday())
    zone = ZoneInfo(str(timezone.get_current_timezone()))
    gaps = week_gaps(agencies, week_start=monday, tz=zone)
    names = ask.short_names or {a.pk: a.short_name for a in agencies}
    days_left = 7 - ask.today.weekday()
    todos: list[Todo] = []
    total = 0
    for agency_id in ask.agency_ids:
        for gap in gaps.get(agency_id, []):
            if not gap.missing:
                continue
            total += 1
            if len(todos) == LIMIT:  # counted, not written out: only LIMIT are shown
                continue
            todos.append(
                Todo(
                    text=gap.target.label,
                    url=reverse("content:calendar")
                    + f"?view=week&agency={agency_id}&channel={gap.target.channel.pk}",
                    detail=gettext("%(count)d dari target %(target)d unggahan minggu ini")
                    % {"count": gap.posts, "target": gap.wanted},
                    when=ngettext("kurang %(n)d", "kurang %(n)d", gap.missing) % {"n": gap.missing}
                    + " · "
                    + ngettext("%(d)d hari lagi", "%(d)d hari lagi", days_left) % {"d": days_left},
                    urgent=gap.missing >= days_left,
                    agency=names.get(agency_id, ""),
                )
            )
    return Found(todos, total)


def _agencies(ask: Ask) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=ask.agency_ids).only("pk", "short_name", "region_id"))


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
