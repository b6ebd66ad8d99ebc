"""Consultations: the question, the public's input, its themes and the follow-up."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.content.models import PostVariant
from warta.engagement.models.inbox import InboxItem
from warta.institutions.models import Agency


class Consultation(models.Model):
    """A question an agency asks the public, the input it got, and what was done with it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(_("judul"), max_length=200)
    question = models.TextField(_("pertanyaan"))
    background = models.TextField(_("latar belakang"), blank=True)
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    has_public_form = models.BooleanField(_("formulir publik"), default=True)
    announcing_variants = models.ManyToManyField(
        PostVariant,
        blank=True,
        related_name="consultations",
        verbose_name=_("unggahan pengumuman"),
    )
    follow_up_post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]
        verbose_name = _("konsultasi publik")
        verbose_name_plural = _("konsultasi publik")

    def __str__(self) -> str:
        return self.title

    def is_open_at(self, moment: "datetime") -> bool:
        return self.opens_at <= moment < self.closes_at


class ConsultationTheme(models.Model):
    """A group of similar input, and the agency's answer to it."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        CONSIDERING = "considering", _("Dipertimbangkan")
        NOT_TAKEN = "not_taken", _("Tidak ditindaklanjuti")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("nama tema"), max_length=200)
    keywords = models.JSONField(default=list, blank=True)
    answer = models.CharField(_("jawaban"), max_length=16, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("alasan"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the public sees of this theme: a snapshot taken when an officer pressed
    # "Terbitkan" after a preview (see consultations.theme_public_view). Nothing of a
    # theme is public while this is null; later edits stay private until published again.
    published = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("tema masukan")
        verbose_name_plural = _("tema masukan")

    def __str__(self) -> str:
        return self.label


class ConsultationInput(models.Model):
    """One piece of public input (untrusted text); identical input is counted, not repeated."""

    class Source(models.TextChoices):
        FORM = "form", _("Formulir publik")
        COMMENT = "comment", _("Komentar unggahan")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="inputs")
    source = models.CharField(max_length=16, choices=Source.choices)
    inbox_item = models.ForeignKey(
        InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("masukan"))
    # sha256 of the normalised text: the key that de-duplicates. Every piece of input is
    # kept (nothing is lost); a repeat points at the first one, which counts its repeats.
    text_key = models.CharField(max_length=64)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="repeats"
    )
    duplicates = models.PositiveIntegerField(default=0)
    theme = models.ForeignKey(
        ConsultationTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="inputs"
    )
    is_representative = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    # What the screening on arrival found (personal data, insults, SARA): a list of
    # {"code", "start", "end"} spans into `text`; null = not screened yet. The text itself
    # is never changed: officers see all of it, the public only the masked version.
    findings = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "inbox_item"],
                name="consultation_input_unique_item",
                condition=models.Q(inbox_item__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["consultation", "text_key"])]
        verbose_name = _("masukan publik")
        verbose_name_plural = _("masukan publik")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def weight(self) -> int:
        return 1 + self.duplicates


class FollowUpAction(models.Model):
    """Something the agency does about a theme; its progress is shown to the public."""

    theme = models.ForeignKey(ConsultationTheme, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("tindak lanjut"), max_length=200)
    due_date = models.DateField(_("target selesai"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="follow_up_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    """A dated note on a follow-up action."""

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("tanggal"))
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"))
    note = models.TextField(_("catatan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.progress}%"
