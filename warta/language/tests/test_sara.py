"""SARA guardrail: group-targeted attacks caught, critics and groups merely named left alone."""

import pytest

from warta.language import api
from warta.language.backends import DefaultBackend


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("pendatang dari suku itu emang pemalas semua, bikin kota kotor", "race"),
        ("dasar orang ambon, kerjanya mabuk sama berantem", "race"),
        ("ahmadiyah sesat, usir dari kota ini", "religion"),
        ("jangan kasih kerja ke orang papua, ga bisa dipercaya", "race"),
        ("orang kristen jangan dikasih jabatan di pemda", "religion"),
    ],
)
def test_it_flags_a_group_targeted_attack_as_sara(text: str, category: str) -> None:
    result = api.analyze_one(text)
    assert result.hate_speech
    assert (result.hate_target, result.hate_category) == ("group", category)
    assert result.hate_score >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "pemerintah kerjanya cuma foto2 doang",
        "kalo ga becus mending mundur aja pak",
        "pak gubernur tolong jangan cuma pencitraan",
        "ini baliho pejabat lebih banyak dari tong sampah",
        "jalan rusak ga diperbaiki2, udah setahun lebih",
    ],
)
def test_it_does_not_brand_criticism_of_government_as_hate_speech(text: str) -> None:
    assert not api.analyze_one(text).hate_speech


@pytest.mark.parametrize(
    "text",
    [
        "selamat hari raya nyepi untuk umat hindu di bontang",
        "kata siapa orang papua malas? saudara saya rajin semua",
        "stop rasisme terhadap saudara kita dari papua",
        "orang batak yang saya kenal pekerja keras dan jujur",
        "naik onta di kebun binatang seru",
        "suku bunga pinjaman umkm dari pemkot berapa persen?",
    ],
)
def test_it_leaves_a_group_mentioned_without_an_attack_alone(text: str) -> None:
    assert not api.analyze_one(text).hate_speech


def test_it_still_catches_group_attacks_without_the_optional_abuse_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(DefaultBackend, "abuse", None)
    backend = DefaultBackend()
    attack, plain = backend.analyze(["dasar cina, pulang ke negaramu", "makasih min"])
    assert (attack.hate_speech, attack.hate_category) == (True, "race")
    assert not plain.hate_speech


@pytest.mark.parametrize(
    "text",
    [
        "wah hebat ya … keren bgt dinas PU 👏👏",
        "mantap pak, banjirnya makin tinggi tiap tahun 👍",
        "salut sama dishub, macetnya konsisten tiap hari",
    ],
)
def test_it_reads_sarcasm_toward_an_agency_as_negative(text: str) -> None:
    assert api.analyze_one(text).sentiment == "negative"


def test_it_still_reads_sincere_praise_of_an_agency_as_positive() -> None:
    assert api.analyze_one("makasih dinas pu, jalan depan rumah sudah mulus 👍").sentiment == (
        "positive"
    )
