from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.institutions.models import Region
from warta.lib.findings import Severity


class SeverityRule(models.Model):
    """A region's choice of severity for a check's finding (code empty = the whole check)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="severity_rules")
    check_name = models.CharField(_("pemeriksaan"), max_length=40)
    code = models.CharField(_("kode"), max_length=40, blank=True)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tingkat pemeriksaan")
        verbose_name_plural = _("tingkat pemeriksaan")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "check_name", "code"], name="severity_rule_unique"
            )
        ]


class ElectionPeriod(models.Model):
    """A period in which posts are checked for partisan content; lists are one item a line."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="election_periods")
    name = models.CharField(_("nama"), max_length=200)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    parties = models.TextField(_("partai (satu per baris)"), blank=True)
    candidates = models.TextField(_("nama calon (satu per baris)"), blank=True)
    slogans = models.TextField(_("slogan kampanye (satu per baris)"), blank=True)
    gestures = models.TextField(_("gestur/simbol (satu per baris)"), blank=True)
    sitting_candidates = models.TextField(
        _("pejabat petahana yang mencalonkan diri (satu per baris)"), blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("masa pemilihan")
        verbose_name_plural = _("masa pemilihan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="election_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GuardrailSettings(models.Model):
    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="guardrail_settings"
    )
    approval_sla_hours = models.PositiveSmallIntegerField(
        _("batas waktu persetujuan (jam)"), default=24
    )
    updated_at = models.DateTimeField(auto_now=True)
