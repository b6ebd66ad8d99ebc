"""Writes of the strategy app: propose, accept, reject, withdraw; governance; local days."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from warta.core.services import audit_record
from warta.institutions.access import AnyUser, require_officer, visible_agencies
from warta.institutions.models import Agency, Officer, Region
from warta.lib import clock
from warta.strategy import selectors
from warta.strategy.models import LocalDay, StrategyGovernance, StrategyVersion
from warta.strategy.schema import SECTIONS, sections_changed, validate_data


def _user(actor: AnyUser) -> User | None:
    return actor if isinstance(actor, User) else None


def _may_propose(officer: Officer, agency: Agency | None, sections: set[str]) -> bool:
    if agency is None:  # the region baseline is the coordinator's
        return officer.is_coordinator
    if not visible_agencies(officer.user).filter(pk=agency.pk).exists():
        return False
    rules, _window = selectors.governance_rules(officer.region_id)
    return all(officer.role in rules[s]["propose"] for s in sections)


def _takes_effect_directly(officer: Officer, agency: Agency | None, sections: set[str]) -> bool:
    if agency is None:
        return officer.is_coordinator
    rules, _window = selectors.governance_rules(officer.region_id)
    return all(officer.role in rules[s]["direct"] for s in sections)


def strategy_propose(
    *,
    actor: AnyUser,
    region: Region,
    agency: Agency | None,
    data: dict[str, Any],
    reason: str,
) -> StrategyVersion:
    """Submit a new version; it is current at once if governance allows, else it waits."""
    officer = require_officer(actor)
    if officer.region_id != region.pk or (agency is not None and agency.region_id != region.pk):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        clean = validate_data(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        clean = None
    if len(reason) < 10:
        errors.setdefault("reason", []).append(
            _(
                "Tuliskan alasan perubahan (minimal 10 karakter) agar tercatat mengapa konsep berubah."
            )
        )
    if errors:
        raise ValidationError(errors)
    assert clean is not None
    current = selectors.current_version(region.pk, agency.pk if agency else None)
    changed = sections_changed(current.data if current else None, clean)  # type: ignore[arg-type]
    if not changed:
        raise ValidationError(
            {"__all__": [_("Tidak ada yang berubah dibandingkan versi yang berlaku.")]}
        )
    if not _may_propose(officer, agency, changed):
        raise PermissionDenied
    direct = _takes_effect_directly(officer, agency, changed)
    now = clock.now()
    flag_note = ""
    if agency is not None:
        _rules, window = selectors.governance_rules(region.pk)
        term = selectors.recent_head_change(agency.pk, timezone.localdate(now), window)
        if term is not None:
            days = (timezone.localdate(now) - term.start).days
            flag_note = _(
                "Diusulkan %(days)s hari setelah %(name)s mulai menjabat (%(start)s)."
            ) % {
                "days": days,
                "name": term.head_name,
                "start": term.start.strftime("%d-%m-%Y"),
            }
    for attempt in range(3):  # two people saving at once: retry with the next number
        try:
            with transaction.atomic():
                number = (
                    selectors.versions_for(region.pk, agency.pk if agency else None).aggregate(
                        n=Max("number")
                    )["n"]
                    or 0
                ) + 1
                version = StrategyVersion.objects.create(
                    region=region,
                    agency=agency,
                    number=number,
                    based_on=current,
                    status=StrategyVersion.Status.ACCEPTED
                    if direct
                    else StrategyVersion.Status.PROPOSED,
                    data=clean,
                    sections=sorted(changed),
                    reason=reason,
                    author=_user(actor),
                    author_role=officer.role,
                    decided_by=_user(actor) if direct else None,
                    decided_at=now if direct else None,
                    head_change_flag=bool(flag_note),
                    head_change_note=flag_note,
                )
                audit_record(
                    actor=actor,
                    action="strategy.accept_direct" if direct else "strategy.propose",
                    obj=version,
                    region_id=region.pk,
                    after={"number": number, "sections": sorted(changed)},
                    note=reason + (f" [{flag_note}]" if flag_note else ""),
                )
            return version
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _decide(
    *, actor: AnyUser, version: StrategyVersion, status: str, note: str, action: str
) -> StrategyVersion:
    now = clock.now()
    updated = StrategyVersion.objects.filter(
        pk=version.pk, status=StrategyVersion.Status.PROPOSED
    ).update(
        status=status, decided_by=_user(actor), decided_at=now, decision_note=note, updated_at=now
    )
    if updated != 1:
        raise ValidationError(_("Usulan ini sudah diputuskan atau ditarik."))
    version.refresh_from_db()
    audit_record(
        actor=actor,
        action=action,
        obj=version,
        region_id=version.region_id,
        before={"status": StrategyVersion.Status.PROPOSED},
        after={"status": status},
        note=note,
    )
    return version


def strategy_accept(*, actor: AnyUser, version: StrategyVersion, note: str = "") -> StrategyVersion:
    """The coordinator accepts a proposal; it becomes the current version."""
    officer = require_officer(actor)
    if not officer.is_coordinator or officer.region_id != version.region_id:
        raise PermissionDenied
    return _decide(
        actor=actor,
        version=version,
        status=StrategyVersion.Status.ACCEPTED,
        note=note.strip(),
        action="strategy.accept",
    )


def strategy_reject(*, actor: AnyUser, version: StrategyVersion, note: str) -> StrategyVersion:
    officer = require_officer(actor)
    if not officer.is_coordinator or officer.region_id != version.region_id:
        raise PermissionDenied
    if len(note.strip()) < 5:
        raise ValidationError(
            {"note": [_("Tuliskan alasan penolakan agar pengusul tahu apa yang perlu diubah.")]}
        )
    return _decide(
        actor=actor,
        version=version,
        status=StrategyVersion.Status.REJECTED,
        note=note.strip(),
        action="strategy.reject",
    )


def strategy_withdraw(*, actor: AnyUser, version: StrategyVersion) -> StrategyVersion:
    if version.author_id != actor.pk:
        raise PermissionDenied
    return _decide(
        actor=actor,
        version=version,
        status=StrategyVersion.Status.WITHDRAWN,
        note="",
        action="strategy.withdraw",
    )


def governance_update(
    *,
    actor: AnyUser,
    region: Region,
    rules: dict[str, dict[str, list[str]]],
    head_change_window_days: int,
) -> StrategyGovernance:
    officer = require_officer(actor)
    if not officer.is_coordinator or officer.region_id != region.pk:
        raise PermissionDenied
    roles = set(selectors.ALL_PROPOSERS)
    clean: dict[str, dict[str, list[str]]] = {}
    for section in SECTIONS:
        rule = rules.get(section, {})
        propose = sorted(set(rule.get("propose", [])) & roles)
        direct = sorted(set(rule.get("direct", [])) & roles)
        if Officer.Role.COORDINATOR not in direct:
            raise ValidationError(
                {section: [_("Koordinator harus selalu dapat menetapkan perubahan.")]}
            )
        clean[section] = {"propose": sorted(set(propose) | set(direct)), "direct": direct}
    if not 0 <= head_change_window_days <= 730:
        raise ValidationError({"head_change_window_days": [_("Jendela harus 0-730 hari.")]})
    gov, _created = StrategyGovernance.objects.get_or_create(region=region)
    before = {"rules": gov.rules, "window": gov.head_change_window_days}
    gov.rules = clean
    gov.head_change_window_days = head_change_window_days
    gov.save(update_fields=["rules", "head_change_window_days", "updated_at"])
    audit_record(
        actor=actor,
        action="strategy.governance_update",
        obj=gov,
        region_id=region.pk,
        before=before,
        after={"rules": clean, "window": head_change_window_days},
    )
    return gov


def local_day_create(
    *,
    actor: AnyUser,
    region: Region,
    name: str,
    month: int,
    day: int,
    year: int | None = None,
    note: str = "",
) -> LocalDay:
    officer = require_officer(actor)
    if not officer.is_coordinator or officer.region_id != region.pk:
        raise PermissionDenied
    import datetime

    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Nama hari wajib diisi.")]})
    try:
        datetime.date(year or 2024, month, day)  # 2024: a leap year, so 29 Feb is allowed
    except (ValueError, TypeError):
        raise ValidationError({"day": [_("Tanggal tidak ada di kalender.")]}) from None
    local_day = LocalDay.objects.create(
        region=region, name=name, month=month, day=day, year=year, note=note.strip()
    )
    audit_record(
        actor=actor,
        action="strategy.local_day_create",
        obj=local_day,
        region_id=region.pk,
        after={"name": name, "month": month, "day": day, "year": year},
    )
    return local_day


def local_day_delete(*, actor: AnyUser, local_day: LocalDay) -> None:
    officer = require_officer(actor)
    if not officer.is_coordinator or officer.region_id != local_day.region_id:
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="strategy.local_day_delete",
        obj=local_day,
        region_id=local_day.region_id,
        before={"name": local_day.name},
    )
    local_day.delete()
