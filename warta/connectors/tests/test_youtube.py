from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from warta.connectors.base import (
    AuthError,
    MediaFile,
    PermanentError,
    PublishRequest,
    TransientError,
)
from warta.connectors.fakes import Fault
from warta.connectors.fakes.youtube import QUOTA_MESSAGE
from warta.connectors.oauth import authorization_start, exchange_code
from warta.connectors.ratelimits import APP, RateObservation
from warta.connectors.youtube.connector import seconds_until_quota_reset

KIB = 1024


def video(tmp_path, size=600 * KIB) -> MediaFile:
    path = tmp_path / "v.mp4"
    path.write_bytes(bytes(range(256)) * (size // 256))
    return MediaFile(path=path, mime_type="video/mp4", kind="video", size_bytes=size)


@pytest.fixture
def fake(fake_platform):
    return fake_platform("youtube", hang_seconds=0.4)


def connector(fake, **kw):
    c = fake.connector(**kw)
    c.chunk_bytes = 256 * KIB
    return c


def test_it_uploads_a_video_in_chunks(fake, tmp_path):
    result = connector(fake).publish(
        PublishRequest(
            idempotency_key="k",
            title="Rapat paripurna",
            caption="Rekaman lengkap",
            media=(video(tmp_path),),
        )
    )
    assert result.url == f"https://www.youtube.com/watch?v={result.platform_post_id}"
    snippet = fake.posts[result.platform_post_id]["snippet"]
    assert (snippet["title"], snippet["description"]) == ("Rapat paripurna", "Rekaman lengkap")
    assert sum(1 for m, _ in fake.request_log if m == "PUT") == 3


def test_it_resumes_after_a_lost_chunk_answer_without_starting_over(fake, tmp_path):
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT, path="PUT /upload")
    c = connector(fake, timeout=0.2)
    result = c.publish(
        PublishRequest(idempotency_key="k", title="Video", caption="x", media=(video(tmp_path),))
    )
    assert fake.publish_counts["Video"] == 1 and result.platform_post_id in fake.posts
    puts = sum(1 for m, _ in fake.request_log if m == "PUT")
    assert puts == 4  # 3 chunks + 1 status query
    assert sum(1 for m, _ in fake.request_log if m == "POST") == 1  # initiated once


def test_it_recovers_the_video_when_the_last_chunks_answer_is_lost(fake, tmp_path):
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT, path="PUT /upload")
    result = connector(fake, timeout=0.2).publish(
        PublishRequest(
            idempotency_key="k", title="T", caption="x", media=(video(tmp_path, 100 * KIB),)
        )
    )
    assert fake.publish_counts["T"] == 1 and result.platform_post_id in fake.posts


def test_it_resends_a_chunk_after_a_server_error(fake, tmp_path):
    fake.fail_next(Fault.SERVER_ERROR, path="PUT /upload", times=2)
    result = connector(fake).publish(
        PublishRequest(idempotency_key="k", title="T", caption="x", media=(video(tmp_path),))
    )
    assert fake.publish_counts["T"] == 1 and result.platform_post_id in fake.posts


def test_it_needs_exactly_one_video(fake, tmp_path):
    with pytest.raises(PermanentError, match="satu video"):
        connector(fake).publish(PublishRequest(idempotency_key="k", caption="x"))


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("quota", TransientError),
        (Fault.RATE_LIMIT, TransientError),
        (Fault.SERVER_ERROR, TransientError),
        (Fault.EXPIRED_TOKEN, AuthError),
        (Fault.INVALID_MEDIA, PermanentError),
    ],
)
def test_it_maps_errors(fake, tmp_path, kind, error):
    fake.fail_next(kind, path="POST /upload")
    with pytest.raises(error) as caught:
        connector(fake).publish(
            PublishRequest(idempotency_key="k", title="T", caption="x", media=(video(tmp_path),))
        )
    if kind == "quota":
        assert caught.value.retry_after > 60
    if error is PermanentError:
        assert not isinstance(caught.value, AuthError)


def test_quota_resets_at_midnight_pacific():
    noon_utc = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # 04:00 in Los Angeles
    assert seconds_until_quota_reset(noon_utc) == 20 * 3600 + 60


def test_it_finds_the_video_by_title_and_sees_deletion(fake, tmp_path):
    since = datetime.now(UTC) - timedelta(seconds=1)
    c = connector(fake)
    request = PublishRequest(
        idempotency_key="k", title="Festival Bontang", caption="x", media=(video(tmp_path),)
    )
    result = c.publish(request)
    assert (
        c.find_post("k", since=since, request=request).platform_post_id == result.platform_post_id
    )
    c.delete(result.platform_post_id)
    assert c.fetch_post(result.platform_post_id).deleted
    assert c.find_post("k", since=since, request=request) is None


def test_it_refreshes_tokens_and_maps_a_revoked_grant(fake):
    tokens = connector(fake).refresh_token()
    assert tokens.access_token in fake.valid_tokens and tokens.refresh_token == fake.refresh_token
    with pytest.raises(AuthError):
        connector(fake, credentials={"refresh_token": "revoked"}).refresh_token()


def test_it_reads_stats_comments_replies_and_moderates(fake, tmp_path):
    c = connector(fake)
    result = c.publish(
        PublishRequest(idempotency_key="k", title="T", caption="x", media=(video(tmp_path),))
    )
    fake.posts[result.platform_post_id]["statistics"].update(
        viewCount="120", likeCount="9", commentCount="2"
    )
    [m] = c.fetch_metrics([result.platform_post_id])
    assert (m.views, m.likes, m.comments) == (120, 9, 2)
    assert c.fetch_followers() == 3100
    for n in range(120):
        fake.add_comment(result.platform_post_id, f"komentar {n}")
    first = c.fetch_comments(since=None)
    second = c.fetch_comments(since=None, cursor=first.cursor)
    assert len(first.items) == 100 and len(second.items) == 20 and not second.cursor
    top = first.items[0]
    answer = c.reply(
        platform_item_id=top.platform_item_id, text="Terima kasih", idempotency_key="r"
    )
    assert answer.parent_id == top.platform_item_id and answer.kind == "reply"
    c.hide_comment(top.platform_item_id)
    assert fake.moderation[top.platform_item_id] == "heldForReview"
    assert c.fetch_comments(since=datetime.now(UTC) + timedelta(minutes=5)).items == []


def test_it_connects_a_channel_with_pkce_and_offline_access(fake):
    start = authorization_start("youtube", redirect_uri="https://warta.example/cb", client_id="cid")
    assert "access_type=offline" in start.url and "code_challenge=" in start.url
    [channel] = exchange_code(
        "youtube",
        code="good-code",
        redirect_uri="https://warta.example/cb",
        code_verifier=start.code_verifier,
        client_id="cid",
        client_secret="client-secret",
        base_url=fake.base_url,
    )
    assert channel.external_id == fake.external_id and channel.credentials["refresh_token"]


# 2 Dec 2026 12:00 UTC is 04:00 in Los Angeles: the quota resets in 20 hours.
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
PACIFIC_MIDNIGHT = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def test_the_fake_spends_the_upload_bucket_and_the_connector_holds_until_midnight_pacific(
    fake, tmp_path
):
    # https://developers.google.com/youtube/v3/determine_quota_cost: videos.insert has its
    # own bucket (100 a day by default); here 2 so the test stays short.
    fake.upload_quota = 2
    request = PublishRequest(
        idempotency_key="k", title="T", caption="x", media=(video(tmp_path, 100 * KIB),)
    )
    with time_machine.travel(NOON, tick=False):
        c = connector(fake)
        c.publish(request)
        c.publish(request)
        c.rate_observations.drain()
        with pytest.raises(TransientError) as caught:
            c.publish(request)
        assert caught.value.platform_code == "quotaExceeded"
        assert caught.value.retry_after == 20 * 3600 + 60
        assert "Kuota harian YouTube habis" in caught.value.message
        assert not caught.value.outcome_unknown
        assert c.rate_observations.drain() == [
            RateObservation(scope=APP, name="uploads_day", remaining=0, resets_at=PACIFIC_MIDNIGHT)
        ]
        raw = httpx.post(
            f"{fake.base_url}/upload/youtube/v3/videos?uploadType=resumable",
            json={"snippet": {"title": "T"}},
            headers={"Authorization": f"Bearer {fake.access_token}"},
        )
    assert raw.status_code == 403
    assert raw.json()["error"]["errors"][0] == {
        "message": QUOTA_MESSAGE,
        "domain": "youtube.quota",
        "reason": "quotaExceeded",
    }
    assert fake.throttled == 2 and fake.publish_counts["T"] == 2
    with time_machine.travel(PACIFIC_MIDNIGHT + timedelta(minutes=1), tick=False):
        connector(fake).publish(request)
    assert fake.publish_counts["T"] == 3


def test_other_calls_draw_on_the_units_at_their_documented_cost(fake):
    fake.unit_quota = 3  # of 10,000; channels.list costs 1 unit
    with time_machine.travel(NOON, tick=False):
        c = connector(fake)
        for _ in range(3):
            c.fetch_followers()
        with pytest.raises(TransientError) as caught:
            c.fetch_followers()
    assert caught.value.platform_code == "quotaExceeded"
    assert fake.units_used == 3 and fake.uploads_used == 0
    assert c.rate_observations.drain() == [
        RateObservation(scope=APP, name="units_day", remaining=0, resets_at=PACIFIC_MIDNIGHT)
    ]
