"""The monthly report's first page: sentences written from the month's figures.

What improved, what worsened, which agencies need help, what the public asked most and
what was done with it. Every number comes from the same AgencyFigures as the dashboard
and the ranking (selectors.agencies_figures) or from the consultations of the month.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import F, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warta.analytics import alerts
from warta.analytics.selectors import AgencyFigures
from warta.engagement.models import ConsultationInput, ConsultationTheme
from warta.institutions.models import Agency
from warta.lib import readable

# A score change this large (points) is worth a sentence.
SCORE_CHANGE = 5
TOP_THEMES = 3
NAMED_AGENCIES = 3


@dataclass
class ThemeLine:
    theme: ConsultationTheme
    inputs: int
    answer: str  # the answer's label, or "" while unanswered
    actions: list[tuple[str, int]]  # (title, progress %)

    @property
    def agency(self) -> Agency:
        return self.theme.consultation.agency


@dataclass
class Briefing:
    sentences: list[str]
    themes: list[ThemeLine] = field(default_factory=list)


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s dan %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def asked_most(
    agencies: list[Agency], start: date, end: date, tz: ZoneInfo, *, n: int = TOP_THEMES
) -> list[ThemeLine]:
    """The themes with the most public input received in the period, with their follow-up.

    A fixed number of queries: input counted per theme in one, the top themes with their
    consultations and actions in two more.
    """
    lo = datetime.combine(start, time.min, tz)
    hi = datetime.combine(end, time.max, tz)
    counted = list(
        ConsultationInput.objects.filter(
            consultation__agency__in=agencies,
            received_at__gte=lo,
            received_at__lte=hi,
            theme__isnull=False,
            duplicate_of__isnull=True,
        )
        .values("theme_id")
        .annotate(counted=Sum(F("duplicates") + 1))
        .order_by("-counted", "theme_id")[:n]
    )
    if not counted:
        return []
    themes = {
        t.pk: t
        for t in ConsultationTheme.objects.filter(pk__in=[c["theme_id"] for c in counted])
        .select_related("consultation__agency")
        .prefetch_related("actions")
    }
    out = []
    for c in counted:
        theme = themes[c["theme_id"]]
        out.append(
            ThemeLine(
                theme=theme,
                inputs=c["counted"],
                answer=theme.get_answer_display() if theme.answer else "",
                actions=[(a.title, a.progress) for a in theme.actions.all()],
            )
        )
    return out


def month_briefing(
    *,
    figures: list[AgencyFigures],
    previous: list[AgencyFigures],
    month: date,
    themes: list[ThemeLine],
    single_agency: bool,
) -> Briefing:
    month_label = date_format(month, "F Y")
    posts = sum(f.posts for f in figures)
    engagement = sum(f.engagement for f in figures)
    before = sum(f.posts for f in previous)
    sentences = []
    opening = ngettext(
        "Pada %(month)s, %(n)s perangkat daerah menerbitkan %(posts)s unggahan dengan "
        "%(engagement)s interaksi",
        "Pada %(month)s, %(n)s perangkat daerah menerbitkan %(posts)s unggahan dengan "
        "%(engagement)s interaksi",
        len(figures),
    ) % {
        "month": month_label,
        "n": readable.number(len(figures)),
        "posts": readable.number(posts),
        "engagement": readable.number(engagement),
    }
    if single_agency and figures:
        opening = _(
            "Pada %(month)s, %(agency)s menerbitkan %(posts)s unggahan dengan %(engagement)s "
            "interaksi"
        ) % {
            "month": month_label,
            "agency": figures[0].agency.name,
            "posts": readable.number(posts),
            "engagement": readable.number(engagement),
        }
    if before:
        change = 100 * (posts - before) / before
        if abs(change) >= 1:
            opening += " " + (
                _("(%(pct)s lebih banyak dari bulan sebelumnya)")
                if change > 0
                else _("(%(pct)s lebih sedikit dari bulan sebelumnya)")
            ) % {"pct": readable.percent(abs(change))}
    sentences.append(opening + ".")

    prev_scores = {f.agency.pk: f.score for f in previous if f.score is not None}
    moves = [
        (f.score - prev_scores[f.agency.pk], f)
        for f in figures
        if f.score is not None and f.agency.pk in prev_scores
    ]
    up = sorted((m for m in moves if m[0] >= SCORE_CHANGE), key=lambda m: -m[0])
    down = sorted((m for m in moves if m[0] <= -SCORE_CHANGE), key=lambda m: m[0])

    def moved(items: list[tuple[int, AgencyFigures]]) -> str:
        return _names(
            [
                _("%(agency)s (skor %(a)s → %(b)s)")
                % {
                    "agency": f.agency.short_name,
                    "a": prev_scores[f.agency.pk],
                    "b": f.score,
                }
                for _d, f in items[:NAMED_AGENCIES]
            ]
        )

    if up:
        sentences.append(_("Membaik: %(list)s.") % {"list": moved(up)})
    if down:
        sentences.append(_("Memburuk: %(list)s.") % {"list": moved(down)})
    if not up and not down and moves:
        sentences.append(_("Skor perangkat daerah tidak banyak berubah dari bulan sebelumnya."))

    groups = [g for g in alerts.grouped(figures) if g.severity == alerts.Severity.URGENT]
    if groups:
        sentences.append(
            ngettext(
                "Perlu dibantu: %(list)s.",
                "Perlu dibantu: %(list)s.",
                len(groups),
            )
            % {
                "list": "; ".join(
                    f"{g.figures.agency.short_name} — {g.alerts[0].text.rstrip('.')}"
                    for g in groups[:NAMED_AGENCIES]
                )
            }
        )
        if len(groups) > NAMED_AGENCIES:
            sentences[-1] += " " + (
                ngettext(
                    "%(n)s perangkat daerah lain juga mendapat peringatan mendesak.",
                    "%(n)s perangkat daerah lain juga mendapat peringatan mendesak.",
                    len(groups) - NAMED_AGENCIES,
                )
                % {"n": len(groups) - NAMED_AGENCIES}
            )
    elif figures:
        sentences.append(_("Tidak ada peringatan mendesak bulan ini."))

    questions = sum(f.response.questions for f in figures)
    answered = sum(f.response.answered for f in figures)
    timed = [
        (f.response.mean_response_minutes, f.response.answered)
        for f in figures
        if f.response.mean_response_minutes is not None and f.response.answered
    ]
    if questions:
        line = _("Publik mengajukan %(q)s pertanyaan; %(a)s (%(pct)s) dijawab") % {
            "q": readable.number(questions),
            "a": readable.number(answered),
            "pct": readable.percent(100 * answered / questions),
        }
        if timed:
            mean = sum(m * n for m, n in timed) / sum(n for _m, n in timed)
            line += _(", rata-rata dalam %(d)s") % {"d": readable.duration(mean)}
        sentences.append(line + ".")
    if themes:
        parts = []
        for t in themes:
            what = _("“%(theme)s” (%(n)s masukan, %(agency)s)") % {
                "theme": t.theme.label,
                "n": readable.number(t.inputs),
                "agency": t.agency.short_name,
            }
            if t.actions:
                done = round(sum(p for _t, p in t.actions) / len(t.actions))
                what += " " + (
                    ngettext(
                        "— %(n)s tindak lanjut, rata-rata %(pct)s selesai",
                        "— %(n)s tindak lanjut, rata-rata %(pct)s selesai",
                        len(t.actions),
                    )
                    % {"n": len(t.actions), "pct": readable.percent(done)}
                )
            elif t.answer:
                what += " " + _("— dijawab: %(answer)s") % {"answer": t.answer.lower()}
            else:
                what += " " + _("— belum dijawab")
            parts.append(what)
        sentences.append(
            _("Yang paling banyak disampaikan publik: %(list)s.") % {"list": "; ".join(parts)}
        )
    return Briefing(sentences=sentences, themes=themes)
