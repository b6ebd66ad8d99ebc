"""The engagement app's part of the home page's to-do list (institutions.todo).

Replies overdue or due today, information requests with the days left, objections
awaiting the head (atasan PPID), and consultation input waiting to be grouped or answered.
Each section is two queries (the first items and the count), whatever the number of agencies.
"""

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from warta.engagement.models import Consultation, InboxItem, InformationRequest, Objection
from warta.institutions.models import Officer
from warta.institutions.todo import LIMIT, Ask, Found, Section, Todo, days_word, register, total_of

R = Officer.Role


def _end_of_today(ask: Ask) -> datetime:
    zone = timezone.get_current_timezone()
    return datetime.combine(ask.today + timedelta(days=1), datetime.min.time(), tzinfo=zone)


def _days_to(moment: datetime, ask: Ask) -> int:
    return (timezone.localtime(moment).date() - ask.today).days


def _hhmm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H.%M")


def _reply_when(due: datetime, ask: Ask) -> str:
    if due >= ask.now:
        return gettext("batas hari ini pukul %(t)s") % {"t": _hhmm(due)}
    if _days_to(due, ask) == 0:
        return gettext("lewat batas sejak %(t)s") % {"t": _hhmm(due)}
    hours = int((ask.now - due).total_seconds() // 3600)
    if hours < 48:  # just after midnight, "lewat 1 hari" would overstate two hours
        return ngettext("lewat batas %(n)d jam", "lewat batas %(n)d jam", hours) % {"n": hours}
    return days_word(_days_to(due, ask))


def replies_due(ask: Ask) -> Found:
    qs = InboxItem.objects.filter(
        agency_id__in=ask.agency_ids,
        first_response_at__isnull=True,
        response_due_at__isnull=False,
        status__in=[InboxItem.Status.NEW, InboxItem.Status.ASSIGNED],
    )
    # The coordinator watches the region: only what is already late.
    limit = ask.now if ask.officer.is_coordinator else _end_of_today(ask)
    qs = qs.filter(response_due_at__lt=limit)
    items = []
    for item in qs.select_related("agency", "channel").order_by("response_due_at", "id")[:LIMIT]:
        due = item.response_due_at
        assert due is not None  # filtered above
        items.append(
            Todo(
                text=f"{item.author_name or item.author_handle}: {item.text[:90]}",
                url=reverse("engagement:item_detail", args=[item.pk]),
                detail=str(item.channel),
                when=_reply_when(due, ask),
                urgent=True,
                agency=item.agency.short_name,
            )
        )
    return Found(items, total_of(qs, items))


def requests_open(ask: Ask) -> Found:
    qs = InformationRequest.objects.filter(
        agency_id__in=ask.agency_ids, status=InformationRequest.Status.IN_PROCESS
    )
    if ask.officer.role != R.OFFICER:
        # The head and the coordinator follow the ones close to or past their deadline.
        qs = qs.filter(due_at__lt=_end_of_today(ask) + timedelta(days=3))
    items = []
    for request in qs.select_related("agency").order_by("due_at", "id")[:LIMIT]:
        days = _days_to(request.due_at, ask)
        items.append(
            Todo(
                text=f"{request.register_number} · {request.information_requested[:90]}",
                url=reverse("engagement:request_detail", args=[request.pk]),
                detail=gettext("Pemohon: %(name)s") % {"name": request.requester_name},
                when=days_word(days),
                urgent=days <= 1,
                agency=request.agency.short_name,
            )
        )
    return Found(items, total_of(qs, items))


def objections_open(ask: Ask) -> Found:
    qs = Objection.objects.filter(request__agency_id__in=ask.agency_ids, answered_at__isnull=True)
    items = []
    for objection in qs.select_related("request", "request__agency").order_by("due_at", "id")[
        :LIMIT
    ]:
        days = _days_to(objection.due_at, ask)
        items.append(
            Todo(
                text=f"{objection.request.register_number} · {objection.get_reason_display()}",
                url=reverse("engagement:request_detail", args=[objection.request_id]),
                detail=gettext("Keberatan menunggu tanggapan atasan PPID"),
                when=days_word(days),
                urgent=days <= 1,
                agency=objection.request.agency.short_name,
            )
        )
    return Found(items, total_of(qs, items))


def consultation_input(ask: Ask) -> Found:
    waiting = Q(inputs__theme__isnull=True, inputs__duplicate_of__isnull=True)
    qs = (
        Consultation.objects.filter(agency_id__in=ask.agency_ids)
        .annotate(
            ungrouped=Count("inputs", filter=waiting, distinct=True),
            unanswered=Count(
                "themes",
                filter=Q(themes__answer="", closes_at__lte=ask.now),
                distinct=True,
            ),
        )
        .filter(Q(ungrouped__gt=0) | Q(unanswered__gt=0))
    )
    items = []
    for consultation in qs.select_related("agency").order_by("closes_at", "id")[:LIMIT]:
        parts = []
        if consultation.ungrouped:  # type: ignore[attr-defined]
            parts.append(
                gettext("%(n)d masukan belum dikelompokkan") % {"n": consultation.ungrouped}  # type: ignore[attr-defined]
            )
        if consultation.unanswered:  # type: ignore[attr-defined]
            parts.append(
                gettext("%(n)d tema belum dijawab") % {"n": consultation.unanswered}  # type: ignore[attr-defined]
            )
        closed = consultation.closes_at <= ask.now
        items.append(
            Todo(
                text=consultation.title,
                url=reverse("engagement:consultation_detail", args=[consultation.pk]),
                detail=" · ".join(parts),
                when=gettext("sudah ditutup")
                if closed
                else gettext("ditutup %(date)s")
                % {"date": date_format(timezone.localtime(consultation.closes_at), "j M")},
                urgent=closed,
                agency=consultation.agency.short_name,
            )
        )
    return Found(items, total_of(qs, items))


def register_sections() -> None:
    register(
        Section(
            "replies",
            _("Balasan yang lewat batas atau jatuh tempo hari ini"),
            {R.OFFICER: 10, R.COORDINATOR: 30},
            replies_due,
            lambda ask: (
                reverse("engagement:inbox")
                + ("?status=open&overdue=1" if ask.officer.is_coordinator else "?status=open")
            ),
        )
    )
    register(
        Section(
            "requests",
            _("Permohonan informasi"),
            {R.OFFICER: 20, R.HEAD: 20, R.COORDINATOR: 40},
            requests_open,
            lambda ask: reverse("engagement:request_list") + "?status=in_process",
        )
    )
    register(
        Section(
            "objections",
            _("Keberatan yang menunggu tanggapan"),
            {R.HEAD: 10, R.OFFICER: 25, R.COORDINATOR: 45},
            objections_open,
            lambda ask: reverse("engagement:request_list"),
        )
    )
    register(
        Section(
            "consultations",
            _("Masukan konsultasi publik yang menunggu"),
            {R.OFFICER: 70},
            consultation_input,
            lambda ask: reverse("engagement:consultation_list"),
        )
    )
