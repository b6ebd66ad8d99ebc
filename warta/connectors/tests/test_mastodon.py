from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warta.connectors.base import (
    AuthError,
    MediaFile,
    NotSupported,
    PermanentError,
    PublishRequest,
    TransientError,
)
from warta.connectors.fakes import Fault


@pytest.fixture
def fake(fake_platform):
    return fake_platform("mastodon")


def video(tmp_path: Path) -> MediaFile:
    path = tmp_path / "v.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"0" * 200)
    return MediaFile(
        path=path, mime_type="video/mp4", kind="video", size_bytes=212, alt_text="Video"
    )


def test_it_publishes_with_a_video_that_finishes_processing_later(fake, tmp_path):
    result = fake.connector().publish(
        PublishRequest(idempotency_key="k1", caption="Banjir surut", media=(video(tmp_path),))
    )
    status = fake.posts[result.platform_post_id]
    assert status["media_attachments"][0]["description"] == "Video"
    assert result.url.endswith(result.platform_post_id)
    assert fake.video_processing_polls == 2
    assert sum(1 for m, p in fake.request_log if p.startswith("/api/v1/media/")) == 3


def test_it_sends_the_idempotency_key_so_a_retry_makes_no_second_post(fake):
    connector = fake.connector()
    request = PublishRequest(idempotency_key="variant-7", caption="Sekali saja")
    first = connector.publish(request)
    second = connector.publish(request)
    assert first.platform_post_id == second.platform_post_id
    assert fake.publish_counts["Sekali saja"] == 1
    assert connector.publish_idempotent


def test_it_adds_the_first_comment_as_a_reply(fake):
    result = fake.connector().publish(
        PublishRequest(idempotency_key="k", caption="Pos", first_comment="Info lanjut: 112")
    )
    replies = [c for c in fake.comments.values() if c["in_reply_to_id"] == result.platform_post_id]
    assert len(replies) == 1


def test_it_maps_errors(fake):
    connector = fake.connector()
    request = PublishRequest(idempotency_key="k", caption="x")
    fake.fail_next(Fault.RATE_LIMIT)
    with pytest.raises(TransientError) as caught:
        connector.publish(request)
    assert 5 <= caught.value.retry_after <= 7
    fake.fail_next(Fault.EXPIRED_TOKEN)
    with pytest.raises(AuthError):
        connector.publish(request)
    fake.fail_next(Fault.SERVER_ERROR)
    with pytest.raises(TransientError):
        connector.publish(request)
    with pytest.raises(PermanentError, match="500"):
        connector.publish(PublishRequest(idempotency_key="k2", caption="a" * 501))
    assert fake.publish_counts.total() == 0


def test_it_maps_rejected_media_to_permanent_error(fake, tmp_path):
    fake.fail_next(Fault.INVALID_MEDIA, path="/api/v2/media")
    with pytest.raises(PermanentError, match="content type"):
        fake.connector().publish(
            PublishRequest(idempotency_key="k", caption="x", media=(video(tmp_path),))
        )


def test_it_finds_the_post_after_a_crash(fake_platform):
    fake = fake_platform("mastodon", hang_seconds=0.4)
    since = datetime.now(UTC) - timedelta(seconds=1)
    connector = fake.connector()
    for n in range(45):  # more than one page of the account's statuses
        connector.publish(PublishRequest(idempotency_key=f"o{n}", caption=f"Lama {n}"))
    request = PublishRequest(idempotency_key="k", caption="Rapat & <koordinasi>")
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT)
    with pytest.raises(TransientError) as caught:
        fake.connector(timeout=0.2).publish(request)
    assert caught.value.outcome_unknown
    connector = fake.connector()
    found = connector.find_post("k", since=since, request=request)
    assert found is not None and found.caption == "Rapat & <koordinasi>"
    assert (
        connector.find_post(
            "k", since=since, request=PublishRequest(idempotency_key="z", caption="Lama 0")
        )
        is not None
    )
    assert (
        connector.find_post(
            "x", since=since, request=PublishRequest(idempotency_key="x", caption="Tidak ada")
        )
        is None
    )


def test_it_fetches_deletes_and_reports_a_deleted_post(fake):
    connector = fake.connector()
    result = connector.publish(PublishRequest(idempotency_key="k", caption="Hapus aku"))
    assert connector.fetch_post(result.platform_post_id).caption == "Hapus aku"
    connector.delete(result.platform_post_id)
    connector.delete(result.platform_post_id)  # twice is fine
    assert connector.fetch_post(result.platform_post_id).deleted


def test_it_pages_through_mentions_since_a_time_and_replies(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    for n in range(45):
        fake.add_comment(post.platform_post_id, f"komentar {n}")
    first = connector.fetch_comments(since=None)
    assert len(first.items) == 40 and first.cursor
    second = connector.fetch_comments(since=None, cursor=first.cursor)
    assert len(second.items) == 5 and second.cursor == ""
    assert first.items[0].text == "@bontang komentar 44"
    assert first.items[0].platform_post_id == post.platform_post_id
    later = connector.fetch_comments(since=datetime.now(UTC) + timedelta(minutes=1))
    assert later.items == [] and later.cursor == ""
    answer = connector.reply(
        platform_item_id=first.items[0].platform_item_id, text="Terima kasih", idempotency_key="r1"
    )
    assert answer.text == "@warga@mastodon.example Terima kasih"
    again = connector.reply(
        platform_item_id=first.items[0].platform_item_id, text="Terima kasih", idempotency_key="r1"
    )
    assert again.platform_item_id == answer.platform_item_id


def test_it_reads_metrics_and_followers(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Pos"))
    fake.posts[post.platform_post_id].update(favourites_count=9, reblogs_count=3, replies_count=2)
    [metrics] = connector.fetch_metrics([post.platform_post_id, "404404"])
    assert (metrics.likes, metrics.shares, metrics.comments) == (9, 3, 2)
    assert connector.fetch_followers() == 830
    with pytest.raises(NotSupported):
        connector.refresh_token()
