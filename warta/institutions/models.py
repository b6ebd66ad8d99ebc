from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A regional government (pemda): the tenant of one warta installation's data."""

    class Kind(models.TextChoices):
        KOTA = "kota", _("Kota")
        KABUPATEN = "kabupaten", _("Kabupaten")
        PROVINSI = "provinsi", _("Provinsi")

    name = models.CharField(_("nama"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    timezone = models.CharField(_("zona waktu"), max_length=64, default="Asia/Jakarta")
    # The region's code in Kemendagri's register of administrative areas (Kepmendagri
    # 100.1.1-6117/2022), e.g. "64.74" for Kota Bontang: how Satu Data portals join data.
    kemendagri_code = models.CharField(
        _("kode wilayah Kemendagri"),
        max_length=13,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
                _("Kode wilayah ditulis seperti 64.74 (provinsi.kabupaten/kota)."),
            )
        ],
    )
    # The monthly report's letterhead (kop): the office that issues it and the region's
    # emblem, both set by the coordinator (institutions.services.region_letterhead_update).
    letterhead_office = models.CharField(_("instansi pada kop laporan"), max_length=200, blank=True)
    logo = models.ImageField(_("lambang daerah"), upload_to="region-logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A government agency (OPD) whose accounts warta runs."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        KANTOR = "kantor", _("Kantor")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        RSUD = "rsud", _("Rumah sakit daerah")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        OTHER = "other", _("Lainnya")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.DINAS)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "short_name"], name="agency_unique_short_name"
            ),
            models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name"),
        ]

    def __str__(self) -> str:
        return self.short_name


class Officer(models.Model):
    """A person's role in a region; officers, heads and viewers belong to agencies."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Koordinator (Diskominfo)")
        OFFICER = "officer", _("Petugas (PPID pelaksana)")
        HEAD = "head", _("Pimpinan perangkat daerah")
        VIEWER = "viewer", _("Pembaca")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="officers")
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="officers")
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    telegram_chat_id = models.CharField(_("ID obrolan Telegram"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def can_write(self) -> bool:
        return self.role in {self.Role.COORDINATOR, self.Role.OFFICER}


class LeadershipTerm(models.Model):
    """Who headed an agency when; analytics compares the periods either side of a change."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="leadership_terms")
    head_name = models.CharField(_("nama pimpinan"), max_length=200)
    title = models.CharField(_("jabatan"), max_length=200, blank=True)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "-start"]
        verbose_name = _("masa jabatan pimpinan")
        verbose_name_plural = _("masa jabatan pimpinan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="leadership_term_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.head_name} ({self.start:%Y-%m-%d})"
