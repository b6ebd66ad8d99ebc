"""The home page is a to-do list: what each role has to do today, each item a link to it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from warta.channels.models import Channel
from warta.content import services as content_services
from warta.content.models import Post, PostVariant
from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    InboxItem,
    InformationRequest,
    Objection,
)
from warta.institutions.models import Agency, Officer
from warta.institutions.todo import LIMIT, Todo, total_of
from warta.strategy import services as strategy_services
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World, client_for, make_person

# Wednesday 16 December 2026, 10.00 WITA.
NOW = datetime(2026, 12, 16, 2, 0, tzinfo=UTC)
S = PostVariant.Status


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def inbox_item(
    channel: Channel, n: int, *, due: datetime, text: str = "Kapan vaksin?"
) -> InboxItem:
    return InboxItem.objects.create(
        agency=channel.agency,
        channel=channel,
        platform_item_id=f"c{channel.pk}-{n}",
        author_handle=f"@warga{n}",
        text=text,
        received_at=due - timedelta(hours=8),
        response_due_at=due,
    )


def info_request(agency: Agency, n: int, *, due: datetime) -> InformationRequest:
    return InformationRequest.objects.create(
        agency=agency,
        year=2026,
        sequence=n,
        register_number=f"{n:03d}/PPID-{agency.short_name}/2026",
        origin=InformationRequest.Origin.WEBSITE,
        requester_name="Budi",
        requester_contact="b***@example.test",
        information_requested="Anggaran posyandu 2026",
        received_at=NOW - timedelta(days=5),
        due_at=due,
        original_due_at=due,
    )


def held_variant(world: World, agency: Agency, caption: str) -> PostVariant:
    """Submitted as an officer would: the checks hold it (a vehicle plate needs approval)."""
    channel, _ = Channel.objects.get_or_create(
        agency=agency, platform="facebook", handle=f"fb-{agency.short_name}"
    )
    post = Post.objects.create(agency=agency, message=caption, created_by=world.alice)
    variant = PostVariant.objects.create(post=post, channel=channel, caption=caption)
    editor = world.alice if agency == world.agency_a else world.bob
    content_services.variant_submit(actor=editor, variant=variant)
    variant.refresh_from_db()
    assert variant.status == S.AWAITING_APPROVAL
    return variant


def test_an_officer_sees_replies_due_today_and_overdue_but_not_tomorrows(
    world: World, alice_client: Client
) -> None:
    late = inbox_item(world.channel_a, 1, due=NOW - timedelta(hours=2), text="Sudah lewat")
    inbox_item(world.channel_a, 2, due=NOW + timedelta(hours=4), text="Hari ini juga")
    inbox_item(world.channel_a, 3, due=NOW + timedelta(days=1), text="Besok saja")
    inbox_item(world.channel_b, 4, due=NOW - timedelta(hours=2), text="Milik Disdik")
    body = alice_client.get("/").content.decode()
    assert "Sudah lewat" in body and "Hari ini juga" in body
    assert "Besok saja" not in body and "Milik Disdik" not in body
    assert reverse("engagement:item_detail", args=[late.pk]) in body
    assert "lewat batas sejak 08.00" in body  # 10.00 WITA now, due two hours ago
    assert "batas hari ini pukul 14.00" in body


def test_information_requests_show_the_days_left(world: World, alice_client: Client) -> None:
    request = info_request(world.agency_a, 7, due=NOW + timedelta(days=3))
    info_request(world.agency_a, 8, due=NOW - timedelta(days=2))
    body = alice_client.get("/").content.decode()
    assert "007/PPID-Dinkes/2026" in body and "sisa 3 hari" in body
    assert "008/PPID-Dinkes/2026" in body and "lewat 2 hari" in body
    assert reverse("engagement:request_detail", args=[request.pk]) in body
    # Information requests are in the main menu, not hidden in a sub-menu.
    assert f'href="{reverse("engagement:request_list")}"' in body


def test_a_held_post_says_why_on_the_home_the_queue_and_the_review(
    world: World, alice_client: Client, cora_client: Client
) -> None:
    variant = held_variant(
        world, world.agency_a, "Mobil dinas KT 1234 AB siap melayani warga di Bontang Utara."
    )
    home = alice_client.get("/").content.decode()
    assert "Unggahan yang ditahan pemeriksaan" in home
    assert "Nomor polisi kendaraan" in home  # the reason: the rule that holds it
    assert "KT 1234 AB" in home  # the finding, quoted from the text
    assert reverse("content:post_detail", args=[variant.post_id]) in home
    coordinator_home = cora_client.get("/").content.decode()
    assert reverse("guardrails:review_detail", args=[variant.pk]) in coordinator_home
    queue = cora_client.get(reverse("guardrails:review_queue")).content.decode()
    reason_cell = queue.split(reverse("guardrails:review_detail", args=[variant.pk]))[1]
    assert "nomor polisi" in reason_cell.split("</tr>")[0].lower()
    detail = cora_client.get(
        reverse("guardrails:review_detail", args=[variant.pk])
    ).content.decode()
    assert "Tidak ada temuan" not in detail
    assert "Perlu persetujuan" in detail


def test_failed_posts_and_channels_to_reconnect_are_listed(
    world: World, alice_client: Client
) -> None:
    post = Post.objects.create(agency=world.agency_a, message="Jadwal posyandu")
    PostVariant.objects.create(
        post=post,
        channel=world.channel_a,
        caption="Jadwal posyandu",
        status=S.FAILED,
        last_error="Instagram menolak: gambar terlalu kecil.",
    )
    x = Channel.objects.create(
        agency=world.agency_a,
        platform="x",
        handle="@dinkes_x",
        status=Channel.Status.NEEDS_RECONNECT,
    )
    body = alice_client.get("/").content.decode()
    assert "Instagram menolak: gambar terlalu kecil." in body
    assert reverse("content:post_detail", args=[post.pk]) in body
    assert "Kanal yang perlu disambungkan ulang" in body
    assert reverse("channels:channel_detail", args=[x.pk]) in body


def test_cadence_gaps_count_only_the_agencys_channels_each_by_its_target(
    world: World, alice_client: Client
) -> None:
    x = Channel.objects.create(agency=world.agency_a, platform="x", handle="@dinkes_x", mode="api")
    version = strategy_services.strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(cadence={"instagram": 2, "tiktok": 3, "x": 3}),
        reason="Target per kanal",
    )
    assert version.status == version.Status.ACCEPTED  # the coordinator decides directly
    # One X post this week counts for X; nothing on Instagram.
    post = Post.objects.create(agency=world.agency_a, message="Info")
    PostVariant.objects.create(
        post=post,
        channel=x,
        caption="Info",
        status=S.SCHEDULED,
        scheduled_at=NOW + timedelta(days=1),
    )
    body = alice_client.get("/").content.decode()
    section = body.split('data-section="cadence"')[1].split("</article>")[0]
    assert "Instagram @dinkes.uji" in section and "0 dari target 2" in section
    assert "X @dinkes_x" in section and "1 dari target 3" in section
    assert "TikTok" not in section  # Dinkes has no TikTok account
    calendar = alice_client.get(reverse("content:calendar") + "?view=week&date=2026-12-16").text
    assert "TikTok" not in calendar.split("<main")[1]
    assert "kurang: Instagram @dinkes.uji 2, X @dinkes_x 2" in calendar


def test_the_head_sees_what_awaits_him_first(world: World, hana_client: Client) -> None:
    request = info_request(world.agency_a, 9, due=NOW - timedelta(days=1))
    Objection.objects.create(
        request=request,
        filed_at=NOW - timedelta(days=1),
        reason=Objection.Reason.NOT_ANSWERED,
        due_at=NOW + timedelta(days=20),
    )
    body = hana_client.get("/").content.decode()
    assert "Menunggu Anda" in body
    sections = [part.split('"')[0] for part in body.split('data-section="')[1:]]
    assert sections[0] == "objections"
    assert "requests" in sections


def test_the_coordinator_sees_the_regions_attention_list_first(
    world: World, cora_client: Client
) -> None:
    held_variant(world, world.agency_b, "Kendaraan KT 4321 ZZ ditarik ke kantor.")
    inbox_item(world.channel_a, 1, due=NOW - timedelta(hours=3))
    body = cora_client.get("/").content.decode()
    assert "Perlu perhatian di wilayah Anda" in body
    assert body.index('data-testid="todo"') < body.index('id="agencies-heading"')
    sections = [part.split('"')[0] for part in body.split('data-section="')[1:]]
    assert sections[:2] == ["held", "replies"]


def test_consultation_input_waiting_is_listed(world: World, alice_client: Client) -> None:
    consultation = Consultation.objects.create(
        agency=world.agency_a,
        title="Taman kota baru",
        question="Apa yang Anda perlukan?",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=4),
    )
    for n in range(3):
        ConsultationInput.objects.create(
            consultation=consultation,
            source=ConsultationInput.Source.FORM,
            text=f"Usul {n}",
            text_key=f"k{n}",
            received_at=NOW - timedelta(days=1),
        )
    body = alice_client.get("/").content.decode()
    assert "Taman kota baru" in body and "3 masukan belum dikelompokkan" in body
    assert reverse("engagement:consultation_detail", args=[consultation.pk]) in body


def test_nothing_to_do_says_so(world: World, alice_client: Client) -> None:
    # Dinkes' one channel is on its (default) target this week: nothing is missing.
    for day in range(3):
        PostVariant.objects.create(
            post=Post.objects.create(agency=world.agency_a, message=f"Info {day}"),
            channel=world.channel_a,
            caption=f"Info {day}",
            status=S.SCHEDULED,
            scheduled_at=NOW + timedelta(days=day + 1),
        )
    body = alice_client.get("/").content.decode()
    assert 'data-testid="todo-empty"' in body


def test_a_channel_without_a_strategy_target_is_held_to_the_default(
    world: World, alice_client: Client
) -> None:
    # As on the dashboard: no strategy yet is no reason to go quiet.
    body = alice_client.get("/").content.decode()
    section = body.split('data-section="cadence"')[1].split("</article>")[0]
    assert "Instagram @dinkes.uji" in section and "0 dari target 3" in section


def _fill(world: World, agencies: list[Agency], per_agency: int) -> None:
    for a_index, agency in enumerate(agencies):
        channel = Channel.objects.create(
            agency=agency, platform="facebook", handle=f"fb{a_index}", mode="api"
        )
        Channel.objects.create(
            agency=agency,
            platform="x",
            handle=f"x{a_index}",
            status=Channel.Status.NEEDS_RECONNECT,
        )
        for n in range(per_agency):
            inbox_item(channel, n, due=NOW - timedelta(hours=1))
            info_request(agency, n + 1, due=NOW + timedelta(days=n))
            post = Post.objects.create(agency=agency, message=f"Post {n}")
            PostVariant.objects.create(
                post=post,
                channel=channel,
                caption=f"Post {n}",
                status=S.AWAITING_APPROVAL,
                findings=[
                    {
                        "check": "personal_data",
                        "code": "plate",
                        "severity": "approval",
                        "message": "Nomor polisi kendaraan terlihat",
                        "start": 0,
                        "end": 4,
                    }
                ],
                approval_requested_at=NOW - timedelta(hours=n),
            )
            PostVariant.objects.create(
                post=Post.objects.create(agency=agency, message=f"Gagal {n}"),
                channel=channel,
                caption="x",
                status=S.FAILED,
                last_error="Galat",
            )


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", [Officer.Role.COORDINATOR, Officer.Role.OFFICER])
def test_the_home_reads_a_fixed_number_of_queries_for_2_or_many_agencies(
    world: World, role: str, django_assert_num_queries: object
) -> None:
    few = [world.agency_a, world.agency_b]
    _fill(world, few, 1)
    person = make_person(f"p-{role}", world.region, role, few)
    small = _queries(client_for(person))

    def more_agencies(start: int) -> None:
        agencies = [
            Agency.objects.create(region=world.region, name=f"Dinas {n}", short_name=f"D{n}")
            for n in range(start, start + 6)
        ]
        _fill(world, agencies, 12)
        Officer.objects.get(user=person).agencies.add(*agencies)

    more_agencies(0)
    full = _queries(client_for(person))  # every section past LIMIT: each counts its rest
    more_agencies(6)
    client = client_for(person)
    with django_assert_num_queries(full):  # type: ignore[operator]
        body = client.get("/").content.decode()
    assert "Lihat semua" in body  # the many items are behind the sections' links
    assert small <= full  # a short section is all there is: no COUNT for it


def test_a_section_counts_its_rows_only_when_it_is_full(
    world: World, django_assert_num_queries: object
) -> None:
    for n in range(LIMIT + 2):
        Agency.objects.create(region=world.region, name=f"Dinas {n}", short_name=f"D{n}")
    agencies = Agency.objects.filter(region=world.region).order_by("pk")
    rows = agencies.count()
    assert rows > LIMIT
    short = [Todo(text=a.name, url="/") for a in agencies[:3]]
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert total_of(agencies, short) == 3
    full = [Todo(text=a.name, url="/") for a in agencies[:LIMIT]]
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert total_of(agencies, full) == rows


def test_a_reply_late_since_before_midnight_reads_in_hours(world: World) -> None:
    with time_machine.travel(datetime(2026, 12, 16, 17, 30, tzinfo=UTC), tick=False):  # 01.30 WITA
        inbox_item(world.channel_a, 1, due=datetime(2026, 12, 16, 15, 0, tzinfo=UTC))  # 23.00
        body = client_for(world.alice).get("/").content.decode()
    assert "lewat batas 2 jam" in body and "lewat 1 hari" not in body
