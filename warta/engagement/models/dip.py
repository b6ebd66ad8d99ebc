"""The Daftar Informasi Publik: each agency's list of public information."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.engagement.models.storage import dip_storage
from warta.institutions.models import Agency


def _dip_path(instance: models.Model, filename: str) -> str:
    return f"dip/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"


class PublicInformation(models.Model):
    """One entry of an agency's Daftar Informasi Publik (UU 14/2008 Pasal 9-11, 17)."""

    class Category(models.TextChoices):
        PERIODIC = "periodic", _("Berkala")
        IMMEDIATE = "immediate", _("Serta-merta")
        ON_REQUEST = "on_request", _("Setiap saat")
        EXCEPTED = "excepted", _("Dikecualikan")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="public_information")
    title = models.CharField(_("judul informasi"), max_length=300)
    summary = models.TextField(_("ringkasan isi"), blank=True)
    category = models.CharField(_("klasifikasi"), max_length=16, choices=Category.choices)
    # For an excepted entry: the legal basis (Pasal 17) and the consequence test.
    legal_basis = models.CharField(_("dasar pengecualian"), max_length=300, blank=True)
    consequence = models.TextField(_("uji konsekuensi"), blank=True)
    format = models.CharField(_("bentuk informasi"), max_length=100, blank=True)
    retention = models.CharField(_("jangka waktu penyimpanan"), max_length=100, blank=True)
    document = models.FileField(
        _("dokumen"), upload_to=_dip_path, storage=dip_storage, blank=True, max_length=300
    )
    document_name = models.CharField(max_length=300, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pejabat penanggung jawab"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["agency", "category", "title"]
        indexes = [models.Index(fields=["agency", "category"])]
        verbose_name = _("daftar informasi publik")
        verbose_name_plural = _("daftar informasi publik")

    def __str__(self) -> str:
        return self.title
