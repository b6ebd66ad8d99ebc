from datetime import UTC, datetime, timedelta

import pytest

from warta.connectors.base import (
    AuthError,
    MediaFile,
    PermanentError,
    PublishRequest,
    TransientError,
)
from warta.connectors.fakes import Fault
from warta.connectors.oauth import authorization_start, exchange_code


@pytest.fixture
def fake(fake_platform):
    return fake_platform("threads")


def media(tmp_path, name="a.jpg", kind="image", mime="image/jpeg") -> MediaFile:
    path = tmp_path / name
    path.write_bytes(b"0" * 100)
    return MediaFile(
        path=path,
        mime_type=mime,
        kind=kind,
        size_bytes=100,
        url=f"https://warta.example/media/{name}",
    )


def test_it_publishes_text_image_video_and_a_carousel(fake, tmp_path):
    # https://developers.facebook.com/docs/threads/posts/
    connector = fake.connector()
    text = connector.publish(PublishRequest(idempotency_key="1", caption="Info banjir"))
    assert text.url == f"https://www.threads.com/@pemkotbontang/post/C{text.platform_post_id}"
    image = connector.publish(
        PublishRequest(idempotency_key="2", caption="Foto", media=(media(tmp_path),))
    )
    fake.container_polls = 2
    video = connector.publish(
        PublishRequest(
            idempotency_key="3",
            caption="Video",
            media=(media(tmp_path, "v.mp4", "video", "video/mp4"),),
        )
    )
    carousel = connector.publish(
        PublishRequest(
            idempotency_key="4",
            caption="Album",
            media=(media(tmp_path), media(tmp_path, "b.jpg")),
        )
    )
    kinds = [fake.posts[r.platform_post_id]["media_type"] for r in (text, image, video, carousel)]
    assert kinds == ["TEXT_POST", "IMAGE", "VIDEO", "CAROUSEL_ALBUM"]
    assert fake.publish_counts.total() == 4 and not fake.duplicates()


def test_it_refuses_what_threads_refuses_before_posting(fake, tmp_path):
    connector = fake.connector()
    with pytest.raises(PermanentError, match="500"):
        connector.publish(PublishRequest(idempotency_key="k", caption="x" * 501))
    local = MediaFile(path=tmp_path / "x.jpg", mime_type="image/jpeg", kind="image", size_bytes=1)
    with pytest.raises(PermanentError, match="https"):
        connector.publish(PublishRequest(idempotency_key="k", caption="x", media=(local,)))
    fake.fail_container = True
    with pytest.raises(PermanentError, match="Media download has failed"):
        connector.publish(
            PublishRequest(idempotency_key="k", caption="x", media=(media(tmp_path),))
        )
    assert fake.publish_counts.total() == 0


def test_a_spent_250_post_quota_holds_the_post(fake):
    # https://developers.facebook.com/docs/threads/overview/: 250 posts per 24 hours
    fake.quota_total = 2
    connector = fake.connector()
    for n in range(2):
        connector.publish(PublishRequest(idempotency_key=str(n), caption=f"Pos {n}"))
    with pytest.raises(TransientError) as caught:
        connector.publish(PublishRequest(idempotency_key="3", caption="Pos 3"))
    assert caught.value.platform_code == "daily_limit" and caught.value.retry_after
    assert "2 postingan per 24 jam" in caught.value.message
    assert fake.publish_counts.total() == 2


def test_it_finds_a_post_whose_answer_was_lost(fake_platform):
    fake = fake_platform("threads", hang_seconds=0.4)
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(idempotency_key="k", caption="Pengumuman CPNS")
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT, path=f"POST /{fake.external_id}/threads_publish")
    with pytest.raises(TransientError) as caught:
        fake.connector(timeout=0.2).publish(request)
    assert caught.value.outcome_unknown
    connector = fake.connector()
    for n in range(130):  # more than one time-based page
        connector.publish(PublishRequest(idempotency_key=f"o{n}", caption=f"Lain {n}"))
    found = connector.find_post("k", since=since, request=request)
    assert found is not None and fake.posts[found.platform_post_id]["text"] == "Pengumuman CPNS"
    connector.delete(found.platform_post_id)
    assert connector.fetch_post(found.platform_post_id).deleted
    assert connector.find_post("k", since=since, request=request) is None


def test_it_reads_replies_answers_and_hides_within_the_reply_quota(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    comment = fake.add_comment(post.platform_post_id, "Kapan dibuka?")
    page = connector.fetch_comments(since=datetime.now(UTC) - timedelta(hours=1))
    assert [(c.text, c.kind) for c in page.items] == [("Kapan dibuka?", "comment")]
    answer = connector.reply(platform_item_id=comment["id"], text="Senin", idempotency_key="r")
    assert fake.comments[answer.platform_item_id]["replied_to"] == {"id": comment["id"]}
    again = connector.fetch_comments(since=None)
    assert [(c.text, c.parent_id) for c in again.items] == [
        ("Kapan dibuka?", ""),
        ("Senin", comment["id"]),
    ]
    connector.hide_comment(comment["id"])
    assert fake.comments[comment["id"]]["hide_status"] == "HIDDEN"
    fake.reply_quota_total = 1
    with pytest.raises(TransientError, match="balasan"):
        connector.reply(platform_item_id=comment["id"], text="Lagi", idempotency_key="r2")


def test_it_reads_insights_and_followers_and_refreshes_the_token(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    fake.posts[post.platform_post_id]["stats"].update(
        views=800, likes=12, replies=3, reposts=2, quotes=1
    )
    [m] = connector.fetch_metrics([post.platform_post_id, "404"])
    assert (m.views, m.likes, m.comments, m.shares) == (800, 12, 3, 3)
    assert connector.fetch_followers() == 3100
    tokens = connector.refresh_token()
    assert tokens.access_token in fake.valid_tokens and tokens.expires_at
    fake.expire_token()
    with pytest.raises(AuthError):
        fake.connector().publish(PublishRequest(idempotency_key="x", caption="x"))


def test_it_connects_a_profile_with_a_long_lived_token(fake):
    start = authorization_start("threads", redirect_uri="https://warta.example/cb", client_id="a")
    assert start.url.startswith("https://threads.net/oauth/authorize?")
    assert "threads_content_publish" in start.url and start.state in start.url
    [profile] = exchange_code(
        "threads",
        code="good-code",
        redirect_uri="https://warta.example/cb",
        client_id="client-id",
        client_secret="client-secret",
        base_url=fake.base_url,
    )
    assert (profile.external_id, profile.handle, profile.followers) == (
        fake.external_id,
        "pemkotbontang",
        3100,
    )
    assert profile.credentials["access_token"] in fake.valid_tokens
    assert profile.token_expires_at > datetime.now(UTC) + timedelta(days=59)
    with pytest.raises(PermanentError):
        exchange_code(
            "threads",
            code="bad",
            redirect_uri="https://warta.example/cb",
            client_id="client-id",
            client_secret="client-secret",
            base_url=fake.base_url,
        )
