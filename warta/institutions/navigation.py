"""The menu each role sees. Apps add their entries here, in the order people use them."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from warta.institutions.models import Officer


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str]
    # Settings and records (agencies, officers, channels, audit, tokens) sit in the
    # secondary "Pengaturan" menu; the main menu holds the daily work.
    secondary: bool = False


ALL = frozenset(Officer.Role.values)
COORDINATOR = frozenset({Officer.Role.COORDINATOR})

# Each app owns the view behind its entry; entries whose URL does not exist are skipped.
NAV_ITEMS: list[NavItem] = [
    NavItem("home", _("Beranda"), ALL),
    NavItem("content:calendar", _("Kalender"), ALL),
    NavItem("engagement:inbox", _("Kotak masuk"), ALL),
    NavItem("engagement:request_list", _("Permohonan informasi"), ALL),
    NavItem("engagement:consultation_list", _("Konsultasi publik"), ALL),
    NavItem("guardrails:review_queue", _("Persetujuan"), COORDINATOR),
    NavItem("strategy:strategy_home", _("Strategi konten"), ALL),
    NavItem("analytics:dashboard", _("Analitik"), ALL),
    NavItem("archive:search", _("Arsip"), ALL),
    NavItem("institutions:agency_list", _("Perangkat daerah"), ALL, secondary=True),
    NavItem("institutions:officer_list", _("Petugas"), COORDINATOR, secondary=True),
    NavItem("channels:channel_list", _("Kanal"), ALL, secondary=True),
    NavItem("core:audit_list", _("Log audit"), COORDINATOR, secondary=True),
    NavItem("institutions:region_settings", _("Kop laporan"), COORDINATOR, secondary=True),
]


def nav_for_role(role: str, current_path: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for item in NAV_ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # an app that is not wired in this installation
        active = current_path == url or (url != "/" and current_path.startswith(url))
        items.append(
            {"url": url, "label": item.label, "active": active, "secondary": item.secondary}
        )
    return items
