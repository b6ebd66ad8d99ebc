"""The engine's fast path (issue 20) answers exactly as the straightforward one.

Comments go through the three comment models with one look-up per word and bigram
(`linear.ModelSet`), and the rules take shortcuts; each must give the same analyses,
scores included, as the plain way of computing them.
"""

import random

import pytest

from warta.language import extras, linear, normalize, rules
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


def test_it_splits_ascii_text_into_words_as_the_token_pattern_does() -> None:
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(128)]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(40))) for _ in range(3000)]
    texts += [f"a{c}b{c}{c}?" for c in alphabet]
    for text in texts:
        assert normalize._ascii_words(text) == normalize._TOKEN.findall(text), repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "SAYA SANGAT KECEWA",
        "Saya sangat kecewa dengan ini",
        "ÉNORME DÉCEPTION ÀÉÎ",
        "énorme déception àéî sekali",
        "ΣΑΣ ΚΑΛΗΜΕΡΑ ok",
        "ǅungla ǅ ǅ ǅ ǅ ǅ ǅ ǅ ǅ",
        "😡😡 MANTAP 😡😡 SEKALI",
        "\U0001d403\U0001d400\U0001d405\U0001d413\U0001d400\U0001d411 \U0001d412\U0001d404\U0001d40a\U0001d400\U0001d411\U0001d400\U0001d40d\U0001d406 JUGA",
        "12345678901234567890123",
    ],
)
def test_it_counts_capitals_in_every_script_as_str_methods_do(text: str) -> None:
    plain = sum(map(str.isupper, text)) > 0.6 * sum(map(str.isalpha, text))
    assert rules._shouted(text) is plain


def _plain_extras(name: str, meta: dict, tokens: list[str]) -> list[str]:
    """The extra features as `extras.py` first computed them: a loop over every list."""
    mark, n = extras.MARK, len(tokens)
    found = [f"{mark}len{0 if n < 3 else 1 if n < 6 else 2 if n < 15 else 3}"]
    token_set = set(tokens)
    if name == "polarity":
        negated = False
        for i, token in enumerate(tokens):
            if token in extras.NEGATORS:
                negated = True
                continue
            if negated and token in extras.INTENSIFIERS and i + 1 < len(tokens):
                continue
            if token in meta["positive_words"]:
                found.append(f"{mark}negpos" if negated else f"{mark}pos")
            elif token in meta["negative_words"]:
                found.append(f"{mark}negneg" if negated else f"{mark}neg")
            negated = False
        if f"{mark}pos" in found and f"{mark}neg" in found:
            found.append(f"{mark}posneg")
            if extras.IRONY_MARKERS.intersection(tokens):
                found.append(f"{mark}posneg_marked")
    elif name == "abuse":
        hits = sum(t in rules.ABUSIVE_WORDS for t in tokens)
        if hits:
            found.append(f"{mark}abusive{min(hits, 2)}")
        for group, words in rules.GROUP_WORDS.items():
            if token_set & words:
                found.append(f"{mark}group_{group}")
        if "user" in token_set:
            found.append(f"{mark}mention")
    else:
        if rules.is_question(tokens):
            found.append(f"{mark}question")
        for group, words in (
            ("complaint", rules.COMPLAINT_WORDS),
            ("request", rules.REQUEST_WORDS),
            ("suggestion", rules.SUGGESTION_WORDS),
            ("positive", rules.POSITIVE_WORDS),
            ("negative", rules.NEGATIVE_WORDS),
            ("spam", rules.SPAM_WORDS),
        ):
            if token_set & words:
                found.append(f"{mark}{group}")
    return found


@pytest.mark.parametrize("name", ["polarity", "abuse", "message"])
def test_it_finds_the_same_extra_features_as_a_loop_over_every_word_list(name: str) -> None:
    meta = {
        "positive_words": ["bagus", "mantap", "cepat", "ramah", "keren"],
        "negative_words": ["rusak", "kecewa", "lambat", "banjir", "kotor"],
    }
    found = extras.FACTORIES[name](meta)
    for text in _varied_texts():
        tokens = normalize.normalize_tokens(text)
        assert found(tokens) == _plain_extras(name, meta, tokens), text


def test_it_maps_emoji_run_by_run_as_over_the_whole_text() -> None:
    for text in _varied_texts():
        text = normalize.unicodedata.normalize("NFKC", text)
        whole = normalize._EMOJI_OTHER.sub(" ", text.translate(normalize._EMOJI_TABLE))
        assert normalize._NON_ASCII.sub(normalize._emoji_run, text) == whole


def test_it_looks_for_reduplication_wherever_the_pattern_would_find_one() -> None:
    texts = [*_varied_texts(), "anak2nya", "jalan2", "ÉTÉ2 ok", "²2", "2 22 x2", "k3 b2b rt 12"]
    for text in texts:
        text = text.lower()
        if normalize._REDUP.search(text):
            assert normalize._may_reduplicate(text), text


def test_it_calls_a_text_spam_exactly_when_its_spam_score_reaches_one_half() -> None:
    texts = [*_varied_texts(), "SLOT GACOR MAXWIN DEPO 10RB", "\U0001d403\U0001d400 slot", "klik"]
    for text in texts:
        tokens = normalize.normalize_tokens(text)
        assert rules.is_spam(tokens, text) is (rules.spam_score(tokens, text) >= 0.5), text
