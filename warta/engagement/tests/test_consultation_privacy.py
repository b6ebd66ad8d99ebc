"""Consultations: nothing public until a person has looked, and no neighbourhood blocked.

Input is screened on arrival (personal data, insults, SARA); the public sees a theme only
after an officer published it from a preview, masked; officers keep seeing everything.
"""

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from warta.content.models import Post, PostVariant
from warta.engagement import consultations as svc
from warta.engagement import screening
from warta.engagement.models import (
    Consultation,
    ConsultationInput,
    ConsultationTheme,
    PublicFormHit,
)
from warta.engagement.tests.test_consultations import fill_in, public_url, publish, stamp_of
from warta.engagement.theme_labels import theme_label
from warta.strategy.services import strategy_propose
from warta.strategy.tests.helpers import strategy_doc
from warta.testing.fixtures import World

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

# A citizen who writes who they are, where they live, their number, and an insult.
PERSONAL = (
    "Nama saya Budi Santoso, rumah saya di Jl. Merdeka No. 12 RT 03/RW 05, "
    "HP 0812-3456-7890. Dasar pejabat goblok, halte di depan rumah saya rusak parah!"
)
SECRETS = ["Budi Santoso", "Jl. Merdeka No. 12", "RT 03/RW 05", "0812-3456-7890", "goblok"]


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def consultation(world: World) -> Consultation:
    post = Post.objects.create(agency=world.agency_a, message="Beri masukan soal halte")
    variant = PostVariant.objects.create(
        post=post, channel=world.channel_a, platform_post_id="p1", status="published"
    )
    return svc.consultation_create(
        agency=world.agency_a,
        actor=world.alice,
        title="Halte bus 2027",
        question="Halte mana yang perlu dibenahi?",
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=10),
        variant_ids=[variant.pk],
    )


def htmx(client: Client, url: str, data: dict[str, str]) -> str:
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert "<html" not in body  # a fragment, swapped in place: no reload
    return body


def test_it_masks_personal_data_and_insults_for_the_public_but_shows_officers_everything(
    world: World, consultation: Consultation, frozen: time_machine.Traveller, alice_client: Client
) -> None:
    url = public_url(consultation)
    assert fill_in(Client(), url, PERSONAL, frozen).status_code == 302
    for text in ["Halte bus rusak di depan pasar", "Atap halte bocor kalau hujan"]:
        assert fill_in(Client(), url, text, frozen).status_code == 302
    stored = ConsultationInput.objects.get(text=PERSONAL)
    assert {f["code"] for f in stored.findings or []} >= {"name", "address", "phone", "abusive"}

    # Grouped, but nothing is public yet: no theme, no quote, no label.
    alice_client.post(f"/interaksi/konsultasi/{consultation.pk}/kelompokkan/")
    theme = ConsultationTheme.objects.get()
    assert "," not in theme.label and len(theme.label.split()) >= 2, theme.label
    public = Client().get(url).content.decode()
    assert theme.label not in public and "Halte bus rusak" not in public

    # Officers answer in place and preview exactly what the public would see.
    body = htmx(
        alice_client,
        f"/interaksi/tema/{theme.pk}/jawab/",
        {"answer": "accepted", "answer_reason": "Perbaikan dianggarkan 2027."},
    )
    assert "Jawaban disimpan." in body and f'id="tema-{theme.pk}"' in body
    assert "<details open>" in body  # the theme panel stays open
    for item in ConsultationInput.objects.all():
        svc.input_set_quote(item=item, quote=True, actor=world.alice)
    preview = alice_client.get(
        f"/interaksi/tema/{theme.pk}/pratinjau/", HTTP_HX_REQUEST="true"
    ).content.decode()
    for secret in SECRETS:
        assert secret not in preview, secret
    assert "[nama disamarkan]" in preview and "[nomor telepon disamarkan]" in preview
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview).group(1)  # type: ignore[union-attr]
    htmx(alice_client, f"/interaksi/tema/{theme.pk}/terbitkan/", {"digest": digest})

    public = Client().get(url).content.decode()
    assert theme.label in public and "Perbaikan dianggarkan 2027." in public
    assert "halte di depan rumah saya rusak parah" in public  # the point survives the mask
    for secret in SECRETS:
        assert secret not in public, secret
    officer = alice_client.get(f"/interaksi/konsultasi/{consultation.pk}/").content.decode()
    for secret in SECRETS:
        assert secret in officer, secret
    assert '<mark class="finding personal">Budi Santoso</mark>' in officer
    assert ConsultationInput.objects.get(text=PERSONAL)  # nothing a citizen wrote is lost


def test_it_refuses_to_publish_a_theme_label_holding_personal_data(
    world: World, consultation: Consultation, frozen: time_machine.Traveller, alice_client: Client
) -> None:
    svc.consultation_submit_public(consultation=consultation, text="Halte rusak", ip_address=None)
    svc.consultation_group(consultation=consultation, actor=world.alice)
    theme = ConsultationTheme.objects.get()
    htmx(
        alice_client,
        f"/interaksi/tema/{theme.pk}/nama/",
        {"label": "Halte depan rumah Budi, hubungi 081234567890"},
    )
    preview = alice_client.get(f"/interaksi/tema/{theme.pk}/pratinjau/").content.decode()
    assert "Nama tema memuat data pribadi (nomor telepon)" in preview
    assert 'name="digest"' not in preview
    view, _problems = svc.theme_public_view(theme := ConsultationTheme.objects.get())
    body = htmx(
        alice_client,
        f"/interaksi/tema/{theme.pk}/terbitkan/",
        {"digest": svc.public_view_digest(view)},
    )
    assert "Nama tema memuat data pribadi" in body
    theme.refresh_from_db()
    assert theme.published is None
    assert "081234567890" not in Client().get(public_url(consultation)).content.decode()


def test_what_is_published_is_what_was_previewed(
    world: World, consultation: Consultation, frozen: time_machine.Traveller
) -> None:
    svc.consultation_submit_public(consultation=consultation, text="Halte rusak", ip_address=None)
    svc.consultation_group(consultation=consultation, actor=world.alice)
    theme = ConsultationTheme.objects.get()
    view, _ = svc.theme_public_view(theme)
    stale = svc.public_view_digest(view)
    svc.theme_rename(theme=theme, label="Halte rusak di pasar", actor=world.alice)
    with pytest.raises(ValidationError):
        svc.theme_publish(theme=theme, actor=world.alice, digest=stale)
    publish(theme, world)
    svc.theme_rename(theme=theme, label="Halte baru di terminal", actor=world.alice)
    page = Client().get(public_url(consultation)).content.decode()
    # Later edits stay private until published again.
    assert "Halte rusak di pasar" in page and "Halte baru di terminal" not in page
    svc.theme_unpublish(theme=theme, actor=world.alice)
    assert "Halte rusak di pasar" not in Client().get(public_url(consultation)).content.decode()


def test_the_follow_up_draft_links_the_public_page_and_carries_the_required_hashtags(
    world: World, consultation: Consultation, frozen: time_machine.Traveller, alice_client: Client
) -> None:
    strategy_propose(
        actor=world.cora,
        region=world.region,
        agency=world.agency_a,
        data=strategy_doc(hashtags=["#DinkesUji", "KotaUjiSehat"]),
        reason="Tagar wajib untuk semua unggahan dinas.",
    )
    svc.consultation_submit_public(consultation=consultation, text="Halte rusak", ip_address=None)
    svc.consultation_group(consultation=consultation, actor=world.alice)
    theme = ConsultationTheme.objects.get()
    svc.theme_answer(theme=theme, answer="accepted", reason="", actor=world.alice)
    publish(theme, world)
    alice_client.post(f"/interaksi/konsultasi/{consultation.pk}/unggahan-tindak-lanjut/")
    consultation.refresh_from_db()
    post = consultation.follow_up_post
    assert post is not None
    assert "http://testserver" not in post.message
    assert svc.public_url(consultation) in post.message
    assert f"/interaksi/publik/{world.region.slug}/{consultation.pk}/" in post.message
    assert "#DinkesUji #KotaUjiSehat" in post.message
    page = alice_client.get(f"/interaksi/konsultasi/{consultation.pk}/").content.decode()
    assert f'href="/konten/unggahan/{post.pk}/"' in page


def test_five_hundred_browsers_behind_one_address_are_all_accepted(
    consultation: Consultation, frozen: time_machine.Traveller
) -> None:
    url = public_url(consultation)
    # One test client, its cookies cleared before each "browser": to the server a browser
    # is its cookie jar (a new Client per browser would only rebuild the middleware).
    client = Client()
    started = time.perf_counter()
    statuses = []
    for i in range(500):
        client.cookies.clear()
        statuses.append(
            fill_in(
                client, url, f"Halte nomor {i} perlu atap", frozen, addr="36.80.1.1"
            ).status_code
        )
    elapsed = time.perf_counter() - started
    assert statuses == [302] * 500
    assert ConsultationInput.objects.count() == 500
    assert PublicFormHit.objects.values("browser").distinct().count() == 500
    print(f"500 browsers behind one address: {elapsed:.1f} s")


@override_settings(WARTA_PUBLIC_FORM_MAX_PER_ADDRESS=5)
def test_an_address_limit_answers_in_indonesian_and_keeps_earlier_input(
    consultation: Consultation, frozen: time_machine.Traveller
) -> None:
    url = public_url(consultation)
    for i in range(5):
        assert fill_in(Client(), url, f"Masukan {i}", frozen).status_code == 302
    refused = fill_in(Client(), url, "Satu lagi", frozen)
    assert refused.status_code == 429
    assert "sangat banyak kiriman dari jaringan Anda" in refused.content.decode()
    assert "Satu lagi" in refused.content.decode()  # the text is kept in the form
    assert ConsultationInput.objects.count() == 5


def test_it_refuses_scripts_too_fast_stale_forms_and_repeats_with_a_clear_message(
    consultation: Consultation, frozen: time_machine.Traveller
) -> None:
    url = public_url(consultation)
    client = Client()
    fast = fill_in(client, url, "Cepat sekali", frozen, seconds=1)
    assert fast.status_code == 400 and "terlalu cepat" in fast.content.decode()
    forged = client.post(url, {"text": "Palsu", "started": "x"})
    assert forged.status_code == 400 and "kedaluwarsa" in forged.content.decode()
    page = client.get(url)
    frozen.shift(timedelta(days=2))
    stale = client.post(url, {"text": "Lama", "started": stamp_of(page)})
    assert stale.status_code == 400 and "lebih dari sehari" in stale.content.decode()
    assert not ConsultationInput.objects.exists()

    assert fill_in(client, url, "Halte bocor", frozen).status_code == 302
    again = fill_in(client, url, "halte  BOCOR", frozen)
    assert again.status_code == 409 and "sudah Anda kirim" in again.content.decode()
    # A neighbour saying the same is counted as one more voice, not refused.
    assert fill_in(Client(), url, "Halte bocor", frozen).status_code == 302
    first = ConsultationInput.objects.get(duplicate_of__isnull=True)
    assert first.weight == 2


@override_settings(WARTA_PUBLIC_FORM_MAX_COOKIELESS=2)
def test_a_browser_without_cookies_gets_a_smaller_share_and_is_told_why(
    consultation: Consultation, frozen: time_machine.Traveller
) -> None:
    url = public_url(consultation)
    page = Client().get(url)
    frozen.shift(timedelta(seconds=30))
    statuses = []
    for i in range(3):
        response = Client().post(url, {"text": f"Tanpa cookie {i}", "started": stamp_of(page)})
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert "Aktifkan cookie" in response.content.decode()


def test_screening_finds_and_masks_each_kind_of_personal_data() -> None:
    text = (
        "NIK 6474010101900001, KK 6474010101900002, surel budi.s@gmail.com, "
        "a.n. Siti Aminah, plat KT 1234 AB. Orang cina semua maling, usir saja."
    )
    spans = screening.screen(text, region_id=1, agency_id=1, official_contacts=[])
    codes = {s["code"] for s in spans}
    assert {"nik", "kk", "email", "name", "plate", "hate_speech"} <= codes, codes
    public = screening.masked(text, spans)
    for secret in ["6474010101900001", "6474010101900002", "budi.s@gmail.com", "Siti Aminah"]:
        assert secret not in public
    assert "cina" not in public  # SARA is masked whole, not word by word
    # Roles and places after "Pak"/"saya" are not names.
    calm = "Saya warga Bontang Kuala. Pak Lurah, mohon halte diperbaiki."
    assert not screening.screen(calm, region_id=1, agency_id=1, official_contacts=[])
    # The agency's own published number is not personal data.
    office = "Hubungi 0812-9999-0000 untuk layanan."
    assert not screening.screen(
        office, region_id=1, agency_id=1, official_contacts=["081299990000"]
    )


def test_theme_labels_are_phrases_people_wrote_never_touching_flagged_text() -> None:
    texts = [
        "Halte bus rusak di Bontang Kuala, mohon diperbaiki",
        "halte di depan rumah Pak Budi Santoso rusak",
    ]
    spans = [screening.screen(t, region_id=1, agency_id=1, official_contacts=[]) for t in texts]
    assert [s["code"] for s in spans[1]] == ["name"]
    label = theme_label(["halte", "rusak", "bontang", "kuala"], texts, spans)
    assert label == "Halte bus rusak di Bontang Kuala"
    assert "Budi" not in theme_label(["budi", "santoso"], texts[1:], spans[1:])
    assert theme_label(["lampu", "jalan"], [], []) == "Masukan tentang lampu dan jalan"
    assert theme_label([], ["!!!"], [[]]) == "Masukan lainnya"
