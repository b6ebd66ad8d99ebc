import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.institutions.models import Agency
from warta.lib.categories import PostCategory


class Post(models.Model):
    """One message of an agency, published as a variant on each of its channels."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("judul internal"), max_length=200, blank=True)
    message = models.TextField(_("pesan"))
    category = models.CharField(
        _("kategori"), max_length=16, choices=PostCategory.choices, default=PostCategory.OTHER
    )
    # True when a person chose the category; the classifier then leaves it alone.
    category_set_by_hand = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "-created_at"])]
        verbose_name = _("unggahan")
        verbose_name_plural = _("unggahan")

    def __str__(self) -> str:
        return self.title or self.message[:60]


class PostVariant(models.Model):
    """A post as it goes to one channel; the unit that is scheduled and published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        READY = "ready", _("Siap")
        AWAITING_APPROVAL = "awaiting_approval", _("Menunggu persetujuan")
        SCHEDULED = "scheduled", _("Terjadwal")
        PUBLISHING = "publishing", _("Sedang terbit")
        PUBLISHED = "published", _("Terbit")
        FAILED = "failed", _("Gagal")
        NEEDS_ATTENTION = "needs_attention", _("Perlu perhatian")
        CANCELLED = "cancelled", _("Dibatalkan")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="variants")
    caption = models.TextField(_("keterangan"), blank=True)
    first_comment = models.TextField(_("komentar pertama"), blank=True)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The latest pre-publish findings (warta.lib.findings.Finding.to_json() each).
    findings = models.JSONField(default=list, blank=True)
    approval_requested_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    scheduled_at = models.DateTimeField(_("jadwal"), null=True, blank=True)
    published_at = models.DateTimeField(_("waktu terbit"), null=True, blank=True, db_index=True)
    platform_post_id = models.CharField(max_length=200, blank=True)
    platform_url = models.URLField(max_length=500, blank=True)
    # Sent to the platform (where it accepts one) and kept with the record, so that a
    # retry after a crash can ask the platform whether the post already exists.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="variant_one_per_channel")
        ]
        indexes = [
            models.Index(fields=["status", "scheduled_at"]),
            models.Index(fields=["channel", "-published_at"]),
        ]
        verbose_name = _("varian unggahan")
        verbose_name_plural = _("varian unggahan")

    def __str__(self) -> str:
        return f"{self.post} → {self.channel}"
