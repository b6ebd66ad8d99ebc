"""The people's side of the state machine: submit, approve, send back, schedule, cancel."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from warta.channels.models import Channel
from warta.content import services
from warta.content.models import Post, PostVariant
from warta.content.tests.conftest import make_variant
from warta.core.models import AuditEvent
from warta.guardrails import registry
from warta.lib.findings import Finding, Severity
from warta.testing.fixtures import World

S = PostVariant.Status
pytestmark = pytest.mark.django_db


def later(hours: int = 2):
    return timezone.now() + timedelta(hours=hours)


def draft(world: World, **kw) -> PostVariant:
    """A draft for a Facebook Page (Instagram would also want media)."""
    channel, _ = Channel.objects.get_or_create(
        agency=world.agency_a, platform="facebook", handle="Dinkes Uji"
    )
    return make_variant(world, channel, status=S.DRAFT, **kw)


@pytest.fixture
def approval_check():
    @registry.register("uji_persetujuan")
    def check(subject):
        if "pemilu" in subject.caption.lower():
            return [
                Finding(
                    check="uji",
                    code="election",
                    severity=Severity.APPROVAL,
                    message="Menyebut pemilu: perlu persetujuan.",
                )
            ]
        return [Finding(check="uji", code="tip", severity=Severity.ADVICE, message="Saran.")]

    yield
    registry._CHECKS.pop("uji_persetujuan")


def test_it_creates_a_post_with_a_draft_variant_per_channel(world: World):
    extra = Channel.objects.create(agency=world.agency_a, platform="x", handle="@dinkes")
    post = services.post_create(
        actor=world.alice,
        agency=world.agency_a,
        message="Posyandu balita hari Senin.",
        channel_ids=[world.channel_a.pk, extra.pk],
        category="service",
    )
    assert sorted(post.variants.values_list("status", flat=True)) == [S.DRAFT, S.DRAFT]
    assert AuditEvent.objects.filter(action="content.post.create", agency=world.agency_a).exists()


def test_without_channels_it_drafts_for_every_channel_of_the_agency(world):
    post = services.post_create(
        actor=world.alice, agency=world.agency_a, message="Halo", channel_ids=[]
    )
    assert list(post.variants.values_list("channel", flat=True)) == [world.channel_a.pk]
    Channel.objects.filter(agency=world.agency_b).update(status=Channel.Status.DISABLED)
    with pytest.raises(ValidationError, match="Pilih paling sedikit satu kanal"):
        services.post_create(actor=world.bob, agency=world.agency_b, message="Halo", channel_ids=[])


@pytest.mark.parametrize(
    "channel_ids, message",
    [
        ([999999], "Kanal tidak dikenal"),
    ],
)
def test_it_refuses_bad_channels_and_changes_nothing(world, channel_ids, message):
    with pytest.raises(ValidationError, match=message):
        services.post_create(
            actor=world.alice, agency=world.agency_a, message="Halo", channel_ids=channel_ids
        )
    assert not Post.objects.exists()


def test_it_refuses_a_channel_of_another_agency(world):
    with pytest.raises(ValidationError, match="bukan milik"):
        services.post_create(
            actor=world.alice,
            agency=world.agency_a,
            message="Halo",
            channel_ids=[world.channel_b.pk],
        )
    assert not Post.objects.exists()


def test_an_officer_cannot_post_for_another_agency_and_a_head_not_at_all(world):
    for actor in (world.bob, world.hana):
        with pytest.raises(ValidationError, match="tidak berhak"):
            services.post_create(
                actor=actor, agency=world.agency_a, message="Halo", channel_ids=[world.channel_a.pk]
            )
    assert not Post.objects.exists()


def test_submit_with_a_time_schedules_and_audits(world):
    variant = draft(world)
    when = later()
    services.variant_submit(actor=world.alice, variant=variant, scheduled_at=when)
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED and variant.scheduled_at == when
    event = AuditEvent.objects.get(action="content.variant.submit")
    assert event.before == {"status": "draft"} and event.after["status"] == "scheduled"


def test_submit_without_a_time_makes_it_ready_then_schedule(world):
    variant = draft(world)
    services.variant_submit(actor=world.alice, variant=variant)
    assert variant.status == S.READY
    services.variant_schedule(actor=world.alice, variant=variant, when=later())
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED


def test_a_blocking_finding_refuses_and_keeps_the_draft(world):
    variant = make_variant(world, world.channel_a, status=S.DRAFT, caption="x" * 2300)
    with pytest.raises(ValidationError, match="2200"):
        services.variant_submit(actor=world.alice, variant=variant, scheduled_at=later())
    variant.refresh_from_db()
    assert variant.status == S.DRAFT and variant.scheduled_at != later()
    assert any(f["code"] == "caption_too_long" for f in variant.findings)


def test_approval_findings_wait_for_a_reviewer_then_go(world, approval_check):
    variant = draft(world, caption="Jadwal sosialisasi pemilu di kelurahan.")
    services.variant_submit(actor=world.alice, variant=variant, scheduled_at=later())
    assert variant.status == S.AWAITING_APPROVAL
    services.variant_approve(actor=world.cora, variant=variant)
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED and variant.approved_by == world.cora


def test_approval_after_the_time_passed_leaves_it_ready_not_late(world, approval_check):
    variant = draft(world, caption="pemilu")
    services.variant_submit(actor=world.alice, variant=variant, scheduled_at=later())
    PostVariant.objects.filter(pk=variant.pk).update(scheduled_at=timezone.now())
    variant.refresh_from_db()
    services.variant_approve(actor=world.cora, variant=variant)
    assert variant.status == S.READY


def test_send_back_returns_a_draft_with_the_reason(world, approval_check):
    variant = draft(world, caption="pemilu")
    services.variant_submit(actor=world.alice, variant=variant)
    with pytest.raises(ValidationError):
        services.variant_send_back(actor=world.cora, variant=variant, note=" ")
    services.variant_send_back(actor=world.cora, variant=variant, note="Hapus ajakan memilih.")
    variant.refresh_from_db()
    assert variant.status == S.DRAFT and variant.last_error == "Hapus ajakan memilih."


def test_advice_flows_on_and_is_stored(world, approval_check):
    variant = draft(world)
    services.variant_submit(actor=world.alice, variant=variant)
    assert variant.status == S.READY
    assert any(f["code"] == "tip" for f in variant.findings)


def test_it_refuses_a_past_time(world):
    variant = draft(world)
    with pytest.raises(ValidationError, match="masa depan"):
        services.variant_submit(
            actor=world.alice, variant=variant, scheduled_at=timezone.now() - timedelta(minutes=1)
        )
    variant.refresh_from_db()
    assert variant.status == S.DRAFT


def test_reschedule_and_cancel(world):
    variant = make_variant(world, world.channel_a, at=later())
    services.variant_reschedule(actor=world.alice, variant=variant, when=later(5))
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED and variant.scheduled_at > later(4)
    services.variant_cancel(actor=world.alice, variant=variant)
    assert variant.status == S.CANCELLED
    with pytest.raises(ValidationError):
        services.variant_reschedule(actor=world.alice, variant=variant, when=later())


def test_a_publishing_variant_cannot_be_cancelled_or_rescheduled(world):
    variant = make_variant(world, world.channel_a, status=S.PUBLISHING)
    with pytest.raises(ValidationError, match="sedang diterbitkan"):
        services.variant_cancel(actor=world.alice, variant=variant)
    with pytest.raises(ValidationError):
        services.variant_reschedule(actor=world.alice, variant=variant, when=later())
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHING


def test_a_person_racing_a_worker_loses_cleanly(world):
    variant = make_variant(world, world.channel_a)
    PostVariant.objects.filter(pk=variant.pk).update(status=S.PUBLISHING)  # worker claimed
    with pytest.raises(ValidationError, match="sedang diterbitkan"):
        services.variant_cancel(actor=world.alice, variant=variant)
    assert PostVariant.objects.get(pk=variant.pk).status == S.PUBLISHING


def test_mark_published_manually_needs_a_url(world):
    variant = make_variant(world, world.channel_a, status=S.NEEDS_ATTENTION)
    with pytest.raises(ValidationError, match="URL"):
        services.variant_mark_published_manually(
            actor=world.alice, variant=variant, url="javascript:alert(1)"
        )
    services.variant_mark_published_manually(
        actor=world.alice, variant=variant, url="https://instagram.com/p/abc"
    )
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED and variant.platform_url.endswith("/abc")


def test_editing_a_scheduled_variant_returns_it_to_draft(world):
    variant = make_variant(world, world.channel_a, at=later())
    services.variant_update(
        actor=world.alice,
        variant=variant,
        text=services.VariantText(caption="Teks baru 🎉", hashtags="#Bontang"),
    )
    variant.refresh_from_db()
    assert variant.status == S.DRAFT and variant.full_caption == "Teks baru 🎉\n\n#Bontang"


def test_only_the_coordinator_copies_to_other_agencies(world):
    post = services.post_create(
        actor=world.cora,
        agency=world.agency_a,
        message="Kampanye cuci tangan se-kota.",
        channel_ids=[world.channel_a.pk],
        category="education",
    )
    with pytest.raises(ValidationError, match="koordinator"):
        services.post_copy_to_agencies(actor=world.alice, post=post, agencies=[world.agency_b])
    copies = services.post_copy_to_agencies(actor=world.cora, post=post, agencies=[world.agency_b])
    assert copies[0].agency == world.agency_b
    assert copies[0].variants.get().channel == world.channel_b
    assert copies[0].copied_from == post
