"""Strategy versions: validation, governance, head-change flag, diffs, selectors."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from warta.core.models import AuditEvent
from warta.institutions.models import LeadershipTerm
from warta.strategy import selectors, services
from warta.strategy.models import StrategyVersion
from warta.strategy.schema import diff
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World

REASON = "Penyesuaian dengan RPJMD 2025-2029"


def propose(world: World, user=None, agency="a", **overrides):  # type: ignore[no-untyped-def]
    return services.strategy_propose(
        actor=user or world.alice,
        region=world.region,
        agency=world.agency_a if agency == "a" else agency,
        data=strategy_doc(**overrides),
        reason=REASON,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "needle"),
    [
        ({"target_mix": {"service": 60, "education": 30}}, "target_mix", "100%"),
        ({"cadence": {"instagram": -1}}, "cadence", "negatif"),
        (
            {"rule_patterns": [{"pattern": "([a-z", "message": "x"}]},
            "rule_patterns",
            "tidak dapat dipakai",
        ),
        ({"rule_patterns": [{"pattern": "(a+)+$", "message": "x"}]}, "rule_patterns", "bertingkat"),
        (
            {
                "templates": [
                    {"pillar": "service", "name": "Layanan", "body": "Datang ke {tempat_acara}"}
                ]
            },
            "templates",
            "{tempat_acara}",
        ),
        (
            {"templates": [{"pillar": "service", "name": "Rusak", "body": "Datang ke {place"}]},
            "templates",
            "kurung",
        ),
        ({"hashtags": ["#dua kata"]}, "hashtags", "tidak sah"),
        ({"target_mix": {"gosip": 100}}, "target_mix", "tidak dikenal"),
    ],
)
def test_it_refuses_malformed_versions_with_a_clear_message_and_saves_nothing(
    world: World, overrides: dict, field: str, needle: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        propose(world, user=world.cora, **overrides)
    assert any(needle in m for m in exc.value.message_dict[field])
    assert not StrategyVersion.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="strategy.").exists()


def test_it_requires_a_reason(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.strategy_propose(
            actor=world.alice,
            region=world.region,
            agency=world.agency_a,
            data=strategy_doc(),
            reason="  ",
        )
    assert "reason" in exc.value.message_dict
    assert not StrategyVersion.objects.exists()


def test_an_officers_change_waits_for_the_coordinator(world: World) -> None:
    version = propose(world)
    assert version.status == StrategyVersion.Status.PROPOSED
    assert selectors.current_strategy(world.agency_a).own is None
    services.strategy_accept(actor=world.cora, version=version, note="Sesuai arahan")
    assert selectors.current_strategy(world.agency_a).own == version
    assert selectors.cadence_targets(world.agency_a) == {"instagram": 5, "facebook": 3}
    assert selectors.target_mix(world.agency_a) == {"service": 60, "education": 40}
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "strategy.propose" in actions and "strategy.accept" in actions


def test_a_decided_proposal_cannot_be_decided_again(world: World) -> None:
    version = propose(world)
    services.strategy_reject(actor=world.cora, version=version, note="Belum sesuai RPJMD")
    with pytest.raises(ValidationError):
        services.strategy_accept(actor=world.cora, version=version)
    assert selectors.current_version(world.region.pk, world.agency_a.pk) is None


def test_the_coordinators_change_takes_effect_at_once(world: World) -> None:
    version = propose(world, user=world.cora)
    assert version.status == StrategyVersion.Status.ACCEPTED


def test_heads_may_propose_but_outsiders_may_not(world: World) -> None:
    assert propose(world, user=world.hana).status == StrategyVersion.Status.PROPOSED
    with pytest.raises(PermissionDenied):
        propose(world, user=world.bob)
    with pytest.raises(PermissionDenied):
        services.strategy_accept(actor=world.alice, version=StrategyVersion.objects.get())
    with pytest.raises(PermissionDenied):  # the baseline is the coordinator's
        services.strategy_propose(
            actor=world.alice, region=world.region, agency=None, data=strategy_doc(), reason=REASON
        )


def test_governance_can_let_officers_change_the_library_directly(world: World) -> None:
    rules, _window = selectors.governance_rules(world.region.pk)
    rules["library"]["direct"] = ["coordinator", "officer"]
    services.governance_update(
        actor=world.cora, region=world.region, rules=rules, head_change_window_days=90
    )
    first = propose(world, user=world.cora)
    ideas = [{"pillar": "education", "text": "Mitos dan fakta imunisasi"}]
    assert propose(world, ideas=ideas).status == StrategyVersion.Status.ACCEPTED
    assert (
        propose(world, ideas=ideas, target_mix={"service": 100}).status
        == StrategyVersion.Status.PROPOSED
    )
    assert first.number == 1


def test_governance_refuses_removing_the_coordinators_say(world: World) -> None:
    rules, _window = selectors.governance_rules(world.region.pk)
    rules["pillars"]["direct"] = ["officer"]
    with pytest.raises(ValidationError):
        services.governance_update(
            actor=world.cora, region=world.region, rules=rules, head_change_window_days=90
        )
    with pytest.raises(PermissionDenied):
        services.governance_update(
            actor=world.alice, region=world.region, rules=rules, head_change_window_days=90
        )


@time_machine.travel("2026-03-10 02:00Z")
def test_a_proposal_soon_after_a_new_head_is_flagged(world: World) -> None:
    LeadershipTerm.objects.create(
        agency=world.agency_a, head_name="dr. Lama", start=date(2021, 1, 4), end=date(2026, 1, 31)
    )
    LeadershipTerm.objects.create(
        agency=world.agency_a, head_name="dr. Baru, M.Kes", start=date(2026, 2, 1)
    )
    version = propose(world)
    assert version.head_change_flag
    assert "dr. Baru" in version.head_change_note and "37 hari" in version.head_change_note
    assert "dr. Baru" in AuditEvent.objects.get(action="strategy.propose").note


@time_machine.travel("2026-09-10 02:00Z")
def test_a_proposal_long_after_the_change_is_not_flagged(world: World) -> None:
    LeadershipTerm.objects.create(
        agency=world.agency_a, head_name="dr. Baru", start=date(2026, 2, 1)
    )
    assert not propose(world).head_change_flag


def test_versions_show_what_changed(world: World) -> None:
    v1 = propose(world, user=world.cora)
    v2 = propose(
        world,
        user=world.cora,
        hashtags=["#DinkesUji", "#SehatBersama"],
        target_mix={"service": 50, "education": 50},
    )
    assert v2.based_on == v1 and v2.number == 2 and sorted(v2.sections) == ["pillars", "voice"]
    rows = {r["field"]: r for r in diff(v1.data, v2.data)}
    assert rows["hashtags"]["added"] == ["#SehatBersama"] and rows["hashtags"]["removed"] == []
    assert rows["target_mix"]["removed"] == ["Edukasi/kampanye: 40", "Informasi layanan publik: 60"]
    assert set(rows) == {"hashtags", "target_mix"}


def test_an_unchanged_proposal_is_refused(world: World) -> None:
    propose(world, user=world.cora)
    with pytest.raises(ValidationError):
        propose(world, user=world.cora)


def test_the_baseline_and_the_agency_strategy_merge(world: World) -> None:
    services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=None,
        reason=REASON,
        data=strategy_doc(hashtags=["#KotaUjiMaju"], cadence={"instagram": 3}, target_mix={}),
    )
    propose(world, user=world.cora, cadence={})
    current = selectors.current_strategy(world.agency_a)
    assert current.data["hashtags"] == ["#KotaUjiMaju", "#DinkesUji"]
    assert selectors.cadence_targets(world.agency_a) == {"instagram": 3}  # inherited
    assert selectors.cadence_targets(world.agency_b) == {"instagram": 3}
    assert selectors.target_mix(world.agency_b) == {}
