"""Where pre-publish checks plug in.

A check is a plain function `check(subject) -> list[Finding]`, registered with
`@register("name")`. Content calls `run_checks(subject)` before a variant may be
scheduled; the guardrails app decides each finding's final severity per region.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from warta.lib.findings import Finding, Severity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MediaInfo:
    kind: str  # "image", "video", "document"
    mime_type: str
    size_bytes: int
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    alt_text: str = ""
    has_captions: bool = False
    shows_children_or_private_persons: bool = False
    consent_note: str = ""


@dataclass(frozen=True)
class CheckSubject:
    """Everything a check may look at, detached from the database."""

    platform: str
    caption: str
    region_id: int
    agency_id: int
    title: str = ""
    first_comment: str = ""
    media: tuple[MediaInfo, ...] = ()
    channel_id: int | None = None
    variant_id: int | None = None
    # Optional context: "scheduled_at" (datetime; the election check uses it instead of
    # today), "official_contacts" (list[str]; else read from the agency's strategy).
    extra: dict[str, object] = field(default_factory=dict)


Check = Callable[[CheckSubject], list[Finding]]
_CHECKS: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    def decorator(fn: Check) -> Check:
        _CHECKS[name] = fn
        return fn

    return decorator


def registered_checks() -> dict[str, Check]:
    return dict(_CHECKS)


def run_checks(subject: CheckSubject) -> list[Finding]:
    """Run every check and give each finding the severity its region configured.

    A check that crashes does not let the variant through silently: it becomes a
    finding that asks for a person's approval (configurable like any other).
    """
    findings: list[Finding] = []
    for name, check in _CHECKS.items():
        try:
            findings.extend(check(subject))
        except Exception:
            log.exception("check %s failed", name)
            findings.append(
                Finding(
                    check="guardrails",
                    code="check_error",
                    severity=Severity.APPROVAL,
                    message=_("Pemeriksaan “%(name)s” gagal berjalan.") % {"name": name},
                    hint=_("Minta peninjau memeriksa unggahan ini secara manual."),
                    field="caption",
                    data={"failed_check": name},
                )
            )
    from warta.guardrails.severity import apply_region_severity

    return apply_region_severity(findings, subject.region_id)
