"""Writes of the guardrails app: review decisions, severity configuration, election periods."""

import inspect
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warta.content.models import PostVariant
from warta.core.services import audit_record
from warta.guardrails.models import ElectionPeriod, GuardrailSettings, SeverityRule
from warta.guardrails.selectors import can_review
from warta.guardrails.severity import CATALOGUE
from warta.institutions.access import AnyUser, require_officer
from warta.institutions.models import Region
from warta.lib.findings import Severity


def _call_content(name: str, *, variant: PostVariant, reviewer: AnyUser, comment: str) -> Any:
    """Call content.services.<name>, whichever keyword names it settled on (actor/reviewer, note/comment)."""
    from warta.content import services as content_services  # type: ignore[attr-defined]

    fn = getattr(content_services, name)
    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = {"variant": variant}
    kwargs["reviewer" if "reviewer" in params else "actor"] = reviewer
    kwargs["comment" if "comment" in params else "note"] = comment
    return fn(**kwargs)


def review_approve(*, reviewer: AnyUser, variant: PostVariant, comment: str = "") -> PostVariant:
    if not can_review(reviewer):
        raise PermissionDenied
    if variant.status != PostVariant.Status.AWAITING_APPROVAL:
        raise ValidationError(_("Varian ini tidak lagi menunggu persetujuan."))
    return _call_content(
        "variant_approve", variant=variant, reviewer=reviewer, comment=comment.strip()
    )


def review_send_back(*, reviewer: AnyUser, variant: PostVariant, comment: str) -> PostVariant:
    if not can_review(reviewer):
        raise PermissionDenied
    if len(comment.strip()) < 5:
        raise ValidationError(
            {"comment": [_("Tuliskan apa yang perlu diperbaiki (minimal 5 karakter).")]}
        )
    if variant.status != PostVariant.Status.AWAITING_APPROVAL:
        raise ValidationError(_("Varian ini tidak lagi menunggu persetujuan."))
    return _call_content(
        "variant_send_back", variant=variant, reviewer=reviewer, comment=comment.strip()
    )


def _require_coordinator(actor: AnyUser, region: Region) -> None:
    officer = require_officer(actor)
    if not officer.is_coordinator or officer.region_id != region.pk:
        raise PermissionDenied


def severity_configure(
    *, actor: AnyUser, region: Region, levels: dict[tuple[str, str], str], sla_hours: int
) -> None:
    """Set the region's severity per (check, code); a level equal to the default removes the rule."""
    _require_coordinator(actor, region)
    errors: list[str] = []
    for key, level in levels.items():
        if key not in CATALOGUE:
            errors.append(_("Pemeriksaan tidak dikenal: %(k)s.") % {"k": "/".join(key)})
        elif level not in Severity.values:
            errors.append(_("Tingkat tidak dikenal: %(l)s.") % {"l": level})
    if not 1 <= sla_hours <= 720:
        errors.append(_("Batas waktu persetujuan harus 1-720 jam."))
    if errors:
        raise ValidationError(errors)
    before = {
        f"{r.check_name}/{r.code}": r.severity for r in SeverityRule.objects.filter(region=region)
    }
    with transaction.atomic():
        for (check, code), level in levels.items():
            if level == CATALOGUE[(check, code)][1]:
                SeverityRule.objects.filter(region=region, check_name=check, code=code).delete()
            else:
                SeverityRule.objects.update_or_create(
                    region=region, check_name=check, code=code, defaults={"severity": level}
                )
        settings_row, _created = GuardrailSettings.objects.get_or_create(region=region)
        old_sla = settings_row.approval_sla_hours
        settings_row.approval_sla_hours = sla_hours
        settings_row.save(update_fields=["approval_sla_hours", "updated_at"])
        after = {
            f"{r.check_name}/{r.code}": r.severity
            for r in SeverityRule.objects.filter(region=region)
        }
        audit_record(
            actor=actor,
            action="guardrails.severity_configure",
            obj=settings_row,
            region_id=region.pk,
            before={"rules": before, "sla_hours": old_sla},
            after={"rules": after, "sla_hours": sla_hours},
        )


def election_period_create(
    *,
    actor: AnyUser,
    region: Region,
    name: str,
    start: date,
    end: date,
    parties: str = "",
    candidates: str = "",
    slogans: str = "",
    gestures: str = "",
    sitting_candidates: str = "",
) -> ElectionPeriod:
    _require_coordinator(actor, region)
    if not name.strip():
        raise ValidationError({"name": [_("Nama masa pemilihan wajib diisi.")]})
    if end < start:
        raise ValidationError({"end": [_("Tanggal selesai harus sesudah tanggal mulai.")]})
    period = ElectionPeriod.objects.create(
        region=region,
        name=name.strip(),
        start=start,
        end=end,
        parties=parties,
        candidates=candidates,
        slogans=slogans,
        gestures=gestures,
        sitting_candidates=sitting_candidates,
    )
    audit_record(
        actor=actor,
        action="guardrails.election_create",
        obj=period,
        region_id=region.pk,
        after={"name": period.name, "start": str(start), "end": str(end)},
    )
    return period


def election_period_delete(*, actor: AnyUser, period: ElectionPeriod) -> None:
    _require_coordinator(actor, period.region)
    audit_record(
        actor=actor,
        action="guardrails.election_delete",
        obj=period,
        region_id=period.region_id,
        before={"name": period.name, "start": str(period.start), "end": str(period.end)},
    )
    period.delete()
