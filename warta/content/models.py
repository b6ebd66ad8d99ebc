import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.institutions.models import Agency
from warta.lib.categories import PostCategory


def media_upload_to(instance: "MediaAsset", filename: str) -> str:
    # The stored name is ours, never the uploader's: only the checked extension survives.
    return f"content/{instance.agency_id}/{uuid.uuid4().hex}.{instance.extension}"


def thumb_upload_to(instance: "MediaAsset", filename: str) -> str:
    return f"content/{instance.agency_id}/thumbs/{uuid.uuid4().hex}.jpg"


class MediaAsset(models.Model):
    """A file in an agency's media library, checked by its content when it was uploaded."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Gambar")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Dokumen")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="media")
    file = models.FileField(_("berkas"), upload_to=media_upload_to, max_length=300)
    thumbnail = models.ImageField(upload_to=thumb_upload_to, blank=True, max_length=300)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    mime_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("nama berkas asal"), max_length=255, blank=True)
    alt_text = models.TextField(_("teks alternatif"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"])]
        verbose_name = _("media")
        verbose_name_plural = _("media")

    def __str__(self) -> str:
        return self.original_name or str(self.file.name)

    @property
    def aspect_ratio(self) -> float | None:
        if self.width and self.height:
            return self.width / self.height
        return None


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
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    media = models.ManyToManyField(MediaAsset, through="PostMedia", blank=True, related_name="+")
    # A city-wide campaign copied to other agencies remembers where it came from.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # Raised by every edit; an edit started from an older one is a conflict, not a save.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "-created_at"])]
        verbose_name = _("unggahan")
        verbose_name_plural = _("unggahan")

    def __str__(self) -> str:
        return self.title or self.message[:60]

    def ordered_media(self) -> list[MediaAsset]:
        return [pm.media for pm in self.post_media.select_related("media").order_by("position")]


class PostMedia(models.Model):
    """The media of a post, in the order they are shown (carousel order)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_media")
    media = models.ForeignKey(MediaAsset, on_delete=models.PROTECT, related_name="post_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "media"], name="post_media_once")]

    def __str__(self) -> str:
        return f"{self.post_id}#{self.position}"


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
    hashtags = models.CharField(_("tagar"), max_length=1000, blank=True)
    first_comment = models.TextField(_("komentar pertama"), blank=True)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    # How this channel's images are cut (media.CROP_RATIOS key; "" = as uploaded) and
    # which part stays (media.FOCUS); the publisher sends the cut image.
    crop = models.CharField(_("potongan gambar"), max_length=8, blank=True)
    crop_focus = models.CharField(_("fokus potongan"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The latest pre-publish findings (warta.lib.findings.Finding.to_json() each).
    findings = models.JSONField(default=list, blank=True)
    approval_requested_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
    # Earliest time of the next try after a transient error (backoff); null = at schedule.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the scheduler last handed this variant to a task; a variant queued long ago
    # and still scheduled (its task was lost) is queued again.
    queued_at = models.DateTimeField(null=True, blank=True)
    # When a worker took it (status publishing); a claim older than the stale limit
    # belongs to a dead worker and is recovered by asking the platform first.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set by the claiming update, so one query then reads back exactly what was claimed.
    claim_token = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    # The platform's answer to the last try was lost (outcome unknown): ask it for the
    # post before sending again.
    verify_before_send = models.BooleanField(default=False)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    # A digest of what the checks (and the approver) saw: text, the post's message and
    # category, each medium's hash and alt text. A worker claiming the variant compares
    # it with the content now and checks again when it differs (services.content_digest).
    checked_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Raised by every edit of the text; an edit started from an older one is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
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

    @property
    def full_caption(self) -> str:
        """The text that goes out: the caption, then the hashtags on their own line."""
        caption = self.caption.rstrip()
        tags = self.hashtags.strip()
        if caption and tags:
            return f"{caption}\n\n{tags}"
        return caption or tags

    @property
    def when(self) -> "datetime | None":
        """The time the calendar shows: when it went out, else when it is planned."""
        return self.published_at or self.scheduled_at


class DigestSent(models.Model):
    """One daily digest sent for an agency on a local date, so the hourly job sends it once."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}"
