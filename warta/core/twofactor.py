"""Optional TOTP two-factor sign-in (RFC 6238, any authenticator app), mandatory for
coordinators when WARTA_REQUIRE_2FA_FOR_COORDINATORS=1.

The password login stays as it is; TwoFactorMiddleware then holds a signed-in person who
has a confirmed device (or a coordinator who must enrol) at the second step until the
session is marked as verified. The secret is encrypted at rest like channel credentials.
"""

import pyotp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from warta.core import people, throttle
from warta.core.models import TOTPDevice
from warta.core.services import audit_record
from warta.lib import clock, crypto

SESSION_KEY = "warta_2fa_verified"
ISSUER = "warta"


AnyUser = AbstractBaseUser | AnonymousUser


def _region_id(user: AnyUser) -> int | None:
    standing = people.standing(user)
    return standing.region_id if standing else None


def _is_coordinator(user: AnyUser) -> bool:
    standing = people.standing(user)
    return standing is not None and standing.is_coordinator


def device_for(user: AnyUser) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk).first()


def twofactor_required(user: AnyUser) -> bool:
    """Whether this person must pass a second step: enrolled, or a coordinator by policy."""
    device = device_for(user)
    if device is not None and device.confirmed_at is not None:
        return True
    return bool(settings.WARTA_REQUIRE_2FA_FOR_COORDINATORS) and _is_coordinator(user)


def is_verified(request: HttpRequest) -> bool:
    return request.session.get(SESSION_KEY) == request.user.pk


def mark_verified(request: HttpRequest) -> None:
    # A new session key too: the step-up changes what the session may do.
    request.session.cycle_key()
    request.session[SESSION_KEY] = request.user.pk


def provisioning_uri(device: TOTPDevice) -> str:
    name = device.user.get_username()  # type: ignore[attr-defined]
    return pyotp.TOTP(device.secret()).provisioning_uri(name=name, issuer_name=ISSUER)


def device_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """Make (or remake, while unconfirmed) a device with a fresh secret."""
    existing = TOTPDevice.objects.filter(user_id=user.pk).first()
    if existing is not None and existing.confirmed_at is not None:
        raise ValidationError(_("Autentikasi dua langkah sudah aktif."))
    secret = crypto.encrypt_json({"secret": pyotp.random_base32()})
    device, _created = TOTPDevice.objects.update_or_create(
        user_id=user.pk, defaults={"secret_encrypted": secret, "confirmed_at": None, "last_step": 0}
    )
    return device


def _check_code(*, device: TOTPDevice, code: str, ip_address: str | None) -> None:
    """Accept a 6-digit code once, within ±30 s; counted against the login throttle first."""
    label = f"2fa:{device.user.get_username()}"  # type: ignore[attr-defined]
    if not throttle.login_try(username=label, ip_address=ip_address):
        raise ValidationError(
            _("Terlalu banyak kode yang salah. Coba lagi dalam 15 menit."), code="throttled"
        )
    code = "".join(code.split())
    totp = pyotp.TOTP(device.secret())
    now = clock.now()
    step = int(now.timestamp()) // totp.interval
    matched = None
    if code.isdigit() and len(code) == totp.digits:
        for offset in (0, -1, 1):
            if totp.at(now.timestamp() + offset * totp.interval) == code:
                matched = step + offset
                break
    # Claim the step atomically: two requests racing with one code cannot both win.
    if matched is None or not TOTPDevice.objects.filter(pk=device.pk, last_step__lt=matched).update(
        last_step=matched
    ):
        raise ValidationError(_("Kode tidak cocok atau sudah dipakai."), code="invalid")
    throttle.login_succeeded(username=label, ip_address=ip_address)


def device_confirm(*, user: AbstractBaseUser, code: str, ip_address: str | None) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=True).first()
    if device is None:
        raise ValidationError(_("Mulai pendaftaran aplikasi autentikator terlebih dahulu."))
    _check_code(device=device, code=code, ip_address=ip_address)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed_at=clock.now())
    audit_record(
        actor=user,
        action="twofactor.enable",
        obj=user,
        region_id=_region_id(user),
        note=_("Mengaktifkan autentikasi dua langkah"),
    )
    device.refresh_from_db()
    return device


def device_verify(*, user: AbstractBaseUser, code: str, ip_address: str | None) -> None:
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()
    if device is None:
        raise ValidationError(_("Autentikasi dua langkah belum aktif untuk akun ini."))
    _check_code(device=device, code=code, ip_address=ip_address)


def device_remove(
    *, user: AbstractBaseUser, actor: AbstractBaseUser, code: str | None, ip_address: str | None
) -> None:
    """Turn the second step off: by its owner with a current code, or by an operator (no code)."""
    device = TOTPDevice.objects.filter(user_id=user.pk).first()
    if device is None:
        return
    if code is not None:
        if settings.WARTA_REQUIRE_2FA_FOR_COORDINATORS and _is_coordinator(user):
            raise ValidationError(_("Koordinator wajib memakai autentikasi dua langkah."))
        if device.confirmed_at is not None:
            _check_code(device=device, code=code, ip_address=ip_address)
    device.delete()
    audit_record(
        actor=actor,
        action="twofactor.disable",
        obj=user,
        region_id=_region_id(user),
        note=_("Menonaktifkan autentikasi dua langkah"),
    )


def secrets_rotate_all() -> int:
    """Re-encrypt every authenticator secret under the newest credentials key."""
    count = 0
    for device in TOTPDevice.objects.all():
        TOTPDevice.objects.filter(pk=device.pk).update(
            secret_encrypted=crypto.rotate(device.secret_encrypted)
        )
        count += 1
    return count
