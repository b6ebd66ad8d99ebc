"""Normalization of informal Indonesian as written in comments.

Casing, repeated letters, letter-digit spellings, reduplication with "2", slang and
abbreviations (warta's own list in `lexicon.py`), emoji and emoticons mapped to
sentiment-bearing tokens, URLs, @mentions, e-mail addresses and phone numbers masked.
The result is a space-separated string of lowercase tokens; "?" and "!" are kept as
tokens because they carry intent.
"""

import operator
import re
import unicodedata

from warta.language.lexicon import (
    DOUBLE_LETTER_WORDS,
    EMOJI_LAUGH,
    EMOJI_NEGATIVE,
    EMOJI_POSITIVE,
    EMOJI_QUESTION,
    EMOTICONS,
    SLANG,
)

# Classification never needs more than this; longer texts are cut so that one
# megabyte-long comment cannot slow a batch.
MAX_CHARS = 2000
MAX_TOKEN_CHARS = 40

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|id|net|org|ly|me|io|co|xyz|info)"
    r"\b(?:/\S*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_MENTION = re.compile(r"@\w+|\[username\]", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:\+62|62|0)8\d{1,4}[\s.-]?\d{3,4}[\s.-]?\d{2,5}(?!\d)")
_REDUP = re.compile(r"\b([^\W\d_]{2,})2(nya|an|lah|kan|mu|ku)?\b")
_EMOJI_OTHER = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U000e0000-\U000e007f]+"
)
_TOKEN = re.compile(r"[^\W_]+|[?!]")
_EMOTICON = re.compile(
    r"(?:(?<=\s)|^)("
    + "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True))
    + r")(?=\s|$)"
)
_ESCAPED = re.compile(r"(?:\\x[0-9a-fA-F]{2})+|\\[nrt]")


def _unescape(match: re.Match[str]) -> str:
    escaped = match.group(0)
    if not escaped.startswith("\\x"):
        return " "
    # A run cut short (a truncated tweet) loses only its broken tail.
    return " " + bytes.fromhex(escaped.replace("\\x", "")).decode("utf-8", "ignore") + " "


_TLDS = ("com", "id", "net", "org", "ly", "me", "io", "co", "xyz", "info")
_DOT_TLDS = tuple(f".{tld}" for tld in _TLDS)
_EMOTICON_TRIGGERS = (":", ";", "=", "^", "<3", "_", "xd")
_REPEAT3 = re.compile(r"([^\W\d_])\1{2,}")
_LEET = re.compile(r"[a-z]+(?:[013457][a-z]+)*[013457]?")
_LEET_MAP = str.maketrans("013457", "oieast")
_LEET_KEEP = frozenset({"p3k", "k3", "mp3", "mp4", "h1n1", "b2b", "g7", "g20", "k3l", "p4gn"})
_LAUGH = re.compile(
    r"[wk]{4,}|(?:[wk]+(?:wk|kw)+[wk]*)|(?:h[aeiu]){2,}h?|(?:xi){2,}|a?(?:wok)+a?w?"
)

_EMOJI_TABLE: dict[int, str] = {}
for _chars, _token in (
    (EMOJI_POSITIVE, " emopos "),
    (EMOJI_NEGATIVE, " emoneg "),
    (EMOJI_LAUGH, " haha "),
    (EMOJI_QUESTION, " ? "),
):
    for _char in _chars:
        _EMOJI_TABLE[ord(_char)] = _token

_MASKS = {"user": "user", "username": "user", "url": "url", "email": "email"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# For ASCII, `_TOKEN` finds the runs of letters and digits, and each "?" and "!": every
# other character becomes a space here, and splitting does the rest (at a sixth of the cost).
_ASCII_SPACES = bytes(
    c if chr(c).isalnum() or chr(c) in "?!" else ord(" ") for c in range(128)
) + bytes(128)


def _ascii_words(text: str) -> list[str]:
    spaced = text.encode("ascii").translate(_ASCII_SPACES).decode("ascii")
    if "?" in spaced or "!" in spaced:
        spaced = spaced.replace("?", " ? ").replace("!", " ! ")
    return spaced.split()


def _emoji_run(match: re.Match[str]) -> str:
    # Emoji are mapped run by run of non-ASCII characters: str.translate over a whole
    # text raised and caught a KeyError for every character outside the table (most).
    return _EMOJI_OTHER.sub(" ", match.group(0).translate(_EMOJI_TABLE))


# Token normalization is pure and tokens repeat (Zipf), so results are cached.
_token_cache: dict[str, str] = {}
_TOKEN_CACHE_MAX = 200_000


def _normalize_token(token: str) -> str:
    if token in SLANG:
        return SLANG[token]
    if len(token) > MAX_TOKEN_CHARS:
        token = token[:MAX_TOKEN_CHARS]
    if _LAUGH.fullmatch(token) and len(token) >= 4:
        return "haha"
    if _REPEAT3.search(token):
        doubled = _REPEAT3.sub(r"\1\1", token)
        token = doubled if doubled in DOUBLE_LETTER_WORDS else _REPEAT3.sub(r"\1", token)
        if token in SLANG:
            return SLANG[token]
    if (
        token.isascii()
        and not token.isalpha()
        and not token.isdigit()
        and token not in _LEET_KEEP
        and _LEET.fullmatch(token)
        and sum(c.isalpha() for c in token) >= 2
    ):
        token = token.translate(_LEET_MAP)
        return SLANG.get(token, token)
    return token


def _may_reduplicate(text: str) -> bool:
    """Whether a "2" follows a letter (or a non-ASCII character): else `_REDUP` finds none."""
    at = text.find("2", 1)
    while at != -1:
        before = text[at - 1]
        if before.isalpha() or not before.isascii():
            return True
        at = text.find("2", at + 1)
    return False


def normalize_tokens(text: str, *, max_chars: int | None = MAX_CHARS) -> list[str]:
    """Return the normalized tokens of `text` (cut to `max_chars` characters first)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if max_chars is not None and len(text) > max_chars:
        text = text[:max_chars]
    if "\\" in text:
        # Exports often carry escaped bytes and newlines ("\xf0\x9f\x98\x82", "\n") as
        # text: decode the bytes (mostly emoji, which carry sentiment), drop the rest.
        text = _ESCAPED.sub(_unescape, text)
    if not text.isascii():
        text = _NON_ASCII.sub(_emoji_run, unicodedata.normalize("NFKC", text))
    if "@" in text:
        text = _EMAIL.sub(" email ", text)
        text = _MENTION.sub(" user ", text)
    elif "[" in text:
        text = _MENTION.sub(" user ", text)
    # Cheap substring checks first: most comments need none of these patterns.
    lowered = text.lower()
    if (
        "/" in text
        or "www" in lowered
        or ("." in lowered and any(map(lowered.__contains__, _DOT_TLDS)))
    ):
        text = _URL.sub(" url ", text)
    if "8" in text:
        text = _PHONE.sub(" nomortelepon ", text)
    text = text.lower()
    if any(map(text.__contains__, _EMOTICON_TRIGGERS)):
        text = _EMOTICON.sub(lambda m: f" {EMOTICONS[m.group(1)]} ", text)
    if "2" in text and _may_reduplicate(text):
        text = _REDUP.sub(r"\1 \1\2", text)
    raws = _ascii_words(text) if text.isascii() else _TOKEN.findall(text)
    cache = _token_cache
    found = [*map(cache.get, raws)]
    if None in found:
        for position, raw in enumerate(raws):
            if found[position] is None:
                token = cache.get(raw)  # an earlier copy of the word may have filled it
                if token is None:
                    token = _MASKS.get(raw) or _normalize_token(raw)
                    if len(cache) >= _TOKEN_CACHE_MAX:
                        cache.clear()
                    cache[raw] = token
                found[position] = token
    words: list[str] = found  # type: ignore[assignment]  # no None left
    # Most texts repeat no word twice in a row and use no slang standing for two words:
    # the loop below would keep every token as it is.
    if not any(map(operator.eq, words, words[1:])) and " " not in "".join(words):
        return words
    tokens: list[str] = []
    previous = ""
    repeats = 0
    for token in words:
        # Floods ("!!!!", twenty hearts, "wkwk wkwk wkwk") keep at most two in a row.
        if token == previous:
            repeats += 1
            if repeats >= 2:
                continue
        else:
            previous = token
            repeats = 0
        if " " in token:
            tokens.extend(token.split())
        else:
            tokens.append(token)
    return tokens


def normalize(text: str, *, max_chars: int | None = None) -> str:
    """Return `text` in normalized form: lowercase tokens separated by single spaces."""
    return " ".join(normalize_tokens(text, max_chars=max_chars))
