import dataclasses

import pytest

from warta.language import api
from warta.language.api import INTENTS, TextAnalysis


def test_it_returns_one_frozen_analysis_per_text_in_order() -> None:
    results = api.analyze(["makasih min", "jalan rusak parah", ""])
    assert len(results) == 3
    assert all(isinstance(r, TextAnalysis) for r in results)
    with pytest.raises(dataclasses.FrozenInstanceError):
        results[0].sentiment = "negative"  # type: ignore[misc]
    assert api.analyze([]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Terima kasih pak wali, pelayanannya cepat dan ramah sekali",
        "mantap min, sangat bermanfaat 👍",
        "makanannya enak banget dan harganya murah",
    ],
)
def test_it_reads_obvious_praise_as_positive(text: str) -> None:
    result = api.analyze_one(text)
    assert result.sentiment == "positive"
    assert result.sentiment_score > 0
    assert not result.abusive


@pytest.mark.parametrize(
    "text",
    [
        "pelayanan lambat sekali, saya sangat kecewa",
        "jalan rusak parah gk diperbaiki2, percuma lapor",
        "makanannya tidak enak dan mahal",
    ],
)
def test_it_reads_obvious_complaints_as_negative(text: str) -> None:
    result = api.analyze_one(text)
    assert result.sentiment == "negative"
    assert result.sentiment_score < 0


@pytest.mark.parametrize("text", ["dasar goblok kau anjing", "bangsat lu tolol"])
def test_it_flags_abusive_language(text: str) -> None:
    assert api.analyze_one(text).abusive


def test_it_flags_hate_speech_against_a_group_with_its_category() -> None:
    result = api.analyze_one("dasar kafir, semua umat agama itu harus diusir dari negeri ini")
    assert result.hate_speech
    assert result.hate_target == "group"
    assert result.hate_category == "religion"


def test_it_leaves_target_and_category_empty_without_hate_speech() -> None:
    result = api.analyze_one("terima kasih atas infonya")
    assert not result.hate_speech
    assert (result.hate_target, result.hate_category) == ("", "")


def test_it_does_not_flag_ordinary_comments_as_abusive() -> None:
    texts = [
        "pelayanan bagus bgt, makasih min!!!",
        "sampah numpuk bau bgt min",
        "kapan pendaftaran beasiswa dibuka?",
    ]
    assert not any(r.abusive or r.hate_speech for r in api.analyze(texts))


def test_it_detects_questions_and_intents() -> None:
    question, request, complaint, praise = api.analyze(
        [
            "acaranya sampai jam berapa?",
            "syarat bikin ktp apa aja min?",
            "lampu jalan mati sudah seminggu, tolong diperbaiki",
            "terima kasih petugas damkar, sigap sekali",
        ]
    )
    assert question.is_question and question.intent == "question"
    assert request.is_question and request.intent == "information_request"
    assert complaint.intent == "complaint"
    assert praise.intent == "praise"
    assert {question.intent, request.intent} <= set(INTENTS)


def test_it_flags_gambling_spam() -> None:
    assert api.analyze_one("SLOT GACOR hari ini maxwin, klik link di bio").is_spam
    assert not api.analyze_one("jalan di depan sekolah berlubang").is_spam


def test_it_classifies_government_captions() -> None:
    captions = [
        "Wali Kota meninjau pembangunan drainase di Jalan Ahmad Yani bersama kepala dinas.",
        "PENGUMUMAN: pemadaman listrik di Bontang Selatan besok pukul 09.00-15.00 WITA.",
        "Ayo cegah demam berdarah dengan 3M Plus! Kenali gejalanya sejak dini.",
        "Sampaikan masukan Anda untuk rancangan perda pengelolaan sampah melalui survei ini.",
        "",
    ]
    assert api.classify_posts(captions) == [
        "activity",
        "announcement",
        "education",
        "participation",
        "other",
    ]


def test_it_gives_the_probabilities_behind_abuse_flags() -> None:
    rude, polite = api.analyze(["dasar goblok kau anjing", "terima kasih infonya"])
    assert rude.abusive_score > 0.5 > polite.abusive_score
    assert 0.0 <= polite.hate_score <= 1.0


def test_it_flags_promotion_spam_but_not_service_information() -> None:
    spam, service = api.analyze(
        ["promo pulsa murah cek profil", "link pendaftaran beasiswa mana min? daftar dimana"]
    )
    assert spam.is_spam
    assert not service.is_spam


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mohon info syarat bikin surat keterangan usaha di kelurahan", "information_request"),
        ("min, kapan pasar murahnya dibuka?", "question"),
        ("sampah di gang kami sudah seminggu ga diangkut", "complaint"),
        ("usul min, taman kota dikasih lampu lebih banyak", "suggestion"),
        ("terima kasih petugas damkar, sigap sekali", "praise"),
        ("slot gacor malam ini maxwin, link di bio", "spam"),
    ],
)
def test_it_reads_the_intent_that_routes_the_message(text: str, intent: str) -> None:
    result = api.analyze_one(text)
    assert result.intent == intent
    assert result.is_spam == (intent == "spam")
