from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from warta.connectors.base import (
    AuthError,
    MediaFile,
    NotSupported,
    PermanentError,
    PublishRequest,
    TransientError,
)
from warta.connectors.fakes import Fault
from warta.connectors.fakes.tiktok import chunk_problem
from warta.connectors.oauth import authorization_start, exchange_code
from warta.connectors.ratelimits import ACCOUNT, RateObservation
from warta.connectors.tiktok.connector import MB, chunk_plan


def video(tmp_path, size=300 * 1024) -> MediaFile:
    path = tmp_path / "v.mp4"
    path.write_bytes(b"\x00" * size)
    return MediaFile(
        path=path, mime_type="video/mp4", kind="video", size_bytes=size, duration_seconds=30
    )


@pytest.fixture
def fake(fake_platform):
    return fake_platform("tiktok")


def test_chunk_plan_follows_tiktoks_rules():
    assert chunk_plan(3 * MB) == (3 * MB, 1)
    assert chunk_plan(25 * MB) == (10 * MB, 2)  # the last chunk takes the 5 MB rest
    assert chunk_plan(30 * MB) == (10 * MB, 3)


@pytest.mark.parametrize(
    "size",
    [
        1,
        5 * MB - 1,
        5 * MB,
        7 * MB,
        10 * MB - 1,
        10 * MB,
        10 * MB + 1,
        19 * MB,
        64 * MB + 1,
        200 * MB + 3,
        12 * 1024 * MB,
    ],
)
@pytest.mark.parametrize("chunk", [5 * MB, 10 * MB, 64 * MB])
def test_every_chunk_plan_is_one_tiktok_accepts(size, chunk):
    # https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide
    chunk_size, count = chunk_plan(size, chunk)
    assert chunk_problem(size, chunk_size, count) == ""


@pytest.mark.parametrize("size", [5 * MB + 1, 7 * MB, 10 * MB - 1])
def test_it_uploads_videos_between_5_and_10_mb(fake, tmp_path, size):
    result = fake.connector().publish(
        PublishRequest(idempotency_key="k", caption="Sedang", media=(video(tmp_path, size),))
    )
    assert result.platform_post_id in fake.posts and fake.publish_counts["Sedang"] == 1


def test_it_uploads_the_file_and_waits_until_published(fake, tmp_path):
    result = fake.connector().publish(
        PublishRequest(idempotency_key="k", caption="Bontang #wisata", media=(video(tmp_path),))
    )
    assert result.url == f"https://www.tiktok.com/@pemkotbontang/video/{result.platform_post_id}"
    assert fake.posts[result.platform_post_id]["privacy"] == "PUBLIC_TO_EVERYONE"
    assert fake.publish_counts["Bontang #wisata"] == 1


def test_it_uploads_big_files_in_chunks(fake, tmp_path):
    c = fake.connector()
    c.chunk_bytes = 5 * MB
    c.publish(
        PublishRequest(idempotency_key="k", caption="Besar", media=(video(tmp_path, 12 * MB),))
    )
    assert sum(1 for m, p in fake.request_log if m == "PUT") == 2


def test_it_refuses_to_post_publicly_when_the_account_cannot(fake, tmp_path):
    fake.privacy_level_options = ["SELF_ONLY"]
    with pytest.raises(PermanentError, match="SELF_ONLY"):
        fake.connector().publish(
            PublishRequest(idempotency_key="k", caption="x", media=(video(tmp_path),))
        )
    result = fake.connector(credentials={"privacy_level": "SELF_ONLY"}).publish(
        PublishRequest(idempotency_key="k", caption="x", media=(video(tmp_path),))
    )
    assert result.platform_post_id.startswith("v_pub_") and result.url == ""


def test_it_pulls_photos_from_public_urls_only(fake, tmp_path):
    photo = MediaFile(path=tmp_path / "a.jpg", mime_type="image/jpeg", kind="image", size_bytes=1)
    with pytest.raises(PermanentError, match="alamat publik"):
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="x", media=(photo,)))
    public = MediaFile(
        path=photo.path,
        mime_type="image/jpeg",
        kind="image",
        size_bytes=1,
        url="https://warta.example/media/a.jpg",
    )
    assert fake.connector().publish(
        PublishRequest(idempotency_key="k", caption="Foto", media=(public,))
    )


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        (Fault.RATE_LIMIT, TransientError),
        (Fault.THROTTLED, TransientError),
        (Fault.SERVER_ERROR, TransientError),
        (Fault.EXPIRED_TOKEN, AuthError),
        (Fault.INVALID_MEDIA, PermanentError),
    ],
)
def test_it_maps_errors(fake, tmp_path, kind, error):
    fake.fail_next(kind, path="/video/init/")
    with pytest.raises(error) as caught:
        fake.connector().publish(
            PublishRequest(idempotency_key="k", caption="x", media=(video(tmp_path),))
        )
    if error is PermanentError:
        assert not isinstance(caught.value, AuthError)
    if kind == Fault.THROTTLED:
        assert caught.value.retry_after >= 3600


def test_it_maps_a_failed_publish(fake, tmp_path):
    fake.fail_reason = "duration_check_failed"
    with pytest.raises(PermanentError, match="duration_check_failed"):
        fake.connector().publish(
            PublishRequest(idempotency_key="k", caption="x", media=(video(tmp_path),))
        )


def test_it_reports_a_lost_last_chunk_as_outcome_unknown_and_finds_the_post(
    fake_platform, tmp_path
):
    fake = fake_platform("tiktok", hang_seconds=0.4)
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(idempotency_key="k", caption="Lomba", media=(video(tmp_path),))
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT, path="PUT /upload/")
    with pytest.raises(TransientError) as caught:
        fake.connector(timeout=0.2).publish(request)
    assert caught.value.outcome_unknown
    found = fake.connector().find_post("k", since=since, request=request)
    assert found is not None and found.platform_post_id in fake.posts


def test_it_reads_posts_and_metrics_but_not_comments(fake, tmp_path):
    c = fake.connector()
    result = c.publish(PublishRequest(idempotency_key="k", caption="x", media=(video(tmp_path),)))
    fake.posts[result.platform_post_id].update(
        view_count=1000, like_count=80, share_count=4, comment_count=6
    )
    [m] = c.fetch_metrics([result.platform_post_id])
    assert (m.views, m.likes, m.shares, m.comments) == (1000, 80, 4, 6)
    assert c.fetch_followers() == 5400
    assert c.fetch_post(result.platform_post_id).caption == "x"
    assert c.fetch_post("404").deleted
    for call in (
        lambda: c.fetch_comments(since=None),
        lambda: c.delete(result.platform_post_id),
        lambda: c.reply(platform_item_id="1", text="t", idempotency_key="r"),
    ):
        with pytest.raises(NotSupported):
            call()


def test_it_refreshes_and_maps_an_invalid_grant(fake):
    tokens = fake.connector().refresh_token()
    assert tokens.access_token in fake.valid_tokens and tokens.refresh_token == fake.refresh_token
    assert tokens.extra["open_id"] == fake.external_id
    with pytest.raises(AuthError):
        fake.connector(credentials={"refresh_token": "old"}).refresh_token()


def test_it_connects_an_account(fake):
    start = authorization_start("tiktok", redirect_uri="https://warta.example/cb", client_id="ck")
    assert "client_key=ck" in start.url and "video.publish" in start.url
    [account] = exchange_code(
        "tiktok",
        code="good-code",
        redirect_uri="https://warta.example/cb",
        client_id="ck",
        client_secret="client-secret",
        base_url=fake.base_url,
    )
    assert account.external_id == fake.external_id and account.followers == 5400


def _publish_directly(fake, caption: str, privacy: str = "PUBLIC_TO_EVERYONE") -> str:
    item = fake._new_publish(caption, privacy, 0, 0, 0)
    fake._complete(item)
    return item["video_id"]


def test_find_post_pages_through_the_public_video_list(fake):
    # https://developers.tiktok.com/doc/display-api-overview/: 20 a page at most
    since = datetime.now(UTC) - timedelta(minutes=1)
    target = _publish_directly(fake, "Lomba foto")
    for n in range(45):
        _publish_directly(fake, f"Lain {n}")
    request = PublishRequest(idempotency_key="k", caption="Lomba foto")
    found = fake.connector().find_post("k", since=since, request=request)
    assert found is not None and found.platform_post_id == target


def test_find_post_does_not_pretend_to_see_private_posts(fake):
    # Unaudited apps may only post SELF_ONLY, and video/list lists public videos only.
    fake.privacy_level_options = ["SELF_ONLY"]
    since = datetime.now(UTC) - timedelta(minutes=1)
    _publish_directly(fake, "Rapat", privacy="SELF_ONLY")
    connector = fake.connector(credentials={"privacy_level": "SELF_ONLY"})
    with pytest.raises(NotSupported):
        connector.find_post(
            "k", since=since, request=PublishRequest(idempotency_key="k", caption="Rapat")
        )


def test_a_seventh_post_in_a_minute_is_refused_as_documented_and_held_for_the_minute(
    fake, tmp_path
):
    # "Each user access_token is limited to 6 requests per minute" on video/init, in a
    # one-minute sliding window; then HTTP 429, error code rate_limit_exceeded.
    # https://developers.tiktok.com/doc/content-posting-api-reference-direct-post
    start = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    request = PublishRequest(idempotency_key="k", caption="Pos", media=(video(tmp_path),))
    with time_machine.travel(start, tick=False) as traveller:
        c = fake.connector()
        for _ in range(6):
            c.publish(request)
            traveller.shift(timedelta(seconds=5))
        with pytest.raises(TransientError) as caught:
            c.publish(request)
        assert caught.value.platform_code == "rate_limit_exceeded"
        assert caught.value.retry_after == 60
        assert "TikTok meminta menunggu" in caught.value.message
        assert not caught.value.outcome_unknown
        assert c.rate_observations.drain() == [
            RateObservation(
                scope=ACCOUNT,
                name="posts_1m",
                remaining=0,
                resets_at=start + timedelta(seconds=90),
            )
        ]
        raw = httpx.post(
            f"{fake.base_url}/v2/post/publish/video/init/",
            json={},
            headers={"Authorization": f"Bearer {fake.access_token}"},
        )
        assert raw.status_code == 429
        body = raw.json()
        assert body["data"] == {} and body["error"]["code"] == "rate_limit_exceeded"
        assert set(body["error"]) == {"code", "message", "log_id"}
        # The first init leaves the sliding window a minute after it was made.
        traveller.move_to(start + timedelta(seconds=60))
        c.publish(request)
    assert fake.publish_counts["Pos"] == 7 and fake.throttled == 2


def test_another_users_token_has_its_own_minute(fake, tmp_path):
    request = PublishRequest(idempotency_key="k", caption="Pos", media=(video(tmp_path),))
    with time_machine.travel(datetime(2026, 12, 2, 1, 0, tzinfo=UTC), tick=False):
        for _ in range(6):
            fake.connector().publish(request)
        other, _refresh = fake.issue_token()
        fake.connector(credentials={"access_token": other}).publish(request)
    assert fake.throttled == 0 and fake.publish_counts["Pos"] == 7
