"""API tokens, stored only as a SHA-256 hash: a database dump or backup lets nobody call the API.

A token is 256 random bits, shown once when made. The database keeps its SHA-256 (a plain
hash, not an HMAC with SECRET_KEY: with that much entropy nobody can guess back from the
hash, and rotating the secret key must not silently break every integration), a short
public prefix so a person recognises it in the list, and when it was last used.
Lookup is by the hash alone, so the prefix gives nothing away about timing.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from warta.core import people
from warta.core.models import ApiToken, RevokeReason
from warta.core.services import audit_record
from warta.lib import clock

AnyUser = AbstractBaseUser | AnonymousUser
Actor = AbstractBaseUser | AnonymousUser | None

TOKEN_PREFIX = "warta_"  # noqa: S105  (a public marker, not a secret)
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8  # shown in lists: "warta_AbCd1234"
MAX_ACTIVE_TOKENS = 20  # per person; more is a sign of tokens made and forgotten
LAST_USED_EVERY = timedelta(minutes=1)  # at most one write per token per minute
EXPIRY_CHOICES = {"30": 30, "90": 90, "365": 365}  # form value -> days


@sensitive_variables("raw")
def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _region_id(user: User) -> int | None:
    standing = people.standing(user)
    return standing.region_id if standing else None


# --- writes -----------------------------------------------------------------------------


# Error reports (DEBUG pages, mails to ADMINS) show a frame's locals; never these.
@sensitive_variables("raw")
def api_token_create(
    *,
    actor: Actor,
    user: User,
    name: str,
    expires_in_days: int | None = None,
    note: str = "",
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the token itself, which is never stored.

    Every token expires: after `expires_in_days`, or WARTA_API_TOKEN_DAYS when not given,
    never later than WARTA_API_TOKEN_MAX_DAYS.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Beri nama token, misalnya nama program pemakainya.")]})
    if len(name) > 100:
        raise ValidationError({"name": [_("Nama token paling panjang 100 karakter.")]})
    days = settings.WARTA_API_TOKEN_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= settings.WARTA_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "expires": [
                    _("Masa berlaku token 1 sampai %(n)d hari.")
                    % {"n": settings.WARTA_API_TOKEN_MAX_DAYS}
                ]
            }
        )
    if live_tokens(user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Sudah ada %(n)d token aktif. Cabut token yang tidak dipakai lagi dahulu.")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:PREFIX_LENGTH],
        token_hash=hash_token(raw),
        expires_at=now + timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        region_id=_region_id(user),
        after={
            "user": user.pk,
            "name": name,
            "prefix": token.prefix,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        },
        note=note,
    )
    return token, raw


def api_token_revoke(
    *,
    actor: Actor,
    token: ApiToken,
    note: str = "",
    reason: str = RevokeReason.BY_PERSON,
) -> bool:
    """Revoke once; False when it already was (a second click or a race changes nothing)."""
    now = clock.now()
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason
    ):
        return False
    token.revoked_at, token.revoked_reason = now, reason
    audit_record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        region_id=_region_id(token.user),
        after={"user": token.user_id, "prefix": token.prefix},
        note=note,
    )
    return True


def api_tokens_revoke_for_password_change(*, user: User) -> int:
    """A changed or reset password ends every token the person made with the old one."""
    return sum(
        api_token_revoke(
            actor=None, token=token, note="kata sandi diganti", reason=RevokeReason.PASSWORD
        )
        for token in list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    )


def _note_password_change(
    sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any
) -> None:
    """pre_save of a user: remember whether this save puts a new password in place.

    `set_password` leaves the new password in `_password` until the save; a reset
    (`set_unusable_password`) does not, so that case compares with the stored hash. A
    hash upgraded at sign-in (same password, new hasher) is neither and changes nothing.
    """
    instance._warta_password_changed = False  # type: ignore[attr-defined]
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    if getattr(instance, "_password", None) is not None:
        instance._warta_password_changed = True  # type: ignore[attr-defined]
    elif not instance.has_usable_password():
        stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
        instance._warta_password_changed = stored.first() not in (None, instance.password)  # type: ignore[attr-defined]


def _revoke_after_password_change(sender: type[User], instance: User, **kwargs: Any) -> None:
    if getattr(instance, "_warta_password_changed", False):
        instance._warta_password_changed = False  # type: ignore[attr-defined]
        api_tokens_revoke_for_password_change(user=instance)


# --- reads ------------------------------------------------------------------------------


def live_tokens(user: User) -> QuerySet[ApiToken]:
    now = clock.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """Everything a person has made, newest first; revoked ones stay listed as history."""
    return ApiToken.objects.filter(user=user)


# --- authentication ---------------------------------------------------------------------


class TokenRefused(Exception):
    """Why a presented token does not sign anybody in (the message is for the caller)."""


@dataclass(frozen=True)
class Authenticated:
    user: User
    token: ApiToken


@sensitive_variables("raw")
def api_token_authenticate(raw: str) -> Authenticated:
    """The person behind a presented token, or TokenRefused with a reason they may read."""
    # Anything longer than a real token is refused before hashing; 200 covers both
    # the current and the converted older tokens with room to spare.
    token = None
    if 0 < len(raw) <= 200:
        token = (
            ApiToken.objects.select_related("user", "user__officer")
            .filter(token_hash=hash_token(raw))
            .first()
        )
    now = clock.now()
    if token is None or token.revoked_at is not None:
        raise TokenRefused(_("Token tidak sah atau sudah dicabut."))
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused(_("Token sudah kedaluwarsa."))
    user = token.user
    if not user.is_active or people.standing(user) is None:
        raise TokenRefused(_("Akun pemilik token nonaktif atau tidak lagi punya peran."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        # Conditional, so that parallel requests in the same minute write once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
        token.last_used_at = now
    return Authenticated(user=user, token=token)
