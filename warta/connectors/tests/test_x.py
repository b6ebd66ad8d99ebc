from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from warta.connectors.base import (
    AuthError,
    MediaFile,
    PermanentError,
    PostSearchIncomplete,
    PublishRequest,
    TransientError,
)
from warta.connectors.fakes import Fault
from warta.connectors.oauth import authorization_start, exchange_code


@pytest.fixture
def fake(fake_platform):
    return fake_platform("x")


def image(tmp_path, name="a.png", kind="image", mime="image/png", size=100) -> MediaFile:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG" + b"0" * size)
    return MediaFile(
        path=path, mime_type=mime, kind=kind, size_bytes=size + 4, alt_text="Peta banjir"
    )


def test_it_posts_with_an_image_and_a_video_after_upload(fake, tmp_path):
    request = PublishRequest(
        idempotency_key="k",
        caption="Peta dan video",
        media=(image(tmp_path), image(tmp_path, "v.mp4", "video", "video/mp4")),
    )
    result = fake.connector().publish(request)
    assert result.url == f"https://x.com/pemkotbontang/status/{result.platform_post_id}"
    keys = fake.posts[result.platform_post_id]["attachments"]["media_keys"]
    assert len(keys) == 2
    assert [m["alt"] for m in fake.media.values()] == ["Peta banjir", ""]
    assert ("GET", "/2/media/upload") in fake.request_log  # the video was polled


def test_it_maps_duplicate_content_to_a_permanent_error(fake):
    connector = fake.connector()
    connector.publish(PublishRequest(idempotency_key="k1", caption="Sama"))
    with pytest.raises(PermanentError) as caught:
        connector.publish(PublishRequest(idempotency_key="k2", caption="Sama"))
    assert caught.value.platform_code == "duplicate"
    assert fake.publish_counts["Sama"] == 1


def test_it_maps_429_with_the_rate_limit_reset(fake):
    fake.fail_next(Fault.RATE_LIMIT, path="POST /2/tweets")
    with pytest.raises(TransientError) as caught:
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="x"))
    assert 5 <= caught.value.retry_after <= 7


def test_it_maps_401_and_rejected_media(fake, tmp_path):
    fake.expire_token()
    with pytest.raises(AuthError):
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="x"))
    fresh = fake.issue_token()[0]
    fake.fail_next(Fault.INVALID_MEDIA, path="POST /2/tweets")
    with pytest.raises(PermanentError, match="media"):
        fake.connector(credentials={"access_token": fresh}).publish(
            PublishRequest(idempotency_key="k", caption="x", media=(image(tmp_path),))
        )


def test_it_treats_a_timeout_in_upload_as_safe_and_in_the_post_as_unknown(fake_platform, tmp_path):
    fake = fake_platform("x", hang_seconds=0.4)
    fake.fail_next(Fault.TIMEOUT, path="POST /2/media/upload/initialize")
    with pytest.raises(TransientError) as caught:
        fake.connector(timeout=0.2).publish(
            PublishRequest(idempotency_key="k", caption="x", media=(image(tmp_path),))
        )
    assert not caught.value.outcome_unknown
    assert fake.publish_counts.total() == 0
    fake.fail_next(Fault.TIMEOUT, path="POST /2/tweets")
    with pytest.raises(TransientError) as caught:
        fake.connector(timeout=0.2).publish(PublishRequest(idempotency_key="k", caption="y"))
    assert caught.value.outcome_unknown


def test_it_finds_a_post_with_a_shortened_link_after_a_crash(fake_platform):
    fake = fake_platform("x", hang_seconds=0.4)
    since = datetime.now(UTC)
    request = PublishRequest(
        idempotency_key="k", caption="Daftar di https://bontangkota.go.id/daftar ya"
    )
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT, path="POST /2/tweets")
    with pytest.raises(TransientError):
        fake.connector(timeout=0.2).publish(request)
    [post] = fake.posts.values()
    post["text"] = "Daftar di https://t.co/AbC123 ya"  # X shortens links
    found = fake.connector().find_post("k", since=since, request=request)
    assert found is not None and found.platform_post_id == post["id"]
    assert (
        fake.connector().find_post(
            "k", since=since, request=PublishRequest(idempotency_key="z", caption="lain")
        )
        is None
    )


def test_it_reports_a_deleted_post(fake):
    connector = fake.connector()
    result = connector.publish(PublishRequest(idempotency_key="k", caption="hapus"))
    assert connector.fetch_post(result.platform_post_id).caption == "hapus"
    connector.delete(result.platform_post_id)
    assert connector.fetch_post(result.platform_post_id).deleted


def test_it_refreshes_and_the_old_refresh_token_dies(fake):
    connector = fake.connector()
    tokens = connector.refresh_token()
    assert tokens.access_token in fake.valid_tokens and tokens.refresh_token == fake.refresh_token
    assert tokens.expires_at > datetime.now(UTC) + timedelta(minutes=100)
    with pytest.raises(AuthError):
        connector.refresh_token()  # rotated: the one we sent is spent


def test_it_pages_mentions_replies_and_hides(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    for n in range(150):
        fake.add_comment(post.platform_post_id, f"tanya {n}")
    first = connector.fetch_comments(since=None)
    second = connector.fetch_comments(since=None, cursor=first.cursor)
    assert len(first.items) == 100 and len(second.items) == 50 and not second.cursor
    comment = first.items[0]
    assert (
        comment.platform_post_id == post.platform_post_id
        and comment.author_handle == "warga_bontang"
    )
    assert connector.fetch_comments(since=datetime.now(UTC) + timedelta(minutes=5)).items == []
    answer = connector.reply(
        platform_item_id=comment.platform_item_id, text="Sudah dijawab", idempotency_key="r"
    )
    assert (
        fake.comments[answer.platform_item_id]["referenced_tweets"][0]["id"]
        == comment.platform_item_id
    )
    connector.hide_comment(comment.platform_item_id)
    assert fake.hidden[comment.platform_item_id] is True


def test_it_reads_public_metrics_and_followers(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    fake.posts[post.platform_post_id]["public_metrics"].update(
        like_count=5, retweet_count=2, quote_count=1, impression_count=900
    )
    [m] = connector.fetch_metrics([post.platform_post_id])
    assert (m.likes, m.shares, m.impressions) == (5, 3, 900)
    assert connector.fetch_followers() == 12000


def test_it_connects_an_account_with_pkce(fake):
    start = authorization_start("x", redirect_uri="https://warta.example/cb", client_id="cid")
    assert "code_challenge_method=S256" in start.url and start.state in start.url
    assert "offline.access" in start.url and len(start.code_verifier) >= 43
    [account] = exchange_code(
        "x",
        code="good-code",
        redirect_uri="https://warta.example/cb",
        code_verifier=start.code_verifier,
        client_id="cid",
        client_secret="s",
        base_url=fake.base_url,
    )
    assert (
        account.handle == "pemkotbontang"
        and account.credentials["refresh_token"] == fake.refresh_token
    )
    with pytest.raises(AuthError):
        exchange_code(
            "x",
            code="bad",
            redirect_uri="https://warta.example/cb",
            client_id="cid",
            base_url=fake.base_url,
        )


def test_it_gives_up_rather_than_guess_when_too_many_posts_to_search(fake, monkeypatch):
    connector = fake.connector()
    since = datetime.now(UTC) - timedelta(seconds=1)
    for n in range(250):
        connector.publish(PublishRequest(idempotency_key=str(n), caption=f"Pos {n}"))
    monkeypatch.setattr("warta.connectors.x.connector.FIND_MAX_PAGES", 2)
    with pytest.raises(PostSearchIncomplete):
        connector.find_post(
            "k", since=since, request=PublishRequest(idempotency_key="k", caption="Pos 0")
        )
    monkeypatch.setattr("warta.connectors.x.connector.FIND_MAX_PAGES", 3)
    assert connector.find_post(
        "k", since=since, request=PublishRequest(idempotency_key="k", caption="Pos 0")
    )


@pytest.mark.parametrize("kind", ["daily_limit", "app_daily_limit"])
def test_the_24_hour_cap_holds_posts_until_it_resets(fake, kind):
    # https://docs.x.com/x-api/fundamentals/rate-limits: x-user-limit-24hour-* headers
    reset = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)
    fake.daily_reset = int(reset.timestamp())
    fake.fail_next(kind, path="POST /2/tweets")
    with (
        time_machine.travel(datetime(2026, 12, 2, 0, 0, tzinfo=UTC), tick=False),
        pytest.raises(TransientError) as caught,
    ):
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="Pos"))
    assert caught.value.retry_after == 20 * 3600
    assert caught.value.platform_code == "daily_limit"
    assert "UTC" not in caught.value.message  # the publisher tells the time in the local zone
    assert "harian" in caught.value.message and not caught.value.outcome_unknown


def test_the_fake_answers_only_the_fields_asked_for_and_refuses_unknown_ones(fake):
    # https://docs.x.com/x-api/fundamentals/fields
    post = fake.connector().publish(PublishRequest(idempotency_key="k", caption="Pos"))
    headers = {"Authorization": f"Bearer {fake.access_token}"}
    plain = httpx.get(f"{fake.base_url}/2/tweets/{post.platform_post_id}", headers=headers)
    assert set(plain.json()["data"]) == {"id", "text", "edit_history_tweet_ids"}
    assert int(plain.headers["x-rate-limit-remaining"]) < int(plain.headers["x-rate-limit-limit"])
    unknown = httpx.get(
        f"{fake.base_url}/2/tweets/{post.platform_post_id}",
        params={"tweet.fields": "views"},
        headers=headers,
    )
    assert unknown.status_code == 400 and unknown.json()["title"] == "Invalid Request"


def test_a_spent_15_minute_window_is_retried_at_its_reset(fake):
    fake.window_limit = 1
    connector = fake.connector()
    connector.fetch_followers()
    with pytest.raises(TransientError) as caught:
        connector.fetch_followers()
    assert 800 < caught.value.retry_after <= 900


def test_a_server_error_is_not_held_until_the_rate_window_resets(fake):
    # Every X answer carries x-rate-limit-reset; with room left in the window it is no wait.
    fake.fail_next(Fault.SERVER_ERROR, path="POST /2/tweets")
    with pytest.raises(TransientError) as caught:
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="Pos"))
    assert caught.value.retry_after is None
