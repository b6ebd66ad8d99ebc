"""Post categories: the content pillars a strategy targets and the classifier predicts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostCategory(models.TextChoices):
    ACTIVITY = "activity", _("Laporan kegiatan")
    PROGRAM = "program", _("Program")
    SERVICE = "service", _("Informasi layanan publik")
    EDUCATION = "education", _("Edukasi/kampanye")
    PARTICIPATION = "participation", _("Partisipasi publik/konsultasi")
    ANNOUNCEMENT = "announcement", _("Pengumuman/informasi serta-merta")
    OTHER = "other", _("Lainnya")
