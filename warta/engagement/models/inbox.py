"""The inbox: what the public wrote, warta's replies, reply templates, saved views."""

import uuid

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

    class Intent(models.TextChoices):
        QUESTION = "question", _("Pertanyaan")
        COMPLAINT = "complaint", _("Keluhan")
        INFORMATION_REQUEST = "information_request", _("Permintaan informasi")
        SUGGESTION = "suggestion", _("Saran")
        PRAISE = "praise", _("Pujian")
        OTHER = "other", _("Lainnya")

    # No single-column indexes on agency and channel: the composite indexes below start
    # with them, and every index costs time on each of a million inserts.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="inbox_items", db_index=False
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="inbox_items", db_index=False
    )
    variant = models.ForeignKey(
        PostVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_items"
    )
    # The FK indexes of parent and assignee are partial (below): most items have neither,
    # and a NULL kept out of an index is one insertion less per ingested comment.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        db_index=False,
    )
    platform_item_id = models.CharField(max_length=200)
    # Kept as the platform gave them, so a thread holds together even before the post
    # or the parent is known to warta.
    platform_post_id = models.CharField(max_length=200, blank=True)
    platform_parent_id = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.COMMENT)
    author_name = models.CharField(_("nama pengirim"), max_length=200, blank=True)
    author_handle = models.CharField(_("akun pengirim"), max_length=200, blank=True)
    text = models.TextField(_("isi"))
    received_at = models.DateTimeField(_("diterima"))
    # Language-engine annotations (empty until annotated).
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, blank=True)
    is_abusive = models.BooleanField(default=False)
    is_hate_speech = models.BooleanField(default=False)
    intent = models.CharField(max_length=24, choices=Intent.choices, blank=True)
    is_spam = models.BooleanField(default=False)
    annotated_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    # Set for items that ask for an answer (questions, complaints, requests, messages):
    # the first-response target in working hours, counted in the region's zone.
    response_due_at = models.DateTimeField(_("batas tanggapan"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
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
        # The inbox filters by agency plus one or two of these, newest first.
        indexes = [
            models.Index(fields=["agency", "status", "-received_at"]),
            models.Index(fields=["agency", "-received_at"]),
            models.Index(fields=["agency", "intent", "-received_at"]),
            models.Index(fields=["agency", "assignee", "-received_at"]),
            models.Index(fields=["agency", "author_handle"]),
            models.Index(fields=["channel", "-received_at"]),
            # The region-wide view (coordinator): newest first across agencies.
            models.Index(fields=["-received_at", "-id"], name="inbox_item_newest"),
            models.Index(
                fields=["response_due_at"],
                name="inbox_item_awaiting_response",
                condition=models.Q(first_response_at__isnull=True, response_due_at__isnull=False),
            ),
            # Replies stored before their parent, looked up when the parent arrives.
            models.Index(
                fields=["channel", "platform_parent_id"],
                name="inbox_item_orphans",
                condition=models.Q(parent__isnull=True) & ~models.Q(platform_parent_id=""),
            ),
            models.Index(
                fields=["id"],
                name="inbox_item_unannotated",
                condition=models.Q(annotated_at__isnull=True),
            ),
            # A thread's replies (`parent_id IN (...)`) and SET_NULL when a parent or a user
            # is deleted: every such query names a value, which implies NOT NULL.
            models.Index(
                fields=["parent"],
                name="inbox_item_replies",
                condition=models.Q(parent__isnull=False),
            ),
            models.Index(
                fields=["assignee"],
                name="inbox_item_assigned",
                condition=models.Q(assignee__isnull=False),
            ),
        ]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:60]}"


class ReplyTemplate(models.Model):
    """A reusable answer of an agency; officers adapt it before sending."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="reply_templates")
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "title"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "title"], name="reply_template_unique_title")
        ]
        verbose_name = _("templat balasan")
        verbose_name_plural = _("templat balasan")

    def __str__(self) -> str:
        return self.title


class Reply(models.Model):
    """An answer from warta to an inbox item, sent through the channel's connector once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="warta_replies")
    text = models.TextField(_("balasan"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Comes from the form that was rendered, so a double submit or a retry of the same
    # reply finds this row instead of sending again; it also goes to the platform.
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    platform_reply_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # WhatsApp: outside the 24-hour window a reply goes out as this approved template, its
    # `{{1}}` filled with `text`; the status webhooks say when it arrived and was read.
    wa_template = models.ForeignKey(
        "channels.WhatsAppTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("templat WhatsApp"),
    )
    delivered_at = models.DateTimeField(_("sampai"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("balasan")
        verbose_name_plural = _("balasan")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def as_sent(self) -> str:
        """What the citizen reads: the template's body with the text in it, or the text."""
        return self.wa_template.filled(self.text) if self.wa_template else self.text


class SavedView(models.Model):
    """A named set of inbox filters a person comes back to."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_views"
    )
    name = models.CharField(_("nama"), max_length=80)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
