from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.lib import clock, crypto


class AuditEvent(models.Model):
    """One change a person (or the system) made: who, when, what, before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        "institutions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "institutions.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(_("tindakan"), max_length=64)
    object_type = models.CharField(_("jenis objek"), max_length=64)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["region", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ThrottleCounter(models.Model):
    """Tries under one key (a user name, an address) in the current lockout window."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class SchedulerLease(models.Model):
    """Makes sure exactly one scheduler loop runs, however many were started."""

    name = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder}"


class RevokeReason(models.TextChoices):
    BY_PERSON = "person", _("dicabut")
    PASSWORD = "password", _("dicabut: kata sandi diganti")


class ApiToken(models.Model):
    """One credential a person gave to another program; revoked, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(_("awalan"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(
        _("alasan dicabut"), max_length=16, choices=RevokeReason.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or clock.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class TOTPDevice(models.Model):
    """One authenticator per person; unconfirmed until the first correct code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret_encrypted = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted 30-second step: a code is good once (no replay within its window).
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("perangkat autentikasi dua langkah")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"

    def secret(self) -> str:
        return str(crypto.decrypt_json(self.secret_encrypted)["secret"])
