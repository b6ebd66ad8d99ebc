"""The public's input: the form and its limits, collected comments, screening, repeats."""

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from warta.engagement import screening
from warta.engagement.annotation import text_key
from warta.engagement.models import Consultation, ConsultationInput, InboxItem, PublicFormHit
from warta.institutions.models import Agency
from warta.lib import clock

MAX_INPUT_CHARS = 2000
# Sized for CGNAT: an Indonesian mobile network puts a whole neighbourhood behind one
# address, so the address limit is generous and each browser is limited on its own.
ADDRESS_LIMIT_PER_HOUR = 600
BROWSER_LIMIT_PER_HOUR = 20
# A browser that keeps no cookie is not told apart from its neighbours: a smaller share.
COOKIELESS_LIMIT_PER_HOUR = 60


def official_contacts(agency: Agency) -> list[str]:
    """The agency's published contacts (not personal data when a citizen repeats them)."""
    from warta.strategy.selectors import current_strategy

    return list(current_strategy(agency).data.get("official_contacts") or [])


def screen_input(
    consultation: Consultation, text: str, contacts: Sequence[str] | None = None
) -> list[screening.Span]:
    return screening.screen(
        text,
        region_id=consultation.agency.region_id,
        agency_id=consultation.agency_id,
        official_contacts=contacts
        if contacts is not None
        else official_contacts(consultation.agency),
    )


def _add_input(
    *,
    consultation: Consultation,
    text: str,
    source: str,
    received_at: datetime,
    inbox_item: InboxItem | None = None,
    contacts: Sequence[str] | None = None,
) -> bool:
    """Store one piece of input, screened; a repeat of earlier input is linked to it.

    True if new. The screening runs before the transaction: a slow classifier does not
    hold a write lock.
    """
    key = text_key(text)
    findings = screen_input(consultation, text, contacts)
    with transaction.atomic():
        first = (
            ConsultationInput.objects.filter(
                consultation=consultation, text_key=key, duplicate_of__isnull=True
            )
            .order_by("id")
            .first()
        )
        ConsultationInput.objects.create(
            consultation=consultation,
            source=source,
            text=text,
            text_key=key,
            inbox_item=inbox_item,
            received_at=received_at,
            duplicate_of=first,
            theme=first.theme if first else None,
            findings=findings,
        )
        if first is not None:
            ConsultationInput.objects.filter(pk=first.pk).update(duplicates=F("duplicates") + 1)
    return first is None


def consultation_collect_comments(*, consultation: Consultation) -> int:
    """Take comments on the announcing posts (received while open) as input, once each."""
    items = (
        InboxItem.objects.filter(
            variant__in=consultation.announcing_variants.all(),
            received_at__gte=consultation.opens_at,
            received_at__lt=consultation.closes_at,
            is_spam=False,
        )
        .exclude(
            pk__in=ConsultationInput.objects.filter(
                consultation=consultation, inbox_item__isnull=False
            ).values("inbox_item_id")
        )
        .order_by("received_at", "id")
    )
    count = 0
    contacts = official_contacts(consultation.agency)
    for item in items.iterator(chunk_size=500):
        if not item.text.strip():
            continue
        try:
            _add_input(
                consultation=consultation,
                text=item.text,
                source="comment",
                received_at=item.received_at,
                inbox_item=item,
                contacts=contacts,
            )
        except IntegrityError:
            continue  # collected by a concurrent run
        count += 1
    return count


def browser_key(token: str) -> str:
    """What is stored of a browser's random token: its hash (the token stays a secret)."""
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def public_form_refusal(
    *, ip_address: str | None, browser: str, key: str = "", now: datetime | None = None
) -> tuple[str, str]:
    """(code, message) saying why a submission is refused now; ("", "") if it is not.

    Limits are kept in the database.

    Per browser (its token's hash), per address sized for CGNAT, and a repeat of the same
    text from the same browser. Every process sees the same counts.
    """
    now = now or clock.now()
    hour = now - timedelta(hours=1)
    recent = PublicFormHit.objects.filter(at__gte=hour)
    if browser:
        if key and recent.filter(browser=browser, text_key=key).exists():
            return "duplicate", _(
                "Masukan yang sama sudah Anda kirim dan sudah kami terima. "
                "Tidak perlu mengirim ulang."
            )
        limit = getattr(settings, "WARTA_PUBLIC_FORM_MAX_PER_BROWSER", BROWSER_LIMIT_PER_HOUR)
        if recent.filter(browser=browser).count() >= limit:
            return "throttled", _(
                "Anda sudah mengirim %(n)d masukan dalam satu jam terakhir; semuanya sudah "
                "tersimpan. Yang ini belum: silakan kirim lagi satu jam lagi."
            ) % {"n": limit}
    else:
        limit = getattr(settings, "WARTA_PUBLIC_FORM_MAX_COOKIELESS", COOKIELESS_LIMIT_PER_HOUR)
        if recent.filter(ip_address=ip_address, browser="").count() >= limit:
            return "throttled", _(
                "Peramban Anda tidak menyimpan cookie, sehingga kiriman dari jaringan Anda "
                "kami batasi. Aktifkan cookie untuk situs ini, muat ulang halaman, lalu "
                "kirim lagi."
            )
    limit = getattr(settings, "WARTA_PUBLIC_FORM_MAX_PER_ADDRESS", ADDRESS_LIMIT_PER_HOUR)
    if recent.filter(ip_address=ip_address).count() >= limit:
        return "throttled", _(
            "Saat ini sangat banyak kiriman dari jaringan Anda. Masukan sebelumnya sudah "
            "tersimpan; silakan coba lagi beberapa menit lagi."
        )
    return "", ""


def consultation_submit_public(
    *, consultation: Consultation, text: str, ip_address: str | None, browser: str = ""
) -> bool:
    """Take input from the public form; the text is stored exactly as given. True if new.

    `browser` is `browser_key()` of the browser's token ("" when it sent none).
    """
    now = clock.now()
    if not consultation.has_public_form or not consultation.is_open_at(now):
        raise ValidationError(_("Konsultasi ini tidak sedang menerima masukan."))
    if not text.strip():
        raise ValidationError({"text": _("Masukan tidak boleh kosong.")})
    if len(text) > MAX_INPUT_CHARS:
        raise ValidationError(
            {
                "text": _("Masukan terlalu panjang (maksimal %(n)d karakter).")
                % {"n": MAX_INPUT_CHARS}
            }
        )
    key = text_key(text)
    code, refusal = public_form_refusal(ip_address=ip_address, browser=browser, key=key, now=now)
    if refusal:
        raise ValidationError(refusal, code=code)
    PublicFormHit.objects.create(ip_address=ip_address, browser=browser, text_key=key)
    PublicFormHit.objects.filter(at__lt=now - timedelta(days=1)).delete()
    return _add_input(consultation=consultation, text=text, source="form", received_at=now)
