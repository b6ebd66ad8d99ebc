import re

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from warta.institutions.models import Agency
from warta.lib.platforms import ConnectionMode, Platform

_PLATFORM_NAMES = dict(Platform.choices)


class Channel(models.Model):
    """An agency's account on one platform."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        NEEDS_RECONNECT = "needs_reconnect", _("Perlu disambungkan ulang")
        DISABLED = "disabled", _("Nonaktif")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="channels")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    handle = models.CharField(_("nama akun"), max_length=200)
    url = models.URLField(_("alamat"), blank=True)
    mode = models.CharField(
        _("cara tersambung"),
        max_length=16,
        choices=ConnectionMode.choices,
        default=ConnectionMode.MANUAL,
    )
    external_id = models.CharField(_("ID di platform"), max_length=200, blank=True)
    # Fernet token of a JSON object (access token, refresh token, ...); see warta.lib.crypto.
    credentials_encrypted = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("keterangan status"), max_length=500, blank=True)
    token_expires_at = models.DateTimeField(_("token berlaku sampai"), null=True, blank=True)
    # The nearest warning (days before expiry: 7, then 2) already sent for this expiry;
    # new credentials clear it. Each threshold is announced once, not every tick.
    token_notice_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Platform calls of the syncs that failed in a row; a success clears it. At
    # FAILURE_LIMIT a channel that still looks active is marked for reconnecting.
    failed_calls = models.PositiveIntegerField(default=0, editable=False)
    last_sync_at = models.DateTimeField(_("sinkron terakhir"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    followers = models.PositiveIntegerField(_("pengikut"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "platform", "handle"]
        verbose_name = _("kanal")
        verbose_name_plural = _("kanal")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "platform", "handle"], name="channel_unique_handle"
            )
        ]
        indexes = [models.Index(fields=["platform", "status"])]

    def __str__(self) -> str:
        # A practice channel says so wherever it is named (composer, inbox, calendar).
        suffix = f" ({gettext('latihan')})" if self.mode == ConnectionMode.SANDBOX else ""
        # As get_platform_display(), which rebuilds the choices at each call: pages name
        # hundreds of channels (filters, lists, the home page's cadence gaps).
        return f"{_PLATFORM_NAMES.get(self.platform, self.platform)} {self.handle}{suffix}"

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)


class RateBudget(models.Model):
    """What is left of one platform rate limit, for one account or one app, until it resets.

    Shared by every worker (the database is the one place they all see); drawn on with a
    conditional UPDATE before each post (warta/channels/budgets.py). The documented
    figures are in warta/connectors/ratelimits.py; the platform's headers correct them.
    """

    class Source(models.TextChoices):
        DOCS = "docs", _("dokumentasi platform")
        HEADERS = "headers", _("jawaban platform")

    platform = models.CharField(_("platform"), max_length=16)
    scope = models.CharField(_("dihitung per"), max_length=8)  # account / app
    key = models.CharField(_("akun atau aplikasi"), max_length=200)
    name = models.CharField(_("batas"), max_length=32)
    limit = models.PositiveIntegerField(_("jatah"))
    remaining = models.IntegerField(_("sisa"))
    resets_at = models.DateTimeField(_("pulih pada"))
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.DOCS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jatah panggilan platform")
        verbose_name_plural = _("jatah panggilan platform")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "scope", "key", "name"], name="rate_budget_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.scope}:{self.key} {self.name} {self.remaining}/{self.limit}"


class WhatsAppTemplate(models.Model):
    """A message template of a WhatsApp Business account, as Meta reviewed it.

    Read from the account (GET /{waba-id}/message_templates); only an APPROVED template may
    go to a citizen outside the 24-hour window. Its body may hold `{{1}}`, which the
    officer's text fills.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="wa_templates")
    name = models.CharField(_("nama templat"), max_length=512)
    language = models.CharField(_("bahasa"), max_length=16)
    category = models.CharField(_("kategori"), max_length=32, blank=True)
    status = models.CharField(_("status di Meta"), max_length=32)
    body = models.TextField(_("isi"), blank=True)
    # The template the PPID sends its notices to requesters with (one per channel).
    for_ppid_notices = models.BooleanField(_("untuk pemberitahuan PPID"), default=False)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["channel", "name", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "name", "language"], name="wa_template_unique_name"
            )
        ]
        verbose_name = _("templat WhatsApp")
        verbose_name_plural = _("templat WhatsApp")

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    @property
    def is_approved(self) -> bool:
        return self.status == "APPROVED"

    @property
    def status_label(self) -> str:
        """Meta's review status in words (https://developers.facebook.com/docs/whatsapp/
        business-management-api/message-templates#template-status)."""
        labels = {
            "APPROVED": _("Disetujui"),
            "PENDING": _("Sedang ditinjau"),
            "REJECTED": _("Ditolak"),
            "PAUSED": _("Dijeda"),
            "DISABLED": _("Dinonaktifkan"),
            "IN_APPEAL": _("Banding"),
        }
        return str(labels.get(self.status, self.status))

    @property
    def parameter_count(self) -> int:
        return len(set(re.findall(r"\{\{(\d+)\}\}", self.body)))

    def filled(self, text: str) -> str:
        """The body as the citizen reads it, `{{1}}` filled with the officer's text."""
        return self.body.replace("{{1}}", text)
