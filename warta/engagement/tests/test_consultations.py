"""Consultations: input from posts and the public form, themes, answers, follow-up, public pages."""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import Client, override_settings

from warta.content.models import Post, PostVariant
from warta.engagement import consultations as svc
from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    FollowUpAction,
)
from warta.engagement.tests.fakes import comment
from warta.lib import clock
from warta.testing.fixtures import World

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def consultation(world: World) -> Consultation:
    post = Post.objects.create(agency=world.agency_a, message="Beri masukan soal taman kota")
    variant = PostVariant.objects.create(
        post=post, channel=world.channel_a, platform_post_id="p1", status="published"
    )
    return svc.consultation_create(
        agency=world.agency_a,
        actor=world.alice,
        title="Taman kota 2027",
        question="Apa yang perlu dibenahi di taman kota?",
        background="Anggaran terbatas.",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=10),
        variant_ids=[variant.pk],
    )


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def public_url(c: Consultation) -> str:
    return f"/interaksi/publik/{c.agency.region.slug}/{c.pk}/"


STAMP = re.compile(r'name="started" value="([^"]+)"')


def stamp_of(page: Any) -> str:
    found = STAMP.search(page.content.decode())
    assert found, "the public form carries its time stamp"
    return found.group(1)


def fill_in(
    client: Client,
    url: str,
    text: str,
    frozen: time_machine.Traveller,
    *,
    addr: str = "10.0.0.7",
    seconds: float = 20,
) -> HttpResponse:
    """A person opening the public form, writing for `seconds`, and sending it."""
    page = client.get(url, REMOTE_ADDR=addr)
    frozen.shift(timedelta(seconds=seconds))
    return client.post(  # type: ignore[return-value]
        url, {"text": text, "website": "", "started": stamp_of(page)}, REMOTE_ADDR=addr
    )


def publish(theme: ConsultationTheme, world: World) -> ConsultationTheme:
    """What an officer does after the preview: publish exactly what it showed."""
    view, problems = svc.theme_public_view(theme)
    assert not problems, problems
    return svc.theme_publish(theme=theme, actor=world.alice, digest=svc.public_view_digest(view))


def test_it_refuses_a_consultation_that_closes_before_it_opens(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        svc.consultation_create(
            agency=world.agency_a,
            actor=world.alice,
            title="x",
            question="y",
            opens_at=NOW,
            closes_at=NOW - timedelta(days=1),
        )
    assert "closes_at" in error.value.message_dict
    other_post = Post.objects.create(agency=world.agency_b, message="B")
    other = PostVariant.objects.create(post=other_post, channel=world.channel_b)
    with pytest.raises(ValidationError):
        svc.consultation_create(
            agency=world.agency_a,
            actor=world.alice,
            title="x",
            question="y",
            opens_at=NOW,
            closes_at=NOW + timedelta(days=1),
            variant_ids=[other.pk],
        )
    assert not Consultation.objects.exists()


def test_it_collects_comments_on_the_announcing_posts_once(
    world: World, consultation: Consultation, frozen: object
) -> None:
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment("c1", "Lampu taman sering mati", post="p1", base=NOW - timedelta(days=1)),
            comment("c2", "lampu taman sering mati", post="p1", base=NOW - timedelta(hours=5)),
            comment("c3", "Promo murah klik link", post="p1", base=NOW - timedelta(hours=4)),
            comment("c4", "Di luar masa", post="p1", base=NOW - timedelta(days=9)),
            comment("c5", "Komentar di unggahan lain", post="p9", base=NOW - timedelta(hours=1)),
        ],
    )
    assert svc.consultation_collect_comments(consultation=consultation) == 2
    assert svc.consultation_collect_comments(consultation=consultation) == 0
    first = ConsultationInput.objects.get(duplicate_of__isnull=True)
    assert first.duplicates == 1 and first.weight == 2  # the same idea, counted twice
    assert ConsultationInput.objects.count() == 2  # nothing lost


def test_it_groups_input_and_lets_officers_rework_the_themes(
    world: World, consultation: Consultation, frozen: object
) -> None:
    for text in [
        "Jalan ke taman berlubang",
        "Sampah menumpuk di taman",
        "Jalan setapak licin",
        "Tong sampah kurang",
        "Tambah bangku",
    ]:
        svc.consultation_submit_public(consultation=consultation, text=text, ip_address=None)
    assert svc.consultation_group(consultation=consultation, actor=world.alice) == 3
    themes = {t.keywords[0]: t for t in consultation.themes.all()}
    # Labels are phrases taken from what people wrote, not the keyword alone.
    for key, texts in [
        ("jalan", ["Jalan ke taman berlubang", "Jalan setapak licin"]),
        ("sampah", ["Sampah menumpuk di taman", "Tong sampah kurang"]),
    ]:
        label = themes[key].label
        assert len(label.split()) >= 2 and any(t.startswith(label) for t in texts), label
    assert themes["lainnya"].label == "Masukan lainnya"
    assert themes["jalan"].inputs.count() == 2

    svc.theme_rename(theme=themes["lainnya"], label="Fasilitas", actor=world.alice)
    sampah = themes["sampah"].label
    merged = svc.theme_merge(source=themes["sampah"], target=themes["jalan"], actor=world.alice)
    assert merged.inputs.count() == 4 and not ConsultationTheme.objects.filter(label=sampah)
    tong = merged.inputs.get(text="Tong sampah kurang")
    split = svc.theme_split(
        theme=merged, input_ids=[tong.pk], label="Kebersihan", actor=world.alice
    )
    assert list(split.inputs.values_list("text", flat=True)) == ["Tong sampah kurang"]
    with pytest.raises(ValidationError):
        svc.theme_split(theme=split, input_ids=[tong.pk], label="Semua", actor=world.alice)
    with pytest.raises(ValidationError):
        svc.theme_merge(source=split, target=split, actor=world.alice)


def test_it_records_answers_actions_and_dated_progress(
    world: World, consultation: Consultation, frozen: object
) -> None:
    svc.consultation_submit_public(consultation=consultation, text="Lampu mati", ip_address=None)
    svc.consultation_group(consultation=consultation, actor=world.alice)
    theme = consultation.themes.get()
    with pytest.raises(ValidationError):
        svc.theme_answer(theme=theme, answer="not_taken", reason="", actor=world.alice)
    svc.theme_answer(theme=theme, answer="accepted", reason="", actor=world.alice)
    action = svc.action_create(
        theme=theme, title="Ganti 40 lampu LED", due_date=date(2027, 2, 1), actor=world.alice
    )
    with pytest.raises(ValidationError):  # nothing published yet: nothing to tell
        svc.consultation_follow_up_post(consultation=consultation, actor=world.alice)
    with pytest.raises(ValidationError):
        svc.action_add_update(
            action=action, day=date(2026, 11, 23), progress=150, note="x", actor=world.alice
        )
    with pytest.raises(ValidationError):
        svc.action_add_update(
            action=action, day=date(2027, 1, 1), progress=10, note="x", actor=world.alice
        )
    svc.action_add_update(
        action=action,
        day=date(2026, 11, 20),
        progress=25,
        note="Pengadaan dimulai",
        actor=world.alice,
    )
    action.refresh_from_db()
    assert action.progress == 25
    publish(theme, world)

    post = svc.consultation_follow_up_post(consultation=consultation, actor=world.alice)
    assert "Ganti 40 lampu LED (25%)" in post.message
    assert list(post.variants.values_list("status", "channel")) == [("draft", world.channel_a.pk)]
    consultation.refresh_from_db()
    assert consultation.follow_up_post == post


@override_settings(WARTA_PUBLIC_FORM_MAX_PER_BROWSER=3)
def test_it_throttles_a_flood_from_one_browser_without_losing_earlier_input(
    consultation: Consultation, frozen: time_machine.Traveller
) -> None:
    client = Client(enforce_csrf_checks=False)
    url = public_url(consultation)
    statuses = [fill_in(client, url, f"Masukan nomor {i}", frozen).status_code for i in range(6)]
    assert statuses[:3] == [302, 302, 302] and set(statuses[3:]) == {429}
    assert sorted(ConsultationInput.objects.values_list("text", flat=True)) == [
        "Masukan nomor 0",
        "Masukan nomor 1",
        "Masukan nomor 2",
    ]
    # Another browser on the same address is not held back by the flood.
    assert fill_in(Client(), url, "Dari warga lain", frozen).status_code == 302


def test_it_enforces_csrf_on_the_public_form(consultation: Consultation, frozen: object) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(public_url(consultation), {"text": "Tanpa token"}).status_code == 403
    page = client.get(public_url(consultation))
    token = page.cookies["csrftoken"].value
    frozen.shift(5)  # type: ignore[attr-defined]
    response = client.post(
        public_url(consultation),
        {"text": "Dengan token", "csrfmiddlewaretoken": token, "started": stamp_of(page)},
    )
    assert response.status_code == 302
    assert ConsultationInput.objects.get().text == "Dengan token"


def test_it_quietly_drops_what_a_bot_puts_in_the_honeypot(
    consultation: Consultation, frozen: object
) -> None:
    response = Client().post(public_url(consultation), {"text": "Beli obat", "website": "x.biz"})
    assert response.status_code == 302 and not ConsultationInput.objects.exists()


def test_it_refuses_empty_oversize_and_late_input(
    consultation: Consultation, frozen: object
) -> None:
    client = Client()
    url = public_url(consultation)
    assert fill_in(client, url, "", frozen).status_code == 400  # type: ignore[arg-type]
    assert fill_in(client, url, "x" * 2001, frozen).status_code == 400  # type: ignore[arg-type]
    consultation.closes_at = clock.now() + timedelta(seconds=2)
    consultation.save()
    response = fill_in(client, url, "Terlambat", frozen)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert not ConsultationInput.objects.exists()


HOSTILE = "<script>alert(1)</script>{{ 7|add:7 }}{% now 'Y' %}\u202egnp.exe\u200b https://x.test"


def test_it_keeps_hostile_input_as_given_and_shows_it_inertly(
    world: World, consultation: Consultation, frozen: object, alice_client: Client
) -> None:
    fill_in(Client(), public_url(consultation), HOSTILE, frozen)  # type: ignore[arg-type]
    stored = ConsultationInput.objects.get()
    assert stored.text == HOSTILE
    svc.consultation_group(consultation=consultation, actor=world.alice)
    publish(consultation.themes.get(), world)
    for body in [
        Client().get(public_url(consultation)).content.decode(),
        alice_client.get(f"/interaksi/konsultasi/{consultation.pk}/").content.decode(),
    ]:
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7|add:7 }}" in body
        assert 'href="https://x.test' not in body


def test_it_shows_the_public_what_came_of_their_input(
    world: World, consultation: Consultation, frozen: object
) -> None:
    svc.consultation_submit_public(
        consultation=consultation, text="Lampu taman mati", ip_address=None
    )
    svc.consultation_group(consultation=consultation, actor=world.alice)
    theme = consultation.themes.get()
    svc.theme_answer(theme=theme, answer="accepted", reason="", actor=world.alice)
    FollowUpAction.objects.create(theme=theme, title="Ganti lampu", progress=60)
    assert "Ganti lampu" not in Client().get(public_url(consultation)).content.decode()
    publish(theme, world)
    future = svc.consultation_create(
        agency=world.agency_b,
        actor=world.bob,
        title="Belum dibuka",
        question="?",
        opens_at=NOW + timedelta(days=5),
        closes_at=NOW + timedelta(days=9),
    )
    region = Client().get(f"/interaksi/publik/{world.region.slug}/").content.decode()
    assert "Taman kota 2027" in region and "Belum dibuka" not in region
    page = Client().get(public_url(consultation)).content.decode()
    assert (
        "Lampu taman mati" in page
        and "Diterima" in page
        and "Ganti lampu" in page
        and "60%" in page
    )
    assert Client().get(public_url(future)).status_code == 404
    assert Client().get("/interaksi/publik/tidak-ada/").status_code == 404


def test_it_guards_consultation_pages_per_role(
    world: World,
    consultation: Consultation,
    frozen: object,
    alice_client: Client,
    bob_client: Client,
    cora_client: Client,
    hana_client: Client,
) -> None:
    svc.consultation_submit_public(consultation=consultation, text="Lampu", ip_address=None)
    svc.consultation_group(consultation=consultation, actor=world.alice)
    theme = consultation.themes.get()
    action = svc.action_create(theme=theme, title="Ganti", due_date=None, actor=world.alice)
    detail = f"/interaksi/konsultasi/{consultation.pk}/"
    assert alice_client.get(detail).status_code == 200
    assert cora_client.get(detail).status_code == 200
    assert hana_client.get(detail).status_code == 200
    assert bob_client.get(detail).status_code == 404
    assert "Taman kota" not in bob_client.get("/interaksi/konsultasi/").content.decode()
    posts = [
        detail + "ubah/",
        detail + "tutup/",
        detail + "kumpulkan/",
        detail + "kelompokkan/",
        detail + "unggahan-tindak-lanjut/",
        f"/interaksi/tema/{theme.pk}/nama/",
        f"/interaksi/tema/{theme.pk}/gabung/",
        f"/interaksi/tema/{theme.pk}/pisah/",
        f"/interaksi/tema/{theme.pk}/jawab/",
        f"/interaksi/tema/{theme.pk}/tindak-lanjut/",
        f"/interaksi/tindak-lanjut/{action.pk}/kabar/",
        f"/interaksi/tema/{theme.pk}/terbitkan/",
        f"/interaksi/tema/{theme.pk}/tarik/",
    ]
    for url in posts:
        assert bob_client.post(url, {"label": "x", "title": "x"}).status_code == 404, url
        assert hana_client.post(url, {"label": "x", "title": "x"}).status_code == 403, url
    assert hana_client.get("/interaksi/konsultasi/baru/").status_code == 403
    assert bob_client.get(f"/interaksi/tema/{theme.pk}/pratinjau/").status_code == 404
    assert hana_client.get(f"/interaksi/tema/{theme.pk}/pratinjau/").status_code == 403
    assert theme.published is None
    theme.refresh_from_db()
    assert theme.label == "Masukan tentang lampu" and FollowUpAction.objects.count() == 1
    response = alice_client.post(f"/interaksi/tema/{theme.pk}/nama/", {"label": "Penerangan"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.label == "Penerangan"


def test_it_creates_a_consultation_from_the_form(world: World, alice_client: Client) -> None:
    response = alice_client.post(
        "/interaksi/konsultasi/baru/",
        {
            "agency": world.agency_a.pk,
            "title": "Trotoar",
            "question": "Di mana trotoar rusak?",
            "opens_at": "2026-11-23T08:00",
            "closes_at": "2026-12-07T16:00",
            "has_public_form": "on",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.opens_at == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # WITA input
    response = alice_client.post(
        "/interaksi/konsultasi/baru/",
        {
            "agency": world.agency_b.pk,
            "title": "Curang",
            "question": "?",
            "opens_at": "2026-11-23T08:00",
            "closes_at": "2026-12-07T16:00",
        },
    )
    assert response.status_code == 200 and Consultation.objects.count() == 1


def test_it_lets_officers_choose_the_public_quotes(
    world: World,
    consultation: Consultation,
    frozen: object,
    alice_client: Client,
    bob_client: Client,
    hana_client: Client,
) -> None:
    svc.consultation_submit_public(
        consultation=consultation, text="Lampu mati, hubungi 0812", ip_address=None
    )
    svc.consultation_group(consultation=consultation, actor=world.alice)
    quoted = ConsultationInput.objects.get()
    assert quoted.is_representative
    url = f"/interaksi/masukan/{quoted.pk}/kutipan/"
    assert bob_client.post(url, {"quote": "0"}).status_code == 404
    assert hana_client.post(url, {"quote": "0"}).status_code == 403
    alice_client.post(url, {"quote": "0"})
    publish(consultation.themes.get(), world)
    assert "hubungi" not in Client().get(public_url(consultation)).content.decode()
