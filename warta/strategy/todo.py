"""The strategy's part of the home page's to-do list: proposed changes awaiting a decision."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from warta.institutions.models import Officer
from warta.institutions.todo import LIMIT, Ask, Found, Section, Todo, register, total_of
from warta.strategy.selectors import pending_proposals

R = Officer.Role


def proposals(ask: Ask) -> Found:
    qs = pending_proposals(ask.officer.region_id, ask.agency_ids)
    items = [
        Todo(
            text=gettext("Usulan strategi v%(n)d: %(reason)s")
            % {"n": version.number, "reason": version.reason[:90]},
            url=reverse("strategy:version_detail", args=[version.pk]),
            detail=gettext("diusulkan %(who)s")
            % {"who": version.author.get_full_name() if version.author else "—"},
            when=date_format(timezone.localtime(version.created_at), "j M"),
            agency=version.agency.short_name if version.agency else "",
        )
        for version in qs[:LIMIT]
    ]
    return Found(items, total_of(qs, items))


def register_sections() -> None:
    register(
        Section(
            "proposals",
            _("Usulan perubahan strategi yang menunggu keputusan"),
            {R.HEAD: 50, R.COORDINATOR: 70},
            proposals,
            lambda ask: reverse("strategy:strategy_home"),
        )
    )
