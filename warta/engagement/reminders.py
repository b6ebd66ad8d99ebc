"""Reminders to the people who must answer, before a response target or legal deadline passes."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warta.engagement.models import InboxItem, InformationRequest, Objection
from warta.engagement.services import inbox_due_for_reminder
from warta.institutions.models import Officer
from warta.lib import clock

INBOX_LEAD = timedelta(hours=2)
REQUEST_LEAD = timedelta(days=2)


def _agency_officers(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(
            officer__agencies__id=agency_id, officer__role=Officer.Role.OFFICER, is_active=True
        ).exclude(email="")
    )


def _send(user: User, subject: str, lines: list[str]) -> None:
    if not user.email:
        return
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])


def inbox_send_reminders(*, now: datetime | None = None) -> int:
    """Remind assignees (or the agency's officers) of messages whose target is near."""
    now = now or clock.now()
    items = list(
        InboxItem.objects.filter(inbox_due_for_reminder(now=now, lead=INBOX_LEAD))
        .select_related("assignee", "agency")
        .order_by("response_due_at")[:1000]
    )
    by_user: dict[int, tuple[User, list[InboxItem]]] = {}
    for item in items:
        recipients = [item.assignee] if item.assignee else _agency_officers(item.agency_id)
        for user in recipients:
            by_user.setdefault(user.pk, (user, []))[1].append(item)
    for user, its in by_user.values():
        lines = [_("Pesan berikut perlu ditanggapi sebelum batas waktu:"), ""]
        for item in its:
            due = timezone.localtime(item.response_due_at).strftime("%d-%m-%Y %H:%M")
            lines.append(
                f"- {item.agency.short_name} #{item.pk} ({due}) "
                f"{settings.SITE_URL}/interaksi/kotak-masuk/{item.pk}/"
            )
        _send(
            user,
            ngettext(
                "[warta] %(n)d pesan menunggu tanggapan",
                "[warta] %(n)d pesan menunggu tanggapan",
                len(its),
            )
            % {"n": len(its)},
            lines,
        )
    sent = InboxItem.objects.filter(pk__in=[i.pk for i in items], reminder_sent_at__isnull=True)
    return sent.update(reminder_sent_at=now)


def requests_send_reminders(*, now: datetime | None = None) -> int:
    """Remind the responsible officer of requests and objections whose deadline is near."""
    now = now or clock.now()
    requests = list(
        InformationRequest.objects.filter(
            status=InformationRequest.Status.IN_PROCESS,
            reminder_sent_at__isnull=True,
            due_at__lte=now + REQUEST_LEAD,
        ).select_related("responsible", "agency")
    )
    objections = list(
        Objection.objects.filter(
            answered_at__isnull=True,
            reminder_sent_at__isnull=True,
            due_at__lte=now + REQUEST_LEAD,
        ).select_related("request__responsible", "request__agency")
    )
    todo: dict[int, tuple[User, list[str]]] = {}
    for r in requests:
        due = timezone.localtime(r.due_at).strftime("%d-%m-%Y")
        line = _("Permohonan %(n)s: jawab paling lambat %(d)s") % {"n": r.register_number, "d": due}
        for user in [r.responsible] if r.responsible else _agency_officers(r.agency_id):
            todo.setdefault(user.pk, (user, []))[1].append(line)
    for o in objections:
        due = timezone.localtime(o.due_at).strftime("%d-%m-%Y")
        line = _("Keberatan atas %(n)s: tanggapi paling lambat %(d)s") % {
            "n": o.request.register_number,
            "d": due,
        }
        responsible = o.request.responsible
        for user in [responsible] if responsible else _agency_officers(o.request.agency_id):
            todo.setdefault(user.pk, (user, []))[1].append(line)
    for user, lines in todo.values():
        _send(user, _("[warta] Batas waktu permohonan informasi"), lines)
    count = InformationRequest.objects.filter(
        Q(pk__in=[r.pk for r in requests]), reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    count += Objection.objects.filter(
        pk__in=[o.pk for o in objections], reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    return count
