import pytest

from warta.language.api import normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yg gk jelas bgt", "yang tidak jelas banget"),
        ("Sy tdk tau", "saya tidak tahu"),
        ("BAGUSSSS", "bagus"),
        ("maaaaf pak", "maaf bapak"),
        ("s4y4 b4ik", "saya baik"),
        ("anak2 sekolah", "anak anak sekolah"),
        ("makasih min 👍👍👍👍", "terima kasih admin emopos emopos"),
        ("kecewa :(", "kecewa emoneg"),
        ("wkwkwkwk", "haha"),
        ("cek https://bontang.go.id/info @budi_s", "cek url user"),
        ("hub 0812-3456-7890", "hub nomortelepon"),
        ("kapan??? !!!", "kapan ? ? ! !"),
    ],
)
def test_it_normalizes_informal_indonesian(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_it_keeps_numbers_and_codes_that_only_look_like_letter_digit_spellings() -> None:
    assert normalize("covid19 p3k g20 mp3") == "covid19 p3k g20 mp3"


def test_it_keeps_other_scripts_as_words() -> None:
    assert normalize("السلام عليكم pak") == "السلام عليكم bapak"


def test_it_rejects_non_text_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="must be str"):
        normalize(b"bytes")  # type: ignore[arg-type]


def test_it_reads_emoji_exported_as_escaped_bytes() -> None:
    # Tweet exports carry emoji as text ("\xf0\x9f\x98\x82"); a cut-off run is dropped.
    assert normalize(r"USER mantap\n\xf0\x9f\x98\x8d \xf0\x9f") == "user mantap emopos"
