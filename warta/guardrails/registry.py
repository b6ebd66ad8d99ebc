"""Where pre-publish checks plug in.

A check is a plain function `check(subject) -> list[Finding]`, registered with
`@register("name")`. Content calls `run_checks(subject)` before a variant may be
scheduled; the guardrails app decides each finding's final severity per region.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from warta.lib.findings import Finding


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
    findings: list[Finding] = []
    for check in _CHECKS.values():
        findings.extend(check(subject))
    return findings
