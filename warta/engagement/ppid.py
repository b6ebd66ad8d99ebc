"""Information requests under UU 14/2008 and Perki 1/2021: register, deadlines, answers, objections.

Deadlines are counted in working days of the agency's region (weekends, national holidays
and cuti bersama skipped): an answer within 10 working days of receipt, extendable once by
7 working days with a written reason (Pasal 22); an objection may be filed within 30
working days after the answer (or after the deadline passed unanswered), and must be
answered within 30 working days (Pasal 36).
"""

import csv
import io
from datetime import datetime
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from warta.core.services import audit_record, snapshot
from warta.engagement.models import InboxItem, InformationRequest, Objection
from warta.engagement.ppid_notices import notify_requester
from warta.engagement.services import Actor
from warta.institutions.access import editable_agencies
from warta.institutions.models import Agency
from warta.lib import clock
from warta.lib.workdays import add_workdays, end_of_day, local_date, workday_deadline

ANSWER_DAYS = 10
EXTENSION_DAYS = 7
OBJECTION_FILING_DAYS = 30
OBJECTION_ANSWER_DAYS = 30
FINAL = {
    InformationRequest.Status.GRANTED,
    InformationRequest.Status.PARTLY,
    InformationRequest.Status.REFUSED,
    InformationRequest.Status.NOT_HELD,
}


def _check_agency(agency_id: int, actor: Actor) -> None:
    if actor is None or not editable_agencies(actor).filter(pk=agency_id).exists():
        raise ValidationError(_("Anda tidak berwenang mengelola permohonan perangkat daerah ini."))


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".odt", ".ods", ".jpg", ".png"}


def document_problem(document: UploadedFile) -> str:
    """Why an uploaded document is refused ("" if it is fine)."""
    if Path(document.name or "").suffix.lower() not in DOCUMENT_TYPES:
        return _("Jenis berkas tidak diterima (PDF, Word, Excel, CSV, gambar).")
    if (document.size or 0) > MAX_DOCUMENT_BYTES:
        return _("Berkas terlalu besar (maksimal 20 MB).")
    return ""


def _notify(request: InformationRequest, what: str) -> None:
    """Tell a requester who filed online, once the change is committed."""
    if request.identity_encrypted:
        transaction.on_commit(lambda: notify_requester(request, what))


def _tz(agency: Agency) -> str:
    return agency.region.timezone


def info_request_create(
    *,
    agency: Agency,
    actor: Actor,
    requester_name: str,
    requester_contact: str,
    information_requested: str,
    origin: str,
    received_at: datetime | None = None,
    purpose: str = "",
    inbox_item: InboxItem | None = None,
    responsible: User | None = None,
) -> InformationRequest:
    """Register a request with the next number of the agency's year and its legal deadline."""
    _check_agency(agency.pk, actor)
    return register_request(
        agency=agency,
        actor=actor,
        requester_name=requester_name,
        requester_contact=requester_contact,
        information_requested=information_requested,
        origin=origin,
        received_at=received_at,
        purpose=purpose,
        inbox_item=inbox_item,
        responsible=responsible,
    )


def register_request(
    *,
    agency: Agency,
    actor: Actor,
    requester_name: str,
    requester_contact: str,
    information_requested: str,
    origin: str,
    received_at: datetime | None = None,
    purpose: str = "",
    inbox_item: InboxItem | None = None,
    responsible: User | None = None,
    extra: dict[str, str] | None = None,
) -> InformationRequest:
    """Validate and number a request; callers check who may file it (officer or public)."""
    received_at = received_at or clock.now()
    errors: dict[str, str] = {}
    if not requester_name.strip():
        errors["requester_name"] = _("Nama pemohon wajib diisi.")
    if not requester_contact.strip():
        errors["requester_contact"] = _("Kontak pemohon wajib diisi agar jawaban dapat dikirim.")
    if not information_requested.strip():
        errors["information_requested"] = _("Informasi yang diminta wajib diisi.")
    if origin not in InformationRequest.Origin.values:
        errors["origin"] = _("Asal permohonan tidak dikenal.")
    if received_at > clock.now():
        errors["received_at"] = _("Tanggal diterima tidak boleh di masa depan.")
    if inbox_item is not None and inbox_item.agency_id != agency.pk:
        errors["inbox_item"] = _("Pesan ini milik perangkat daerah lain.")
    if responsible is not None and not editable_agencies(responsible).filter(pk=agency.pk).exists():
        errors["responsible"] = _(
            "Petugas ini tidak dapat menangani permohonan perangkat daerah ini."
        )
    if errors:
        raise ValidationError(errors)
    tz_name = _tz(agency)
    year = local_date(received_at, tz_name).year
    due = workday_deadline(received_at, ANSWER_DAYS, tz_name)
    for _attempt in range(5):
        last = (
            InformationRequest.objects.filter(agency=agency, year=year).aggregate(
                m=Max("sequence")
            )["m"]
            or 0
        )
        sequence = last + 1
        try:
            with transaction.atomic():
                request = InformationRequest.objects.create(
                    agency=agency,
                    year=year,
                    sequence=sequence,
                    register_number=f"{sequence:04d}/PPID-{agency.short_name.upper()}/{year}",
                    inbox_item=inbox_item,
                    channel=inbox_item.channel if inbox_item else None,
                    origin=origin,
                    requester_name=requester_name.strip()[:200],
                    requester_contact=requester_contact.strip()[:300],
                    information_requested=information_requested.strip(),
                    purpose=purpose.strip(),
                    received_at=received_at,
                    due_at=due,
                    original_due_at=due,
                    responsible=responsible or (actor if isinstance(actor, User) else None),
                    created_by=actor if isinstance(actor, User) else None,
                    **(extra or {}),
                )
            break
        except IntegrityError:
            continue  # someone took this number at the same moment: take the next
    else:
        raise ValidationError(_("Nomor register tidak dapat dibuat; coba lagi."))
    audit_record(actor=actor, action="ppid.request_create", obj=request, after=snapshot(request))
    return request


def info_request_extend(
    *, request: InformationRequest, reason: str, actor: Actor
) -> InformationRequest:
    """Extend once by 7 working days, with a written reason, before the deadline passes."""
    _check_agency(request.agency_id, actor)
    reason = reason.strip()
    if request.extended_at is not None:
        raise ValidationError(_("Jangka waktu hanya dapat diperpanjang satu kali."))
    if not request.is_open:
        raise ValidationError(_("Permohonan ini sudah dijawab."))
    if len(reason) < 10:
        raise ValidationError({"reason": _("Tuliskan alasan perpanjangan secara tertulis.")})
    now = clock.now()
    if now > request.due_at:
        raise ValidationError(
            _("Batas waktu sudah lewat; perpanjangan harus diberitahukan sebelumnya.")
        )
    tz_name = _tz(request.agency)
    new_due = end_of_day(
        add_workdays(local_date(request.original_due_at, tz_name), EXTENSION_DAYS), tz_name
    )
    moved = InformationRequest.objects.filter(
        pk=request.pk, extended_at__isnull=True, status=InformationRequest.Status.IN_PROCESS
    ).update(
        extended_at=now,
        extension_reason=reason,
        due_at=new_due,
        reminder_sent_at=None,
        updated_at=now,
    )
    if not moved:
        raise ValidationError(_("Jangka waktu hanya dapat diperpanjang satu kali."))
    before = snapshot(request, fields=["due_at"])
    request.refresh_from_db()
    _notify(request, "extended")
    audit_record(
        actor=actor,
        action="ppid.request_extend",
        obj=request,
        before=before,
        after=snapshot(request, fields=["due_at", "extension_reason"]),
    )
    return request


def info_request_respond(
    *,
    request: InformationRequest,
    status: str,
    response: str,
    actor: Actor,
    exemption_reason: str = "",
    document: UploadedFile | None = None,
) -> InformationRequest:
    """Record the answer; a refusal must name the exemption (Pasal 17) it rests on.

    A document given with it reaches the requester through the tracking link only.
    """
    _check_agency(request.agency_id, actor)
    errors: dict[str, str] = {}
    if document is not None:
        problem = document_problem(document)
        if problem:
            errors["document"] = problem
    if status not in FINAL:
        errors["status"] = _("Pilih jawaban: diberikan, sebagian, ditolak, atau tidak dikuasai.")
    if not response.strip():
        errors["response"] = _("Tuliskan jawaban kepada pemohon.")
    if status in {InformationRequest.Status.REFUSED, InformationRequest.Status.PARTLY} and (
        not exemption_reason.strip()
    ):
        errors["exemption_reason"] = _(
            "Penolakan (seluruh atau sebagian) wajib menyebut alasan pengecualian."
        )
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    moved = InformationRequest.objects.filter(
        pk=request.pk, status=InformationRequest.Status.IN_PROCESS
    ).update(
        status=status,
        response=response.strip(),
        exemption_reason=exemption_reason.strip(),
        responded_at=now,
        updated_at=now,
    )
    if not moved:
        raise ValidationError(_("Permohonan ini sudah dijawab."))
    request.refresh_from_db()
    if document is not None:
        request.response_document_name = Path(document.name or "jawaban").name[:300]
        request.response_document.save(request.response_document_name, document, save=False)
        request.save(update_fields=["response_document", "response_document_name"])
    _notify(request, "answered")
    audit_record(
        actor=actor,
        action="ppid.request_respond",
        obj=request,
        after=snapshot(request, fields=["status", "response", "exemption_reason"]),
    )
    return request


def objection_filing_deadline(request: InformationRequest) -> datetime | None:
    """Until when an objection may be filed; None while the request still runs on time."""
    tz_name = _tz(request.agency)
    if request.responded_at is not None:
        start = request.responded_at
    elif clock.now() > request.due_at:
        start = request.due_at
    else:
        return None
    return workday_deadline(start, OBJECTION_FILING_DAYS, tz_name)


def objection_file(
    *,
    request: InformationRequest,
    reason: str,
    statement: str,
    actor: Actor,
    filed_at: datetime | None = None,
) -> Objection:
    _check_agency(request.agency_id, actor)
    return record_objection(
        request=request, reason=reason, statement=statement, actor=actor, filed_at=filed_at
    )


def record_objection(
    *,
    request: InformationRequest,
    reason: str,
    statement: str,
    actor: Actor,
    filed_at: datetime | None = None,
) -> Objection:
    """Validate and record an objection; callers check who files it (officer or requester)."""
    filed_at = filed_at or clock.now()
    if reason not in Objection.Reason.values:
        raise ValidationError({"reason": _("Pilih alasan keberatan.")})
    if request.objections.exists():
        raise ValidationError(_("Keberatan untuk permohonan ini sudah dicatat."))
    deadline = objection_filing_deadline(request)
    if deadline is None:
        raise ValidationError(
            _("Keberatan dapat diajukan setelah permohonan dijawab atau batas waktunya lewat.")
        )
    if filed_at > deadline:
        raise ValidationError(
            _("Keberatan diajukan melewati 30 hari kerja (batas %(d)s).")
            % {"d": timezone.localtime(deadline).strftime("%d-%m-%Y")}
        )
    objection = Objection.objects.create(
        request=request,
        filed_at=filed_at,
        reason=reason,
        statement=statement.strip(),
        due_at=workday_deadline(filed_at, OBJECTION_ANSWER_DAYS, _tz(request.agency)),
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action="ppid.objection_file",
        obj=objection,
        agency_id=request.agency_id,
        after=snapshot(objection),
    )
    return objection


def objection_answer(*, objection: Objection, outcome: str, answer: str, actor: Actor) -> Objection:
    _check_agency(objection.request.agency_id, actor)
    if outcome not in Objection.Outcome.values:
        raise ValidationError({"outcome": _("Pilih hasil keberatan.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Tuliskan tanggapan atas keberatan.")})
    now = clock.now()
    moved = Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
        outcome=outcome, answer=answer.strip(), answered_at=now
    )
    if not moved:
        raise ValidationError(_("Keberatan ini sudah ditanggapi."))
    objection.refresh_from_db()
    _notify(objection.request, "objection_answered")
    audit_record(
        actor=actor,
        action="ppid.objection_answer",
        obj=objection,
        agency_id=objection.request.agency_id,
        after=snapshot(objection, fields=["outcome", "answer"]),
    )
    return objection


# --- Register export -----------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Keep spreadsheet programs from running public text as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


REGISTER_COLUMNS = [
    _("Nomor register"),
    _("Perangkat daerah"),
    _("Tanggal diterima"),
    _("Asal"),
    _("Nama pemohon"),
    _("Kontak pemohon"),
    _("Informasi yang diminta"),
    _("Tujuan"),
    _("Batas waktu"),
    _("Diperpanjang"),
    _("Alasan perpanjangan"),
    _("Status"),
    _("Tanggal jawaban"),
    _("Alasan pengecualian"),
    _("Keberatan"),
    _("Hasil keberatan"),
]


def _register_rows(requests: QuerySet[InformationRequest], tz_name: str) -> list[list[object]]:
    import zoneinfo

    tz = zoneinfo.ZoneInfo(tz_name)

    def fmt(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = []
    for r in requests.select_related("agency").prefetch_related("objections"):
        objection = next(iter(r.objections.all()), None)
        rows.append(
            [
                r.register_number,
                r.agency.short_name,
                fmt(r.received_at),
                r.get_origin_display(),
                r.requester_name,
                r.requester_contact,
                r.information_requested,
                r.purpose,
                fmt(r.due_at),
                _("ya") if r.extended_at else _("tidak"),
                r.extension_reason,
                r.get_status_display(),
                fmt(r.responded_at),
                r.exemption_reason,
                objection.get_reason_display() if objection else "",
                objection.get_outcome_display() if objection else "",
            ]
        )
    return [[neutralise_cell(v) for v in row] for row in rows]


def register_export_csv(requests: QuerySet[InformationRequest], tz_name: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    writer.writerows(_register_rows(requests, tz_name))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 right


def register_export_xlsx(requests: QuerySet[InformationRequest], tz_name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Register"
    sheet.append([str(c) for c in REGISTER_COLUMNS])
    for row in _register_rows(requests, tz_name):
        # Strings stay strings: openpyxl would otherwise store "=..." as a formula.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
