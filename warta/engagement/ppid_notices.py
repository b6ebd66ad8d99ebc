"""E-mails to a requester who filed online: what changed, with their private tracking link.

Apart from the public pages (`ppid_public`) so that the officers' services in `ppid`, which
send these notices, and the public pages, which call those services, do not import each
other.
"""

import logging
import zoneinfo
from typing import NotRequired, TypedDict

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.engagement import whatsapp
from warta.engagement.models import InformationRequest
from warta.lib.crypto import CredentialsUnreadable, decrypt_json

logger = logging.getLogger(__name__)


class Identity(TypedDict):
    name: str
    address: str
    phone: str
    email: str
    id_number: str
    token: str
    # The requester chose notices by WhatsApp too (absent in requests filed before).
    notify_whatsapp: NotRequired[bool]


def identity_of(request: InformationRequest) -> Identity | None:
    """The requester's identity, for the agency's officers only (None if not filed online)."""
    if not request.identity_encrypted:
        return None
    try:
        return decrypt_json(request.identity_encrypted)  # type: ignore[return-value]
    except CredentialsUnreadable:
        logger.error(
            "identity of request %s cannot be decrypted with the configured keys", request.pk
        )
        return None


def tracking_path(token: str) -> str:
    return reverse("engagement:public_tracking", args=[token])


def tracking_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + tracking_path(token)


def public_status(request: InformationRequest) -> str:
    """diterima / diproses / diperpanjang / dijawab / ditolak, as the requester reads it."""
    S = InformationRequest.Status
    if request.status == S.REFUSED:
        return _("Ditolak")
    if request.status in (S.GRANTED, S.PARTLY, S.NOT_HELD):
        return _("Dijawab")
    if request.extended_at:
        return _("Diperpanjang")
    return _("Diterima, sedang diproses")


# --- Notices by e-mail -----------------------------------------------------------------

SUBJECTS = {
    "received": "Tanda terima permohonan informasi %(n)s",
    "extended": "Permohonan %(n)s diperpanjang",
    "answered": "Permohonan %(n)s sudah dijawab",
    "objection": "Keberatan atas permohonan %(n)s diterima",
    "objection_answered": "Keberatan atas permohonan %(n)s sudah ditanggapi",
}


def notify_requester(request: InformationRequest, what: str) -> bool:
    """Tell the requester that something changed, with the tracking link. True if sent.

    By e-mail when they gave an address; by WhatsApp (the agency's approved notice
    template) when they chose it, unless they opted out there.
    """
    identity = identity_of(request)
    if identity is None or what not in SUBJECTS:
        return False
    due = timezone.localtime(request.due_at, _zone(request)).strftime("%d-%m-%Y")
    by_whatsapp = False
    if identity.get("notify_whatsapp") and identity.get("phone"):
        by_whatsapp = _by_whatsapp(request, identity, due)
    if not identity.get("email"):
        return by_whatsapp
    lines = [
        _("Yth. %(name)s,") % {"name": identity["name"]},
        "",
        _("Permohonan informasi Anda kepada %(agency)s, nomor register %(n)s.")
        % {"agency": request.agency.name, "n": request.register_number},
        _("Status: %(s)s. Batas jawaban: %(d)s.") % {"s": public_status(request), "d": due},
        "",
        _(
            "Lihat status, jawaban dan ajukan keberatan lewat tautan pribadi ini (jangan dibagikan):"
        ),
        tracking_url(identity["token"]),
    ]
    try:
        send_mail(
            _(SUBJECTS[what]) % {"n": request.register_number},
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [identity["email"]],
        )
    except Exception:  # a mail server down must not undo the change
        logger.exception("notice to the requester of %s failed", request.register_number)
        return by_whatsapp
    return True


def _by_whatsapp(request: InformationRequest, identity: Identity, due: str) -> bool:
    text = _("%(n)s: %(s)s, batas jawaban %(d)s. Lacak: %(url)s") % {
        "n": request.register_number,
        "s": public_status(request),
        "d": due,
        "url": tracking_url(identity["token"]),
    }
    try:
        return bool(
            whatsapp.send_notice(agency_id=request.agency_id, phone=identity["phone"], text=text)
        )
    except Exception:  # WhatsApp down must not undo the change either
        logger.exception("WhatsApp notice of %s failed", request.register_number)
        return False


def _zone(request: InformationRequest) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(request.agency.region.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
