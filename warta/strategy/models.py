from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.institutions.models import Agency, Region


class StrategyVersion(models.Model):
    """One version of a strategy (region baseline when agency is empty). Content never changes.

    A change is proposed as a new version; it becomes the current one when accepted
    (directly, when governance lets the proposer's role change that section).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Diusulkan")
        ACCEPTED = "accepted", _("Berlaku")
        REJECTED = "rejected", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Ditarik")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="strategy_versions")
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_versions"
    )
    number = models.PositiveIntegerField(_("nomor versi"))
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    data = models.JSONField(_("isi"))
    sections = models.JSONField(_("bagian yang berubah"), default=list)
    reason = models.TextField(_("alasan perubahan"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_role = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves when the decision changes; the archive pulls versions by this cursor.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    # Proposed within the window after a new head took office: shown to the coordinator.
    head_change_flag = models.BooleanField(_("dekat pergantian pimpinan"), default=False)
    head_change_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("versi strategi")
        verbose_name_plural = _("versi strategi")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=models.Q(agency__isnull=False),
                name="strategy_version_unique_agency_number",
            ),
            models.UniqueConstraint(
                fields=["region", "number"],
                condition=models.Q(agency__isnull=True),
                name="strategy_version_unique_baseline_number",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "agency", "status", "-decided_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        scope = self.agency.short_name if self.agency is not None else str(_("Baseline"))
        return f"{scope} v{self.number}"

    @property
    def is_baseline(self) -> bool:
        return self.agency_id is None


class StrategyGovernance(models.Model):
    """Who may change which section of a strategy in a region (see schema.SECTIONS).

    `rules` = {section: {"propose": [roles], "direct": [roles]}}: roles in "propose" may
    submit changes; a change takes effect at once only if every changed section lists
    the author's role in "direct", otherwise it waits for the coordinator.
    """

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="strategy_governance"
    )
    rules = models.JSONField(default=dict)
    head_change_window_days = models.PositiveSmallIntegerField(
        _("jendela pergantian pimpinan (hari)"), default=90
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tata kelola strategi")
        verbose_name_plural = _("tata kelola strategi")


class LocalDay(models.Model):
    """A day the region marks besides national holidays (e.g. the city's anniversary)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="local_days")
    name = models.CharField(_("nama hari"), max_length=200)
    month = models.PositiveSmallIntegerField(_("bulan"))
    day = models.PositiveSmallIntegerField(_("tanggal"))
    # Empty: every year; set: that year only.
    year = models.PositiveSmallIntegerField(_("tahun (kosong = tiap tahun)"), null=True, blank=True)
    note = models.CharField(_("catatan/ide"), max_length=500, blank=True)

    class Meta:
        ordering = ["month", "day"]
        verbose_name = _("hari lokal")
        verbose_name_plural = _("hari lokal")

    def __str__(self) -> str:
        return f"{self.day}/{self.month} {self.name}"


class Programme(models.Model):
    """A programme of the agency's Renstra, as the planning system (SIPD) exports it.

    Pillars of the strategy name programme codes; this table gives the codes their names,
    so that reports can say which programmes the communication served.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="programmes")
    code = models.CharField(_("kode program"), max_length=32)
    name = models.CharField(_("nama program"), max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("program Renstra")
        verbose_name_plural = _("program Renstra")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="programme_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
