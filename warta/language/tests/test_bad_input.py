import pytest

from warta.language import api


def test_it_gives_a_defined_result_for_empty_and_blank_text() -> None:
    for result in api.analyze(["", "   ", "\n\t"]):
        assert result.sentiment == "neutral"
        assert result.sentiment_score == 0.0
        assert result.intent == "other"
        assert not (result.abusive or result.hate_speech or result.is_spam)


def test_it_cuts_megabyte_long_texts_instead_of_choking() -> None:
    huge = "jalan rusak parah " * 60_000  # about a megabyte
    results = api.analyze([huge, "makasih min"])
    assert results[0].sentiment == "negative"
    assert results[1].sentiment == "positive"


def test_it_survives_binary_junk_mixed_scripts_and_emoji_floods() -> None:
    junk = bytes(range(256)).decode("latin-1") + "\x00\ufffd\U0010ffff"
    texts = [junk, "Ω≈ç√ 你好 مرحبا bagus", "😂" * 5000, "🙏🏽👍🏿❤️‍🔥" * 300, "\u202e\u200b"]
    results = api.analyze(texts)
    assert len(results) == len(texts)
    assert {r.sentiment for r in results} <= {"positive", "neutral", "negative"}


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["nested"]])
def test_it_rejects_non_text_items_with_a_clear_error(bad: object) -> None:
    with pytest.raises(TypeError, match=r"texts\[1\] must be str"):
        api.analyze(["ok", bad])  # type: ignore[list-item]


def test_it_rejects_a_single_string_where_a_sequence_is_expected() -> None:
    with pytest.raises(TypeError, match="sequence of str"):
        api.analyze("satu teks")
    with pytest.raises(TypeError, match="sequence of str"):
        api.classify_posts("satu caption")


def test_it_rejects_non_text_in_analyze_one_and_themes() -> None:
    with pytest.raises(TypeError):
        api.analyze_one(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        api.group_themes(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="max_themes"):
        api.group_themes(["ok"], max_themes=0)


def test_it_accepts_any_iterable_of_texts_once() -> None:
    results = api.analyze(t for t in ["makasih min", "jalan rusak parah"])  # type: ignore[arg-type]
    assert [r.sentiment for r in results] == ["positive", "negative"]
