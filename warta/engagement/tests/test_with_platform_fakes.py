"""End to end with a real connector against the connectors' local fake platform server."""

import uuid

from django.test import Client

from warta.channels.models import Channel
from warta.channels.services import channel_set_credentials
from warta.connectors.base import PublishRequest
from warta.engagement.ingest import channel_sync_comments
from warta.engagement.models import InboxItem, Reply
from warta.testing.fixtures import World


def test_it_syncs_mentions_and_replies_once_through_mastodon(
    world: World,
    fake_platform,
    alice_client: Client,
    commit,  # type: ignore[no-untyped-def]
) -> None:
    fake = fake_platform("mastodon")
    channel = Channel.objects.create(
        agency=world.agency_a,
        platform="mastodon",
        handle=fake.handle,
        external_id=fake.external_id,
        mode="api",
    )
    channel_set_credentials(
        channel=channel,
        actor=world.alice,
        credentials=fake.credentials(),
    )
    post = fake.connector().publish(PublishRequest(idempotency_key="p", caption="Jadwal vaksin"))
    fake.add_comment(post.platform_post_id, "Kapan vaksin dibuka? <b>penting</b>")
    fake.add_comment(post.platform_post_id, "Terima kasih infonya")

    assert channel_sync_comments(channel_id=channel.pk) == 2
    assert channel_sync_comments(channel_id=channel.pk) == 0  # idempotent
    question = InboxItem.objects.get(channel=channel, intent="question")
    assert question.agency == world.agency_a and question.response_due_at is not None

    key = str(uuid.uuid4())
    for _ in range(2):  # a double submit
        with commit(execute=True):
            alice_client.post(
                f"/interaksi/kotak-masuk/{question.pk}/balas/",
                {"text": "Mulai Senin di puskesmas.", "key": key},
            )
    reply = Reply.objects.get()
    assert reply.status == Reply.Status.SENT, reply.error
    answers = [
        c for c in fake.comments.values() if c["in_reply_to_id"] == question.platform_item_id
    ]
    assert len(answers) == 1 and "Mulai Senin" in answers[0]["content"]
    assert fake.idempotency[key] == answers[0]["id"]
    question.refresh_from_db()
    assert question.first_response_at is not None


def test_it_annotates_with_the_real_language_engine(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from warta.engagement import annotation
    from warta.engagement.ingest import inbox_ingest
    from warta.engagement.tests.fakes import REAL_LANGUAGE_API, comment

    monkeypatch.setattr(annotation, "_language_api", REAL_LANGUAGE_API)
    hostile = "<script>alert(1)</script> \u202e{{ x }} " + "z" * 100_000
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment("q1", "Min, kapan jadwal vaksin anak dibuka?"),
            comment("h1", hostile),
            comment("e1", ""),
        ],
    )
    question = InboxItem.objects.get(platform_item_id="q1")
    assert question.intent in {"question", "information_request"}
    assert question.response_due_at is not None  # it asks for an answer
    assert InboxItem.objects.get(platform_item_id="h1").text == hostile
    assert InboxItem.objects.filter(annotated_at__isnull=False).count() == 3


def test_the_channel_page_says_why_no_telegram_comments_arrive(
    world: World,
    fake_platform,
    alice_client: Client,
) -> None:
    # A bot sees a discussion group only as its admin or with privacy mode off
    # (https://core.telegram.org/bots/features#privacy-mode): say so, do not sync silence.
    fake = fake_platform("telegram")
    fake.discussion_admin = False
    channel = Channel.objects.create(
        agency=world.agency_a,
        platform="telegram",
        handle=fake.handle,
        external_id=fake.external_id,
        mode="api",
    )
    channel_set_credentials(channel=channel, actor=world.alice, credentials=fake.credentials())
    post = fake.connector().publish(PublishRequest(idempotency_key="p", caption="Info"))
    fake.add_comment(post.platform_post_id, "Jam berapa?")
    assert channel_sync_comments(channel_id=channel.pk) == 0
    page = alice_client.get(f"/kanal/{channel.pk}/").content.decode()
    assert "privacy mode" in page and "admin grup" in page

    fake.discussion_admin = True  # the officer made the bot an admin there
    assert channel_sync_comments(channel_id=channel.pk) == 1
    channel.refresh_from_db()
    assert channel.last_error == "" and channel.last_sync_at is not None
