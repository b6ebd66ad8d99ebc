"""The public PPID portal: requests filed online, followed through a private link, objected to.

No account: the requester gets a receipt with the register number and a tracking link that
holds a random secret (256 bits). Only the secret's sha256 is a lookup key, so the link is
the only way in, it reaches exactly one request, and another agency's or region's records
are never reachable by changing a number.

Identity (Perki 1/2021: name, address, phone and/or e-mail, identity number) is stored only
encrypted (warta.lib.crypto); the register row keeps the name and a masked contact, which is
what the register and its export need. The identity number is never shown unmasked.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from warta.engagement import ppid
from warta.engagement.annotation import text_key
from warta.engagement.consultations import public_form_refusal
from warta.engagement.models import InformationRequest, Objection, PublicFormHit
from warta.engagement.ppid_notices import (
    Identity,
    notify_requester,
)
from warta.institutions.models import Agency
from warta.lib.crypto import encrypt_json

logger = logging.getLogger(__name__)

MAX_TEXT = 4000
PHONE = re.compile(r"^\+?[\d\s().-]{8,20}$")
ID_NUMBER = re.compile(r"^[A-Za-z0-9./ -]{6,30}$")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mask_middle(value: str, keep: int = 2) -> str:
    value = value.strip()
    if len(value) <= keep * 2:
        return "•" * len(value)
    return value[:keep] + "•" * (len(value) - keep * 2) + value[-keep:]


def mask_email(value: str) -> str:
    if "@" not in value:
        return mask_middle(value)
    local, domain = value.rsplit("@", 1)
    return (local[:1] + "•" * max(1, len(local) - 1)) + "@" + domain


def masked_contact(identity: Identity) -> str:
    parts = []
    if identity["email"]:
        parts.append(mask_email(identity["email"]))
    if identity["phone"]:
        parts.append(mask_middle(re.sub(r"\D", "", identity["phone"]), 3))
    return " · ".join(parts)


def request_by_token(token: str) -> InformationRequest | None:
    if not (20 <= len(token) <= 100):
        return None
    return (
        InformationRequest.objects.select_related("agency__region")
        .filter(tracking_hash=_hash(token))
        .first()
    )


@dataclass(frozen=True)
class Filed:
    request: InformationRequest
    token: str


def _validate(
    *,
    name: str,
    address: str,
    phone: str,
    email: str,
    id_number: str,
    information: str,
    purpose: str,
    access_method: str,
    delivery: str,
    notify_whatsapp: bool = False,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Tuliskan nama lengkap Anda.")
    if not address.strip():
        errors["address"] = _("Tuliskan alamat Anda; Perki 1/2021 memintanya untuk register.")
    if not phone.strip() and not email.strip():
        errors["email"] = _("Isi surel atau nomor telepon, agar jawaban dapat kami kirim.")
    if notify_whatsapp and not phone.strip():
        errors["phone"] = _("Isi nomor WhatsApp Anda untuk menerima pemberitahuan lewat WhatsApp.")
    if phone.strip() and not PHONE.match(phone.strip()):
        errors["phone"] = _("Nomor telepon hanya berisi angka, spasi, +, (, ) atau -.")
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            errors["email"] = _("Alamat surel tidak dikenali, mis. nama@contoh.id.")
    if not ID_NUMBER.match(id_number.strip()):
        errors["id_number"] = _(
            "Tuliskan nomor identitas (NIK pada KTP, atau nomor identitas lain) sebagaimana "
            "tertulis."
        )
    if not information.strip():
        errors["information"] = _("Tuliskan informasi yang Anda minta.")
    if not purpose.strip():
        errors["purpose"] = _("Tuliskan tujuan penggunaan informasi.")
    for field, value in (("information", information), ("purpose", purpose)):
        if len(value) > MAX_TEXT:
            errors[field] = _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_TEXT}
    if access_method not in InformationRequest.Access.values:
        errors["access_method"] = _("Pilih cara memperoleh informasi.")
    if delivery not in InformationRequest.Delivery.values:
        errors["delivery"] = _("Pilih cara mendapatkan salinan informasi.")
    return errors


def info_request_submit_public(
    *,
    agency: Agency,
    name: str,
    address: str,
    phone: str,
    email: str,
    id_number: str,
    information: str,
    purpose: str,
    access_method: str,
    delivery: str,
    ip_address: str | None,
    browser: str,
    notify_whatsapp: bool = False,
) -> Filed:
    """File a request as the public; returns it with the tracking secret (shown once).

    `notify_whatsapp`: notices also go by WhatsApp template to `phone` (kept in the
    encrypted identity), where the agency has a WhatsApp notice template.
    """
    errors = _validate(
        name=name,
        address=address,
        phone=phone,
        email=email,
        id_number=id_number,
        information=information,
        purpose=purpose,
        access_method=access_method,
        delivery=delivery,
        notify_whatsapp=notify_whatsapp,
    )
    if errors:
        raise ValidationError(errors)
    key = text_key(f"{agency.pk}\n{information}")
    code, refusal = public_form_refusal(ip_address=ip_address, browser=browser, key=key)
    if refusal:
        if code == "duplicate":
            refusal = _(
                "Permohonan yang sama sudah Anda kirim dan sudah tercatat. Buka tautan "
                "pelacakan pada tanda terima Anda untuk melihat statusnya."
            )
        raise ValidationError(refusal, code=code)
    token = secrets.token_urlsafe(32)
    identity: Identity = {
        "name": name.strip()[:200],
        "address": address.strip()[:500],
        "phone": phone.strip()[:30],
        "email": email.strip()[:254],
        "id_number": id_number.strip()[:30],
        "token": token,
        "notify_whatsapp": notify_whatsapp,
    }
    with transaction.atomic():
        PublicFormHit.objects.create(ip_address=ip_address, browser=browser, text_key=key)
        request = ppid.register_request(
            agency=agency,
            actor=None,
            requester_name=identity["name"],
            requester_contact=masked_contact(identity),
            information_requested=information,
            purpose=purpose,
            origin=InformationRequest.Origin.WEBSITE,
            extra={
                "identity_encrypted": encrypt_json(dict(identity)),
                "tracking_hash": _hash(token),
                "access_method": access_method,
                "delivery": delivery,
            },
        )
        transaction.on_commit(lambda: notify_requester(request, "received"))
    return Filed(request=request, token=token)


# --- Status as the requester reads it --------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: str
    at: datetime | None
    note: str = ""
    done: bool = True


def timeline(request: InformationRequest) -> list[Step]:
    steps = [
        Step(
            _("Diterima"),
            request.received_at,
            _("Nomor register %(n)s") % {"n": request.register_number},
        ),
    ]
    if request.extended_at:
        steps.append(
            Step(_("Diperpanjang 7 hari kerja"), request.extended_at, request.extension_reason)
        )
    if request.responded_at:
        label = (
            _("Ditolak") if request.status == InformationRequest.Status.REFUSED else _("Dijawab")
        )
        steps.append(Step(label, request.responded_at, request.get_status_display()))
    else:
        steps.append(Step(_("Dijawab paling lambat"), request.due_at, "", done=False))
    return steps


# --- Objection online ------------------------------------------------------------------


def objection_window_message(request: InformationRequest, deadline: datetime | None) -> str:
    if request.objections.exists():
        return _("Keberatan untuk permohonan ini sudah tercatat.")
    if deadline is None:
        return _(
            "Keberatan dapat diajukan setelah permohonan dijawab, atau bila batas waktunya "
            "lewat tanpa jawaban."
        )
    return _("Batas pengajuan keberatan (30 hari kerja) sudah lewat.")


def objection_file_public(*, request: InformationRequest, reason: str, statement: str) -> Objection:
    """A keberatan filed by the requester from the tracking page (Pasal 35 reasons)."""
    if len(statement) > MAX_TEXT:
        raise ValidationError(
            {"statement": _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_TEXT}}
        )
    objection = ppid.record_objection(
        request=request, reason=reason, statement=statement, actor=None
    )
    transaction.on_commit(lambda: notify_requester(request, "objection"))
    return objection
