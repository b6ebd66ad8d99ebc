"""Early warnings: what is wrong, how bad, what to do about it and where.

Each warning is built from the same figures the dashboard shows (AgencyFigures), so the
warning, the ranking and the report never state two different numbers.
"""

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from warta.lib import readable

# The figures are selectors.AgencyFigures; typed loosely because selectors imports this
# module (an import back, even for typing only, is a cycle the layer test refuses).
AgencyFigures = Any

# A channel silent this long gets a warning; this long or longer, an urgent one.
GAP_WARN_DAYS = 14
GAP_URGENT_DAYS = 28
# Fewer than this share of public questions answered (out of at least MIN_QUESTIONS).
ANSWERED_WARN_SHARE = 50
MIN_QUESTIONS = 5


class Severity(IntEnum):
    INFO = 1
    WARN = 2
    URGENT = 3

    @property
    def label(self) -> str:
        return str(SEVERITY_LABELS[self])


SEVERITY_LABELS = {
    Severity.INFO: gettext_lazy("Perlu diperhatikan"),
    Severity.WARN: gettext_lazy("Perlu tindakan"),
    Severity.URGENT: gettext_lazy("Mendesak"),
}


@dataclass(frozen=True)
class Alert:
    severity: Severity
    text: str  # what is wrong, with its figure
    action: str  # what to do
    url: str  # where to do it

    def __str__(self) -> str:
        return self.text

    @property
    def severity_label(self) -> str:
        return self.severity.label

    @property
    def css(self) -> str:
        return {Severity.URGENT: "danger", Severity.WARN: "warn"}.get(self.severity, "info")


def agency_alerts(f: AgencyFigures) -> list[Alert]:
    """The warnings of one agency, most severe first."""
    agency = f.agency
    calendar = reverse("content:calendar") + "?" + urlencode({"agency": agency.pk})
    out: list[Alert] = []
    for channel, c in f.channel_consistency:
        if c.longest_gap_days <= GAP_WARN_DAYS or not (c.gap_from and c.gap_to):
            continue
        out.append(
            Alert(
                Severity.URGENT if c.longest_gap_days >= GAP_URGENT_DAYS else Severity.WARN,
                ngettext(
                    "%(channel)s: tidak ada unggahan selama %(days)s hari (%(a)s–%(b)s).",  # noqa: RUF001  (typographic dash on purpose)
                    "%(channel)s: tidak ada unggahan selama %(days)s hari (%(a)s–%(b)s).",  # noqa: RUF001  (typographic dash on purpose)
                    c.longest_gap_days,
                )
                % {
                    "channel": channel,
                    "days": c.longest_gap_days,
                    "a": date_format(c.gap_from, "j M"),
                    "b": date_format(c.gap_to, "j M Y"),
                },
                _(
                    "Jadwalkan unggahan untuk kanal ini (target %(target)s unggahan/minggu), "
                    "atau nonaktifkan kanal bila tidak dipakai lagi."
                )
                % {"target": readable.number(c.target_per_week, 1)},
                calendar,
            )
        )
    r = f.response
    if (
        r.answered_share is not None
        and r.questions >= MIN_QUESTIONS
        and r.answered_share < ANSWERED_WARN_SHARE
    ):
        out.append(
            Alert(
                Severity.URGENT,
                _("Hanya %(share)s pertanyaan publik dijawab (%(answered)s dari %(questions)s).")
                % {
                    "share": readable.percent(r.answered_share),
                    "answered": readable.number(r.answered),
                    "questions": readable.number(r.questions),
                },
                _("Jawab pertanyaan yang masih terbuka di kotak masuk."),
                reverse("engagement:inbox")
                + "?"
                + urlencode(
                    {"agency": agency.pk, "status": "open", "annotation": "intent:question"}
                ),
            )
        )
    if f.apathy.firing:
        out.append(
            Alert(
                Severity.WARN,
                f.apathy.reason,
                _(
                    "Pelajari unggahan yang paling banyak ditanggapi dan ulangi bentuk, jam dan "
                    "topiknya; ajak warga bertanya."
                ),
                reverse("analytics:agency", args=[agency.pk]),
            )
        )
    if f.mix.activity_heavy:
        out.append(
            Alert(
                Severity.INFO,
                _("Didominasi laporan kegiatan (%(share)s unggahan).")
                % {"share": readable.percent(f.mix.activity_share)},
                _("Rencanakan lebih banyak informasi layanan, edukasi dan ajakan berpartisipasi."),
                calendar,
            )
        )
    out.sort(key=lambda a: -a.severity)
    return out


@dataclass(frozen=True)
class AgencyAlerts:
    """One agency's warnings, for the grouped list."""

    figures: AgencyFigures
    alerts: list[Alert]

    @property
    def severity(self) -> Severity:
        return max(a.severity for a in self.alerts)


def grouped(figures: list[AgencyFigures]) -> list[AgencyAlerts]:
    """Agencies with warnings, the most severe and most warned first."""
    groups = [AgencyAlerts(f, f.warnings) for f in figures if f.warnings]
    groups.sort(key=lambda g: (-g.severity, -len(g.alerts), g.figures.agency.short_name))
    return groups
