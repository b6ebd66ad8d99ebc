"""Platform limits: text length as each platform counts it, and the media it accepts.

Registered as the guardrails check "platform_limits". Every finding names the rule and
the limit, so an officer knows what to cut. Limits follow the platforms' published API
documentation (2025); a channel may narrow Mastodon's limit for its own server.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warta.guardrails.registry import CheckSubject, MediaInfo, register
from warta.lib.findings import Finding, Severity
from warta.lib.platforms import Platform

CHECK = "platform_limits"
MB = 1024 * 1024

# twitter-text v3: code points in these ranges weigh 100 (1 char), all others 200 (2);
# a URL weighs 23 chars whatever its length; an emoji sequence weighs 2 chars.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL_RE = re.compile(
    r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{2,5})?"
    r"(?:/[^\s]*)?",
    re.IGNORECASE,
)
# Bare domains count as links only with a known top-level domain, as twitter-text does;
# otherwise Indonesian abbreviations like "Jl.Merdeka" would be taken for links.
_BARE_TLDS = frozenset(
    [
        "id",
        "com",
        "net",
        "org",
        "info",
        "io",
        "co",
        "me",
        "ly",
        "tv",
        "app",
        "dev",
        "gov",
        "edu",
        "biz",
        "xyz",
        "online",
        "site",
        "web",
        "news",
    ]
)
_PROTOCOL_URL_RE = re.compile(r"https?://[^\s]+", re.IGNORECASE)
_EMOJI_RE = re.compile(
    "(?:[\U0001f1e6-\U0001f1ff]{2})"  # flags: a pair of regional indicators
    "|(?:[\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff][\ufe0f\U0001f3fb-\U0001f3ff]*"
    "(?:\u200d[\u2600-\u27bf\U0001f000-\U0001faff][\ufe0f\U0001f3fb-\U0001f3ff]*)*)"
)
_HASHTAG_RE = re.compile(r"(?<![\w&])#\w+", re.UNICODE)
_MENTION_RE = re.compile(r"(?<![\w@])@\w[\w.]*", re.UNICODE)


def _is_link(candidate: str) -> bool:
    if "://" in candidate:
        return True
    host = candidate.split("/", 1)[0].split(":", 1)[0]
    return host.rsplit(".", 1)[-1].lower() in _BARE_TLDS


def _weight(char: str) -> int:
    cp = ord(char)
    return 1 if any(lo <= cp <= hi for lo, hi in _X_LIGHT_RANGES) else 2


def x_weighted_length(text: str) -> int:
    """Length of a post as X counts it (twitter-text v3 configuration)."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    pos = 0
    for match in _URL_RE.finditer(text):
        if not _is_link(match.group(0)):
            continue
        total += _plain_weight(text[pos : match.start()]) + 23
        pos = match.end()
    return total + _plain_weight(text[pos:])


def _plain_weight(text: str) -> int:
    total = 0
    pos = 0
    for match in _EMOJI_RE.finditer(text):
        # Only emoji that are really pictographs count as one unit; the broad range above
        # also holds CJK and symbols, which count per code point.
        segment = match.group(0)
        if len(segment) == 1 and not _is_pictograph(segment):
            continue
        total += sum(_weight(c) for c in text[pos : match.start()]) + 2
        pos = match.end()
    return total + sum(_weight(c) for c in text[pos:])


def _is_pictograph(char: str) -> bool:
    cp = ord(char)
    return cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF or char in "\u00a9\u00ae\u203c\u2049"


def mastodon_length(text: str) -> int:
    """Mastodon counts every URL as 23 characters and a mention by its user name only."""
    text = _PROTOCOL_URL_RE.sub("x" * 23, text)
    text = re.sub(r"@(\w+)@[\w.-]+\w", r"@\1", text)
    return len(text)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class MediaRule:
    kinds: frozenset[str]  # accepted kinds; empty = no media allowed
    required: bool = False
    max_items: int = 10
    image_mimes: frozenset[str] = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
    video_mimes: frozenset[str] = frozenset({"video/mp4", "video/quicktime"})
    max_image_bytes: int = 10 * MB
    max_video_bytes: int = 1024 * MB
    max_document_bytes: int = 50 * MB
    min_video_seconds: float = 0
    max_video_seconds: float | None = None
    min_image_ratio: float | None = None
    max_image_ratio: float | None = None
    min_video_ratio: float | None = None
    max_video_ratio: float | None = None
    single_video: bool = False  # a video must be the only item


MEDIA_RULES: dict[str, MediaRule] = {
    Platform.X: MediaRule(
        kinds=frozenset({"image", "video"}),
        max_items=4,
        max_image_bytes=5 * MB,
        max_video_bytes=512 * MB,
        min_video_seconds=0.5,
        max_video_seconds=140,
        single_video=True,
    ),
    Platform.INSTAGRAM: MediaRule(
        kinds=frozenset({"image", "video"}),
        required=True,
        max_items=10,
        image_mimes=frozenset({"image/jpeg"}),
        max_image_bytes=8 * MB,
        max_video_bytes=300 * MB,
        min_video_seconds=3,
        max_video_seconds=900,
        min_image_ratio=4 / 5,
        max_image_ratio=1.91,
        min_video_ratio=0.01,
        max_video_ratio=10,
    ),
    Platform.FACEBOOK: MediaRule(
        kinds=frozenset({"image", "video"}),
        max_items=10,
        max_image_bytes=10 * MB,
        max_video_bytes=10 * 1024 * MB,
        min_video_seconds=1,
        max_video_seconds=240 * 60,
        single_video=True,
    ),
    Platform.TELEGRAM: MediaRule(
        kinds=frozenset({"image", "video", "document"}),
        max_items=10,
        max_image_bytes=10 * MB,
        max_video_bytes=50 * MB,
        max_document_bytes=50 * MB,
    ),
    Platform.MASTODON: MediaRule(
        kinds=frozenset({"image", "video"}),
        max_items=4,
        max_image_bytes=16 * MB,
        max_video_bytes=99 * MB,
        single_video=True,
    ),
    Platform.YOUTUBE: MediaRule(
        kinds=frozenset({"video"}),
        required=True,
        max_items=1,
        max_video_bytes=256 * 1024 * MB,
        max_video_seconds=12 * 3600,
    ),
    # https://developers.facebook.com/docs/threads/overview#media-specifications: JPEG/PNG
    # up to 8 MB; MOV/MP4 up to 1 GB and 5 minutes; a carousel holds 2-20 items.
    Platform.THREADS: MediaRule(
        kinds=frozenset({"image", "video"}),
        max_items=20,
        image_mimes=frozenset({"image/jpeg", "image/png"}),
        max_image_bytes=8 * MB,
        max_video_bytes=1024 * MB,
        max_video_seconds=300,
    ),
    Platform.TIKTOK: MediaRule(
        kinds=frozenset({"image", "video"}),
        required=True,
        max_items=35,
        image_mimes=frozenset({"image/jpeg", "image/webp"}),
        max_image_bytes=20 * MB,
        max_video_bytes=4 * 1024 * MB,
        min_video_seconds=3,
        max_video_seconds=600,
        single_video=True,
    ),
}


def _finding(
    code: str,
    message: str,
    *,
    field: str = "caption",
    hint: str = "",
    data: dict[str, object] | None = None,
) -> Finding:
    return Finding(
        check=CHECK,
        code=code,
        severity=Severity.BLOCK,
        message=message,
        hint=hint,
        field=field,
        data=dict(data or {}),
    )


def _too_long(field: str, rule: str, length: int, limit: int) -> Finding:
    return _finding(
        f"{field}_too_long",
        _("%(rule)s: %(length)d karakter, batasnya %(limit)d.")
        % {"rule": rule, "length": length, "limit": limit},
        field=field,
        hint=ngettext("Kurangi %(n)d karakter.", "Kurangi %(n)d karakter.", length - limit)
        % {"n": length - limit},
        data={"length": length, "limit": limit},
    )


@dataclass(frozen=True)
class Counter:
    """One figure the composer shows while typing: what the platform counts, and its limit."""

    label: str
    count: int
    limit: int

    @property
    def over(self) -> bool:
        return self.count > self.limit

    @property
    def excess(self) -> int:
        return max(0, self.count - self.limit)


def counters(subject: CheckSubject) -> list[Counter]:
    """The live counters of a text on its platform, counted as text_findings counts."""
    platform, caption = subject.platform, subject.caption
    if platform == Platform.X:
        return [Counter(_("karakter berbobot"), x_weighted_length(caption), 280)]
    if platform == Platform.INSTAGRAM:
        return [
            Counter(_("karakter"), len(caption), 2200),
            Counter(_("tagar"), len(_HASHTAG_RE.findall(caption)), 30),
        ]
    if platform == Platform.TELEGRAM:
        if subject.media:
            return [Counter(_("karakter keterangan media"), len(caption), 1024)]
        return [Counter(_("karakter pesan"), len(caption), 4096)]
    if platform == Platform.MASTODON:
        limit = int(str(subject.extra.get("max_characters") or 500))
        return [Counter(_("karakter"), mastodon_length(caption), limit)]
    if platform == Platform.YOUTUBE:
        return [
            Counter(_("karakter judul"), len(subject.title), 100),
            Counter(_("byte deskripsi"), len(caption.encode("utf-8")), 5000),
        ]
    if platform == Platform.TIKTOK:
        photos = subject.media and all(m.kind == "image" for m in subject.media)
        return [Counter(_("karakter (UTF-16)"), utf16_length(caption), 4000 if photos else 2200)]
    if platform == Platform.FACEBOOK:
        return [Counter(_("karakter"), len(caption), 63206)]
    if platform == Platform.THREADS:
        return [Counter(_("karakter"), len(caption), 500)]
    return []


def text_findings(subject: CheckSubject) -> list[Finding]:
    platform = subject.platform
    caption = subject.caption
    out: list[Finding] = []
    if platform == Platform.X:
        n = x_weighted_length(caption)
        if n > 280:
            out.append(
                _too_long(
                    "caption",
                    _("X menghitung panjang berbobot (emoji dan huruf CJK 2, tautan 23)"),
                    n,
                    280,
                )
            )
    elif platform == Platform.INSTAGRAM:
        if len(caption) > 2200:
            out.append(_too_long("caption", _("Keterangan Instagram"), len(caption), 2200))
        tags = len(_HASHTAG_RE.findall(caption))
        if tags > 30:
            out.append(
                _finding(
                    "too_many_hashtags",
                    ngettext(
                        "Instagram: %(n)d tagar, paling banyak 30.",
                        "Instagram: %(n)d tagar, paling banyak 30.",
                        tags,
                    )
                    % {"n": tags},
                    hint=ngettext("Hapus %(n)d tagar.", "Hapus %(n)d tagar.", tags - 30)
                    % {"n": tags - 30},
                    data={"count": tags, "limit": 30},
                )
            )
        mentions = len(_MENTION_RE.findall(caption))
        if mentions > 20:
            out.append(
                _finding(
                    "too_many_mentions",
                    ngettext(
                        "Instagram: %(n)d sebutan (@), paling banyak 20.",
                        "Instagram: %(n)d sebutan (@), paling banyak 20.",
                        mentions,
                    )
                    % {"n": mentions},
                    data={"count": mentions, "limit": 20},
                )
            )
    elif platform == Platform.TELEGRAM:
        limit = 1024 if subject.media else 4096
        rule = _("Keterangan Telegram di bawah media") if subject.media else _("Pesan Telegram")
        if len(caption) > limit:
            out.append(_too_long("caption", rule, len(caption), limit))
    elif platform == Platform.MASTODON:
        limit = int(str(subject.extra.get("max_characters") or 500))
        n = mastodon_length(caption)
        if n > limit:
            out.append(_too_long("caption", _("Mastodon (server ini)"), n, limit))
    elif platform == Platform.YOUTUBE:
        title = subject.title
        if not title.strip():
            out.append(
                _finding("title_missing", _("YouTube: judul video wajib diisi."), field="title")
            )
        if len(title) > 100:
            out.append(_too_long("title", _("Judul YouTube"), len(title), 100))
        if "<" in title or ">" in title or "<" in caption or ">" in caption:
            out.append(
                _finding(
                    "angle_brackets",
                    _("YouTube menolak tanda < dan > pada judul dan deskripsi."),
                    field="title",
                )
            )
        if len(caption.encode("utf-8")) > 5000:
            out.append(
                _too_long(
                    "caption",
                    _("Deskripsi YouTube (byte UTF-8)"),
                    len(caption.encode("utf-8")),
                    5000,
                )
            )
    elif platform == Platform.TIKTOK:
        photos = subject.media and all(m.kind == "image" for m in subject.media)
        if photos:
            if utf16_length(subject.title) > 90:
                out.append(
                    _too_long(
                        "title", _("Judul unggahan foto TikTok"), utf16_length(subject.title), 90
                    )
                )
            if utf16_length(caption) > 4000:
                out.append(
                    _too_long(
                        "caption", _("Deskripsi unggahan foto TikTok"), utf16_length(caption), 4000
                    )
                )
        elif utf16_length(caption) > 2200:
            out.append(
                _too_long(
                    "caption", _("Keterangan video TikTok (UTF-16)"), utf16_length(caption), 2200
                )
            )
    elif platform == Platform.THREADS and len(caption) > 500:
        # https://developers.facebook.com/docs/threads/overview#text-posts: 500 characters.
        out.append(_too_long("caption", _("Kiriman Threads"), len(caption), 500))
    elif platform == Platform.FACEBOOK and len(caption) > 63206:
        out.append(_too_long("caption", _("Kiriman Halaman Facebook"), len(caption), 63206))
    if platform in {Platform.X, Platform.MASTODON, Platform.TELEGRAM, Platform.THREADS} and not (
        caption.strip() or subject.media
    ):
        out.append(_finding("empty", _("Kiriman kosong: isi teks atau lampirkan media.")))
    if platform in {Platform.INSTAGRAM, Platform.FACEBOOK} and len(subject.first_comment) > 2200:
        out.append(
            _too_long("first_comment", _("Komentar pertama"), len(subject.first_comment), 2200)
        )
    return out


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB"


def media_findings(subject: CheckSubject) -> list[Finding]:
    rule = MEDIA_RULES.get(subject.platform)
    if rule is None:
        return []
    name = (
        Platform(subject.platform).label
        if subject.platform in Platform.values
        else subject.platform
    )
    media = subject.media
    out: list[Finding] = []
    if rule.required and not media:
        out.append(
            _finding(
                "media_required",
                _("%(p)s wajib memakai media (%(kinds)s).")
                % {"p": name, "kinds": ", ".join(sorted(rule.kinds))},
                field="media",
            )
        )
    if len(media) > rule.max_items:
        out.append(
            _finding(
                "too_many_media",
                _("%(p)s: %(n)d media, paling banyak %(max)d.")
                % {"p": name, "n": len(media), "max": rule.max_items},
                field="media",
                data={"count": len(media), "limit": rule.max_items},
            )
        )
    videos = [m for m in media if m.kind == "video"]
    if rule.single_video and videos and len(media) > 1:
        out.append(
            _finding(
                "video_not_alone",
                _("%(p)s: video harus diunggah sendiri, tanpa media lain.") % {"p": name},
                field="media",
            )
        )
    for index, item in enumerate(media, start=1):
        out.extend(_item_findings(str(name), rule, index, item))
    return out


def _item_findings(name: str, rule: MediaRule, index: int, item: MediaInfo) -> list[Finding]:
    out: list[Finding] = []
    label = _("%(p)s, media ke-%(i)d") % {"p": name, "i": index}

    def add(code: str, message: str, **data: object) -> None:
        out.append(
            _finding(code, f"{label}: {message}", field="media", data={"index": index, **data})
        )

    if item.kind not in rule.kinds:
        add(
            "media_kind",
            _("jenis %(kind)s tidak diterima (hanya %(kinds)s).")
            % {"kind": item.kind, "kinds": ", ".join(sorted(rule.kinds))},
        )
        return out
    if item.kind == "image":
        if item.mime_type not in rule.image_mimes:
            add(
                "media_type",
                _("format %(mime)s tidak diterima (hanya %(ok)s).")
                % {"mime": item.mime_type, "ok": ", ".join(sorted(rule.image_mimes))},
            )
        if item.size_bytes > rule.max_image_bytes:
            add(
                "media_size",
                _("gambar %(size)s, batasnya %(max)s.")
                % {"size": _mb(item.size_bytes), "max": _mb(rule.max_image_bytes)},
                limit=rule.max_image_bytes,
            )
        _ratio(add, item, rule.min_image_ratio, rule.max_image_ratio)
    elif item.kind == "video":
        if item.mime_type not in rule.video_mimes:
            add(
                "media_type",
                _("format %(mime)s tidak diterima (hanya %(ok)s).")
                % {"mime": item.mime_type, "ok": ", ".join(sorted(rule.video_mimes))},
            )
        if item.size_bytes > rule.max_video_bytes:
            add(
                "media_size",
                _("video %(size)s, batasnya %(max)s.")
                % {"size": _mb(item.size_bytes), "max": _mb(rule.max_video_bytes)},
                limit=rule.max_video_bytes,
            )
        seconds = item.duration_seconds
        if seconds is not None:
            if rule.max_video_seconds is not None and seconds > rule.max_video_seconds:
                add(
                    "media_duration",
                    _("durasi %(d).0f detik, paling lama %(max).0f detik.")
                    % {"d": seconds, "max": rule.max_video_seconds},
                    limit=rule.max_video_seconds,
                )
            if seconds < rule.min_video_seconds:
                add(
                    "media_duration",
                    _("durasi %(d).1f detik, paling singkat %(min).1f detik.")
                    % {"d": seconds, "min": rule.min_video_seconds},
                    limit=rule.min_video_seconds,
                )
        _ratio(add, item, rule.min_video_ratio, rule.max_video_ratio)
    elif item.size_bytes > rule.max_document_bytes:
        add(
            "media_size",
            _("dokumen %(size)s, batasnya %(max)s.")
            % {"size": _mb(item.size_bytes), "max": _mb(rule.max_document_bytes)},
            limit=rule.max_document_bytes,
        )
    return out


def _ratio(add, item: MediaInfo, low: float | None, high: float | None) -> None:  # type: ignore[no-untyped-def]
    if not (item.width and item.height) or (low is None and high is None):
        return
    ratio = item.width / item.height
    if (low is not None and ratio < low - 0.005) or (high is not None and ratio > high + 0.005):
        add(
            "media_aspect_ratio",
            _("rasio %(w)dx%(h)d = %(r).2f, yang diterima %(lo).2f sampai %(hi).2f.")
            % {"w": item.width, "h": item.height, "r": ratio, "lo": low or 0, "hi": high or 0},
            ratio=round(ratio, 3),
        )


@register(CHECK)
def check_platform_limits(subject: CheckSubject) -> list[Finding]:
    return text_findings(subject) + media_findings(subject)
