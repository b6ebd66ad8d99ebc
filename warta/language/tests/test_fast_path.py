"""The engine's fast path (issue 20) answers exactly as the straightforward one.

Comments go through the three comment models with one look-up per word and bigram
(`linear.ModelSet`); that must give the same analyses, scores included, as each model
scoring on its own.
"""

import random

import pytest

from warta.language import linear
from warta.language.backends import DefaultBackend
from warta.language.lexicon import SLANG

COMMENTS = [
    "Min, jalan di depan sekolah kapan diperbaiki? di Bontang Utara RT 12 345",
    "terima kasih pak wali, pelayanannya cepat dan ramah sekali 🙏🙏",
    "gk jelas bgt min, udh 3x lapor tp blm ada tindak lanjut 😡😡😡",
    "pelayanan lambat sekali, saya sangat kecewa!!!",
    "keren, trotoar baru langsung jadi parkiran wkwkwk",
    "tidak amburadul kok, bagus malah",
    "SLOT GACOR MAXWIN klik bit.ly/gacor88 wa 0812-3456-7890",
    "\U0001d403\U0001d400\U0001d405\U0001d413\U0001d400\U0001d411 \U0001d412\U0001d404\U0001d40a\U0001d400\U0001d411\U0001d400\U0001d40d\U0001d406 promo murah",
    "dasar goblok kau anjing",
    "pendatang dari suku itu emang pemalas semua, bikin kota kotor",
    "stop rasisme, orang papua tidak malas",
    "pemerintah kerjanya cuma foto2 doang, mundur aja pak",
    "@dinaspu tolong info syarat pendaftaran ya kak :)",
    "mohon informasi jadwal vaksin di puskesmas, email saya a.b@contoh.id",
    "SAYA SANGAT KECEWA DENGAN PELAYANAN INI",
    "ÉNORME ΣΑΣ ǅungla Ñandú",
    "ok ok ok ok ok mantap mantap mantap",
    "anak2nya main di taman kota \\xf0\\x9f\\x98\\x82\\n",
    "sebaiknya drainase dikelola lebih baik, banjir terus",
    "???",
    "!!!!",
    "😂😂😂😂😂",
    "",
    "   ",
    "\x00",
    "1234 5678",
    "a" * 3000,
]


def _varied_texts() -> list[str]:
    """The comments above, and random mixes of them with slang, emoji and noise."""
    rng = random.Random(20)
    pieces = [word for text in COMMENTS for word in text.split()]
    pieces += [
        *sorted(SLANG)[:400],
        "❤️",
        "👍🏽",
        ":(",
        "<3",
        "xD",
        "^_^",
        "\uff21\uff22\uff23",
        "?!",
    ]
    texts = list(COMMENTS)
    for _ in range(1500):
        words = [rng.choice(pieces) for _ in range(rng.randrange(1, 25))]
        text = " ".join(words) if rng.random() < 0.85 else "".join(words)
        texts.append(text.upper() if rng.random() < 0.2 else text)
    return texts


def _plain_backend() -> DefaultBackend:
    backend = DefaultBackend()
    backend.shared_rows = False
    return backend


def test_it_gives_the_same_analyses_with_shared_look_ups_as_each_model_alone() -> None:
    texts = _varied_texts()
    assert DefaultBackend().analyze(texts) == _plain_backend().analyze(texts)


def test_it_gives_the_same_analyses_when_the_shared_table_fills_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _varied_texts()[:400]
    expected = _plain_backend().analyze(texts)
    monkeypatch.setattr(linear, "TABLE_ROWS", 80)
    backend = DefaultBackend()
    assert backend.analyze(texts) == expected
    assert [backend.analyze([text])[0] for text in texts[:50]] == expected[:50]


def test_it_gives_the_same_analyses_without_the_optional_abuse_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(DefaultBackend, "abuse", None)
    texts = _varied_texts()[:300]
    assert DefaultBackend().analyze(texts) == _plain_backend().analyze(texts)
