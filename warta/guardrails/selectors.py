"""Reads of the guardrails app: the reviewer queue, SLA, highlighted findings, settings."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from warta.content.models import PostVariant
from warta.guardrails.models import GuardrailSettings, SeverityRule
from warta.guardrails.severity import CATALOGUE
from warta.institutions.access import AnyUser, is_coordinator, officer_of, visible_agencies
from warta.lib import clock
from warta.lib.findings import Finding, Severity

DEFAULT_SLA_HOURS = 24


def sla_hours(region_id: int) -> int:
    value = (
        GuardrailSettings.objects.filter(region_id=region_id)
        .values_list("approval_sla_hours", flat=True)
        .first()
    )
    return value or DEFAULT_SLA_HOURS


def can_review(user: AnyUser) -> bool:
    """Reviewers are the region's coordinators (the PPID utama / Diskominfo)."""
    return is_coordinator(user)


def review_queue(user: AnyUser) -> QuerySet[PostVariant]:
    return (
        PostVariant.objects.filter(
            status=PostVariant.Status.AWAITING_APPROVAL, post__agency__in=visible_agencies(user)
        )
        .select_related("post", "post__agency", "channel")
        .order_by("approval_requested_at", "id")
    )


@dataclass(frozen=True)
class Waiting:
    since: datetime | None
    hours: float
    overdue: bool
    due: datetime | None


def waiting(variant: PostVariant, sla: int, now: datetime | None = None) -> Waiting:
    now = now or clock.now()
    since = variant.approval_requested_at or variant.updated_at
    if since is None:
        return Waiting(None, 0.0, False, None)
    hours = (now - since).total_seconds() / 3600
    return Waiting(since, round(hours, 1), hours > sla, since + timedelta(hours=sla))


@dataclass(frozen=True)
class ReviewAccess:
    variant: PostVariant
    can_review: bool


def get_review_variant_for_user(user: AnyUser, pk: int) -> ReviewAccess:
    variant = (
        PostVariant.objects.filter(pk=pk, post__agency__in=visible_agencies(user))
        .select_related("post", "post__agency", "channel")
        .first()
    )
    if variant is None or officer_of(user) is None:
        raise Http404
    return ReviewAccess(variant=variant, can_review=can_review(user))


def findings_of(variant: PostVariant) -> list[Finding]:
    out = []
    for raw in variant.findings or []:
        try:
            out.append(Finding.from_json(raw))
        except TypeError:
            continue  # a finding stored by an older shape; shown nowhere rather than crash
    return out


def reason_of(finding: Finding) -> str:
    """The rule behind a finding, as the severity settings name it."""
    label = CATALOGUE.get((finding.check, finding.code)) or CATALOGUE.get((finding.check, ""))
    return str(label[0]) if label else finding.message


def quoted(variant: PostVariant, finding: Finding) -> str:
    text = {"caption": variant.caption, "title": variant.title}.get(finding.field, "")
    if text and finding.start is not None and finding.end is not None:
        return text[finding.start : finding.end][:60]
    return ""


def held_reasons(variant: PostVariant) -> list[dict[str, str]]:
    """Why the variant waits for approval: one line per finding that asks for it."""
    out = []
    for finding in findings_of(variant):
        if finding.severity != Severity.APPROVAL:
            continue
        out.append(
            {
                "reason": reason_of(finding),
                "finding": finding.message,
                "quote": quoted(variant, finding),
            }
        )
    return out


def highlighted(text: str, findings: list[Finding], field: str) -> list[dict[str, Any]]:
    """The text cut into segments; a segment inside a finding's span carries its number/severity.

    Overlapping spans: the segment takes the most severe finding covering it.
    """
    order = {"block": 0, "approval": 1, "advice": 2}
    spans = [
        (f.start, f.end, i, f.severity)
        for i, f in enumerate(findings, start=1)
        if f.field == field
        and f.start is not None
        and f.end is not None
        and 0 <= f.start < f.end <= len(text)
    ]
    cuts = sorted({0, len(text), *[s for s, _e, _i, _v in spans], *[e for _s, e, _i, _v in spans]})
    segments = []
    for a, b in pairwise(cuts):
        covering = [(order.get(sev, 3), i, sev) for s, e, i, sev in spans if s <= a and b <= e]
        if covering:
            _rank, number, severity = min(covering)
            segments.append({"text": text[a:b], "finding": number, "severity": severity})
        else:
            segments.append({"text": text[a:b], "finding": None, "severity": ""})
    return segments


def severity_table(region_id: int) -> list[dict[str, Any]]:
    overrides = {
        (r.check_name, r.code): r.severity for r in SeverityRule.objects.filter(region_id=region_id)
    }
    return [
        {
            "check": check,
            "code": code,
            "label": label,
            "default": default,
            "current": overrides.get((check, code)) or overrides.get((check, "")) or default,
        }
        for (check, code), (label, default) in CATALOGUE.items()
    ]
