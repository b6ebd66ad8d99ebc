"""Platform limits as each platform counts them, with Indonesian captions and emoji."""

import pytest

from warta.content.limits import (
    check_platform_limits,
    mastodon_length,
    utf16_length,
    x_weighted_length,
)
from warta.guardrails.registry import CheckSubject, MediaInfo, registered_checks

MB = 1024 * 1024
JPEG = MediaInfo(kind="image", mime_type="image/jpeg", size_bytes=2 * MB, width=1080, height=1350)


def subject(platform: str, caption: str = "Halo warga Bontang!", **kw) -> CheckSubject:
    return CheckSubject(platform=platform, caption=caption, region_id=1, agency_id=1, **kw)


def codes(s: CheckSubject) -> list[str]:
    return [f.code for f in check_platform_limits(s)]


def test_it_is_registered_as_a_guardrails_check():
    assert "platform_limits" in registered_checks()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Selamat pagi Bontang", 20),
        ("Terima kasih 🙏", 15),  # emoji weighs 2
        ("👨‍👩‍👧 keluarga sehat", 17),  # a ZWJ family is one emoji
        ("Bendera 🇮🇩", 10),
        ("日本語", 6),  # CJK weighs 2
        ("Info: https://bontangkota.go.id/berita/2026/11/vaksinasi-gratis-di-puskesmas", 29),
        ("Cek bontangkota.go.id ya", 30),
        ("Jl.Merdeka No. 1", 16),  # not a link
    ],
)
def test_x_weighted_count_follows_twitter_text(text, expected):
    assert x_weighted_length(text) == expected


def test_x_refuses_over_280_weighted_naming_the_rule():
    caption = "Vaksinasi gratis 💉 " * 15  # 17 chars + emoji(2) = 19 x 15 = 285
    findings = check_platform_limits(subject("x", caption))
    assert [f.code for f in findings] == ["caption_too_long"]
    assert "280" in findings[0].message and "berbobot" in findings[0].message
    assert findings[0].data == {"length": x_weighted_length(caption), "limit": 280}
    assert codes(subject("x", "Vaksinasi gratis 💉 " * 14)) == []


def test_instagram_caption_and_hashtags():
    ok = subject("instagram", "a" * 2200, media=(JPEG,))
    assert codes(ok) == []
    assert codes(subject("instagram", "a" * 2201, media=(JPEG,))) == ["caption_too_long"]
    tags = " ".join(f"#Bontang{i}" for i in range(31))
    findings = check_platform_limits(subject("instagram", tags, media=(JPEG,)))
    assert [f.code for f in findings] == ["too_many_hashtags"]
    assert "30" in findings[0].message


def test_instagram_needs_jpeg_media_in_its_aspect_ratio():
    assert codes(subject("instagram")) == ["media_required"]
    png = MediaInfo(kind="image", mime_type="image/png", size_bytes=MB, width=1080, height=1080)
    tall = MediaInfo(kind="image", mime_type="image/jpeg", size_bytes=MB, width=1080, height=1920)
    findings = check_platform_limits(subject("instagram", media=(png, tall)))
    assert [f.code for f in findings] == ["media_type", "media_aspect_ratio"]
    assert "0.56" in findings[1].message and "0.80" in findings[1].message


def test_telegram_limit_is_lower_under_media():
    text = "Pengumuman " * 100  # 1,100 chars
    assert codes(subject("telegram", text)) == []
    findings = check_platform_limits(subject("telegram", text, media=(JPEG,)))
    assert findings[0].data["limit"] == 1024
    assert codes(subject("telegram", "x" * 4097)) == ["caption_too_long"]


def test_mastodon_500_counts_links_as_23_and_honours_the_server_limit():
    link = "https://bontangkota.go.id/" + "a" * 100
    assert mastodon_length(f"Baca {link}") == 28
    assert codes(subject("mastodon", "a" * 500)) == []
    assert codes(subject("mastodon", "a" * 501)) == ["caption_too_long"]
    assert codes(subject("mastodon", "a" * 900, extra={"max_characters": 1000})) == []


def test_youtube_title_description_and_video():
    video = MediaInfo(
        kind="video",
        mime_type="video/mp4",
        size_bytes=50 * MB,
        duration_seconds=120,
        width=1920,
        height=1080,
    )
    assert codes(subject("youtube", "Deskripsi", title="Judul", media=(video,))) == []
    found = codes(subject("youtube", "d" * 5001, title="J" * 101))
    assert found == ["title_too_long", "caption_too_long", "media_required"]
    assert "angle_brackets" in codes(subject("youtube", "a", title="<b>", media=(video,)))


def test_tiktok_counts_utf16_and_limits_video_length():
    assert utf16_length("🙏") == 2
    long_video = MediaInfo(
        kind="video", mime_type="video/mp4", size_bytes=10 * MB, duration_seconds=700
    )
    findings = check_platform_limits(subject("tiktok", "🙏" * 1101, media=(long_video,)))
    assert [f.code for f in findings] == ["caption_too_long", "media_duration"]
    assert "600" in findings[1].message


def test_oversize_media_names_the_limit():
    big = MediaInfo(kind="image", mime_type="image/jpeg", size_bytes=6 * MB)
    findings = check_platform_limits(subject("x", media=(big,)))
    assert [f.code for f in findings] == ["media_size"]
    assert "5 MB" in findings[0].message and "media ke-1" in findings[0].message


def test_x_video_must_go_alone():
    video = MediaInfo(kind="video", mime_type="video/mp4", size_bytes=MB, duration_seconds=30)
    assert "video_not_alone" in codes(subject("x", media=(video, JPEG)))


def test_platforms_without_rules_pass():
    assert codes(subject("website", "a" * 100000)) == []


def test_threads_takes_500_characters_and_up_to_20_items():
    # https://developers.facebook.com/docs/threads/overview (text 500; carousel 2-20)
    assert codes(subject("threads", "x" * 500)) == []
    assert codes(subject("threads", "x" * 501)) == ["caption_too_long"]
    assert codes(subject("threads", "", media=(JPEG,) * 20)) == []
    assert codes(subject("threads", "Foto", media=(JPEG,) * 21)) == ["too_many_media"]
    webp = MediaInfo(kind="image", mime_type="image/webp", size_bytes=MB, width=1080, height=1080)
    assert codes(subject("threads", "Foto", media=(webp,))) == ["media_type"]
