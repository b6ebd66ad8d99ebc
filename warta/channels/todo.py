"""The channels' part of the home page's to-do list: accounts to connect again.

A channel that needs reconnecting (or whose token runs out within a week) holds up the
posts scheduled on it; the item says how many, and opens the channel, where it is done.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.institutions.models import Officer
from warta.institutions.todo import LIMIT, Ask, Found, Section, Todo, days_word, register, total_of

R = Officer.Role
EXPIRY_WARNING = timedelta(days=7)
URGENT_EXPIRY = timedelta(days=2)  # the second notice (content.notifications)


def reconnect(ask: Ask) -> Found:
    qs = Channel.objects.filter(agency_id__in=ask.agency_ids).filter(
        Q(status=Channel.Status.NEEDS_RECONNECT)
        | Q(status=Channel.Status.ACTIVE, token_expires_at__lt=ask.now + EXPIRY_WARNING)
    )
    items = []
    for channel in (
        qs.select_related("agency")
        .annotate(waiting=Count("variants", filter=Q(variants__status="scheduled")))
        .order_by("token_expires_at", "id")[:LIMIT]
    ):
        held = channel.waiting  # type: ignore[attr-defined]
        if channel.status == Channel.Status.NEEDS_RECONNECT:
            when = gettext("perlu disambungkan ulang")
        else:
            assert channel.token_expires_at is not None  # filtered above
            days = (channel.token_expires_at - ask.now).days
            when = gettext("token habis") + " · " + days_word(days)
        items.append(
            Todo(
                text=str(channel),
                # Straight to the reconnect form (channel_detail.html#sambung-ulang).
                url=reverse("channels:channel_detail", args=[channel.pk]) + "#sambung-ulang",
                detail=(
                    ngettext(
                        "%(n)d unggahan terjadwal menunggu kanal ini",
                        "%(n)d unggahan terjadwal menunggu kanal ini",
                        held,
                    )
                    % {"n": held}
                    if held
                    else channel.status_reason or channel.last_error[:160]
                ),
                when=when,
                urgent=channel.status == Channel.Status.NEEDS_RECONNECT
                or (
                    channel.token_expires_at is not None
                    and channel.token_expires_at < ask.now + URGENT_EXPIRY
                ),
                agency=channel.agency.short_name,
            )
        )
    return Found(items, total_of(qs, items))


def register_sections() -> None:
    register(
        Section(
            "reconnect",
            _("Kanal yang perlu disambungkan ulang"),
            {R.OFFICER: 50, R.COORDINATOR: 50},
            reconnect,
            lambda ask: reverse("channels:channel_list"),
        )
    )
