"""The one shape every pre-publish check reports in (platform limits, guardrails, strategy)."""

import dataclasses
from dataclasses import asdict, dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    BLOCK = "block", _("Memblokir")
    APPROVAL = "approval", _("Perlu persetujuan")
    ADVICE = "advice", _("Saran")


@dataclass(frozen=True)
class Finding:
    """One problem found in a variant, pointing at the exact span of text where it lies."""

    check: str  # e.g. "platform_limits", "personal_data"
    code: str  # e.g. "caption_too_long", "nik"
    severity: str  # a Severity value
    message: str  # in the user's language: what is wrong, with the rule and the limit
    hint: str = ""  # how to fix it
    field: str = "caption"  # which part of the variant: caption, title, first_comment, media
    start: int | None = None  # span in that field's text, as Python string offsets
    end: int | None = None
    data: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Finding":
        return cls(**data)


def worst(findings: list[Finding]) -> str | None:
    """The most severe level among findings, or None when there are none."""
    levels = {f.severity for f in findings}
    for level in (Severity.BLOCK, Severity.APPROVAL, Severity.ADVICE):
        if level in levels:
            return str(level)
    return None
