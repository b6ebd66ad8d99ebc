from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import time_machine

from warta.connectors.base import (
    Account,
    AuthError,
    MediaFile,
    NotSupported,
    PermanentError,
    PublishRequest,
    TransientError,
)
from warta.connectors.fakes import Fault
from warta.connectors.ratelimits import ACCOUNT, RateObservation
from warta.connectors.telegram import TelegramConnector


@pytest.fixture
def fake(fake_platform):
    return fake_platform("telegram")


def media(tmp_path: Path, name: str = "a.jpg", kind: str = "image") -> MediaFile:
    path = tmp_path / name
    path.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    return MediaFile(path=path, mime_type="image/jpeg", kind=kind, size_bytes=103)


def test_it_sends_a_text_post_to_the_channel(fake):
    result = fake.connector().publish(PublishRequest(idempotency_key="k1", caption="Halo Bontang"))
    assert result.url == f"https://t.me/pemkotbontang/{result.platform_post_id}"
    assert fake.publish_counts["Halo Bontang"] == 1


def test_it_sends_a_photo_with_caption(fake, tmp_path):
    request = PublishRequest(idempotency_key="k1", caption="Foto", media=(media(tmp_path),))
    result = fake.connector().publish(request)
    assert "photo" in fake.posts[result.platform_post_id]
    assert fake.posts[result.platform_post_id]["caption"] == "Foto"


def test_it_sends_an_album_as_media_group_and_deletes_all_of_it(fake, tmp_path):
    files = (media(tmp_path, "a.jpg"), media(tmp_path, "b.jpg"), media(tmp_path, "c.jpg"))
    connector = fake.connector()
    result = connector.publish(PublishRequest(idempotency_key="k1", caption="Album", media=files))
    ids = result.platform_post_id.split(",")
    assert len(ids) == 3
    connector.delete(result.platform_post_id)
    assert not set(ids) & set(fake.posts)


def test_it_refuses_to_mix_documents_with_photos(fake, tmp_path):
    files = (media(tmp_path, "a.jpg"), media(tmp_path, "b.pdf", kind="document"))
    with pytest.raises(PermanentError, match="dokumen"):
        fake.connector().publish(PublishRequest(idempotency_key="k1", caption="x", media=files))
    assert fake.publish_counts.total() == 0


def test_it_maps_429_to_transient_with_retry_after(fake):
    fake.fail_next(Fault.RATE_LIMIT)
    with pytest.raises(TransientError) as caught:
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="x"))
    assert caught.value.retry_after == 5
    assert not caught.value.outcome_unknown


@pytest.mark.parametrize("kind", [Fault.EXPIRED_TOKEN, "kicked"])
def test_it_maps_a_revoked_token_or_kicked_bot_to_auth_error(fake, kind):
    fake.fail_next(kind)
    with pytest.raises(AuthError):
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="x"))


def test_it_maps_a_rejected_image_to_permanent_error(fake, tmp_path):
    fake.fail_next(Fault.INVALID_MEDIA)
    request = PublishRequest(idempotency_key="k", caption="x", media=(media(tmp_path),))
    with pytest.raises(PermanentError) as caught:
        fake.connector().publish(request)
    assert not isinstance(caught.value, AuthError)
    assert "IMAGE_PROCESS_FAILED" in caught.value.message


@pytest.mark.parametrize(
    "kind",
    [Fault.SERVER_ERROR, Fault.MALFORMED_JSON, Fault.COMMIT_THEN_TIMEOUT, Fault.CONNECTION_RESET],
)
def test_it_reports_a_lost_answer_as_outcome_unknown(fake_platform, kind):
    fake = fake_platform("telegram", hang_seconds=0.5)
    fake.fail_next(kind)
    with pytest.raises(TransientError) as caught:
        fake.connector(timeout=0.2).publish(PublishRequest(idempotency_key="k", caption="x"))
    assert caught.value.outcome_unknown


@pytest.mark.parametrize("kind", ["not_admin", "write_forbidden"])
def test_a_bot_that_lost_its_posting_rights_needs_reconnecting(fake, kind):
    # 400 "need administrator rights in the channel chat" / CHAT_WRITE_FORBIDDEN: every
    # post would fail the same way, so the channel is marked, not each post.
    fake.fail_next(kind)
    with pytest.raises(AuthError):
        fake.connector().publish(PublishRequest(idempotency_key="k", caption="x"))


def test_find_post_says_it_cannot_see_the_bots_own_posts(fake_platform):
    # Telegram sends a bot no update about its own channel posts, and the Bot API cannot
    # read a channel's history: after a lost answer nobody but a person can tell.
    fake = fake_platform("telegram", hang_seconds=0.5)
    since = datetime.now(UTC) - timedelta(seconds=1)
    request = PublishRequest(idempotency_key="k", caption="Jadwal vaksin <b>Senin</b>")
    fake.fail_next(Fault.COMMIT_THEN_TIMEOUT)
    with pytest.raises(TransientError):
        fake.connector(timeout=0.2).publish(request)
    assert len(fake.posts) == 1
    connector = fake.connector()
    assert not connector.find_post_conclusive
    with pytest.raises(NotSupported):
        connector.find_post("k", since=since, request=request)


def test_it_reads_comments_from_the_discussion_group_and_replies(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Info"))
    fake.add_comment(post.platform_post_id, "Jam berapa buka?", author="budi")
    page = connector.fetch_comments(since=None)
    assert [c.text for c in page.items] == ["Jam berapa buka?"]
    comment = page.items[0]
    assert comment.platform_post_id == post.platform_post_id
    assert comment.author_handle == "budi"
    answer = connector.reply(
        platform_item_id=comment.platform_item_id, text="Jam 8", idempotency_key="r1"
    )
    assert answer.parent_id == comment.platform_item_id
    sent = fake.comments[answer.platform_item_id.split(":")[1]]
    assert sent["reply_to_message"]["message_id"] == int(comment.platform_item_id.split(":")[1])


@pytest.mark.parametrize("privacy_mode", [True, False])
def test_it_reads_comments_when_admin_of_the_group_or_privacy_mode_is_off(fake, privacy_mode):
    fake.discussion_admin, fake.privacy_mode = privacy_mode, privacy_mode
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Info"))
    fake.add_comment(post.platform_post_id, "Jam berapa?")
    assert [c.text for c in connector.fetch_comments(since=None).items] == ["Jam berapa?"]


def test_it_tells_the_officer_why_no_comments_arrive(fake):
    # https://core.telegram.org/bots/features#privacy-mode
    fake.discussion_admin = False  # privacy mode is on by default
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Info"))
    fake.add_comment(post.platform_post_id, "Jam berapa?")
    with pytest.raises(PermanentError, match="admin") as caught:
        connector.fetch_comments(since=None)
    assert "privacy" in caught.value.message and not isinstance(caught.value, AuthError)


def test_it_skips_comments_before_since(fake):
    connector = fake.connector()
    post = connector.publish(PublishRequest(idempotency_key="k", caption="Info"))
    fake.add_comment(post.platform_post_id, "lama")
    assert connector.fetch_comments(since=datetime.now(UTC) + timedelta(minutes=5)).items == []


def test_it_counts_channel_members_and_offers_no_metrics_or_refresh(fake):
    connector = fake.connector()
    assert connector.fetch_followers() == 1520
    with pytest.raises(NotSupported):
        connector.fetch_metrics(["1"])
    with pytest.raises(NotSupported):
        connector.refresh_token()


def test_it_validates_bot_and_channel(fake):
    info = fake.connector().validate()
    assert info["chat"]["username"] == "pemkotbontang"
    with pytest.raises(AuthError):
        fake.connector(external_id="-100999").validate()


def test_it_keeps_the_bot_token_out_of_errors_and_reprs(fake, settings):
    fake.stop()  # nothing listens any more: a connection error
    settings.WARTA_CONNECTOR_BASE_URLS = {"telegram": "http://127.0.0.1:9"}  # a sandbox root
    account = Account(
        platform="telegram",
        external_id="-100",
        handle="x",
        credentials={"bot_token": "123:SECRET"},
        base_url="http://127.0.0.1:9",
    )
    with pytest.raises(TransientError) as caught:
        TelegramConnector(account).publish(PublishRequest(idempotency_key="k", caption="x"))
    assert "SECRET" not in str(caught.value) and "SECRET" not in repr(account)
    assert caught.value.__suppress_context__


START = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def test_the_21st_post_in_a_minute_to_the_channel_is_refused_as_documented(fake):
    # "no more than 20 messages per minute to the same group"; the answer is 429 with
    # parameters.retry_after, https://core.telegram.org/bots/faq and
    # https://core.telegram.org/bots/api#responseparameters
    with time_machine.travel(START, tick=False) as traveller:
        c = fake.connector()
        for n in range(20):
            c.publish(PublishRequest(idempotency_key=str(n), caption=f"Kabar {n}"))
        traveller.shift(timedelta(seconds=30))
        with pytest.raises(TransientError) as caught:
            c.publish(PublishRequest(idempotency_key="21", caption="Kabar 21"))
        assert caught.value.retry_after == 30
        assert caught.value.platform_code == "429"
        assert "Telegram membatasi laju" in caught.value.message
        assert c.rate_observations.drain() == [
            RateObservation(
                scope=ACCOUNT, name="posts_1m", remaining=0, resets_at=START + timedelta(seconds=60)
            )
        ]
        raw = httpx.post(
            f"{fake.base_url}/bot{fake.access_token}/sendMessage",
            json={"chat_id": fake.external_id, "text": "Kabar 22"},
        )
        assert raw.status_code == 429
        assert raw.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 30",
            "parameters": {"retry_after": 30},
        }
        traveller.move_to(START + timedelta(seconds=60))
        c.publish(PublishRequest(idempotency_key="21", caption="Kabar 21"))
    assert fake.publish_counts["Kabar 21"] == 1 and fake.throttled == 2


def test_the_bot_sends_at_most_30_messages_a_second_over_all_its_chats(fake):
    with time_machine.travel(START, tick=False):
        c = fake.connector()
        for n in range(20):
            c.publish(PublishRequest(idempotency_key=str(n), caption=f"Kabar {n}"))
        group = fake.connector(external_id=fake.discussion_chat_id)
        for n in range(10):
            group.publish(PublishRequest(idempotency_key=f"g{n}", caption=f"Diskusi {n}"))
        with pytest.raises(TransientError) as caught:
            group.publish(PublishRequest(idempotency_key="g10", caption="Diskusi 10"))
    assert caught.value.retry_after == 1  # the group's own minute still has room
    # 20 posts in the channel and 10 messages in its discussion group went through.
    assert fake.publish_counts.total() == 20 and len(fake.comments) == 10


def test_an_album_counts_as_the_messages_it_sends(fake, tmp_path):
    files = tuple(media(tmp_path, f"{i}.jpg") for i in range(10))
    with time_machine.travel(START, tick=False):
        c = fake.connector()
        c.publish(PublishRequest(idempotency_key="a", caption="Album 1", media=files))
        c.publish(PublishRequest(idempotency_key="b", caption="Album 2", media=files))
        with pytest.raises(TransientError):
            c.publish(PublishRequest(idempotency_key="c", caption="Teks"))
    assert fake.publish_counts["Teks"] == 0
