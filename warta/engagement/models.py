from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.institutions.models import Agency


class InboxItem(models.Model):
    """A comment, reply, mention or direct message from the public. Its text is untrusted."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Komentar")
        REPLY = "reply", _("Balasan")
        MENTION = "mention", _("Sebutan")
        MESSAGE = "message", _("Pesan langsung")

    class Status(models.TextChoices):
        NEW = "new", _("Baru")
        ASSIGNED = "assigned", _("Ditugaskan")
        DONE = "done", _("Selesai")
        HIDDEN = "hidden", _("Disembunyikan")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positif")
        NEUTRAL = "neutral", _("Netral")
        NEGATIVE = "negative", _("Negatif")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inbox_items")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="inbox_items")
    variant = models.ForeignKey(
        PostVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_items"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    platform_item_id = models.CharField(max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.COMMENT)
    author_name = models.CharField(_("nama pengirim"), max_length=200, blank=True)
    author_handle = models.CharField(_("akun pengirim"), max_length=200, blank=True)
    text = models.TextField(_("isi"))
    received_at = models.DateTimeField(_("diterima"))
    # Language-engine annotations (empty until annotated).
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, blank=True)
    is_abusive = models.BooleanField(default=False)
    is_hate_speech = models.BooleanField(default=False)
    intent = models.CharField(max_length=16, blank=True)
    is_spam = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    hidden_on_platform = models.BooleanField(default=False)
    deleted_on_platform_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "platform_item_id"], name="inbox_item_unique_platform_id"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status", "-received_at"]),
            models.Index(fields=["agency", "-received_at"]),
            models.Index(fields=["variant"]),
        ]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:60]}"
