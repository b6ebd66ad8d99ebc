"""Replies go out through the connector exactly once; hiding and deleting follow the rules."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from warta.connectors.base import PermanentError, TransientError
from warta.engagement.ingest import inbox_ingest
from warta.engagement.models import InboxItem, Reply
from warta.engagement.services import (
    inbox_item_hide,
    replies_retry_due,
    reply_create,
    reply_send,
)
from warta.engagement.tests.fakes import FakePlatform, comment
from warta.testing.fixtures import World

# Replies are enqueued when the transaction commits; tests run inside one, so each sending
# step runs under django_capture_on_commit_callbacks(execute=True) ("commit").


@pytest.fixture
def item(world: World) -> InboxItem:
    inbox_ingest(channel=world.channel_a, comments=[comment("c1", "Kapan vaksin dibuka?")])
    return InboxItem.objects.get()


def test_it_sends_a_reply_and_records_the_first_response(
    item: InboxItem, alice_client: Client, inbox_platform: FakePlatform, commit
) -> None:
    key = str(uuid.uuid4())
    with commit(execute=True):
        alice_client.post(
            f"/interaksi/kotak-masuk/{item.pk}/balas/", {"text": "Senin depan.", "key": key}
        )
    reply = Reply.objects.get()
    assert reply.status == Reply.Status.SENT and reply.platform_reply_id == "r-1"
    assert str(reply.idempotency_key) == key and key in inbox_platform.replies
    item.refresh_from_db()
    assert item.first_response_at is not None


def test_it_never_sends_a_double_submitted_reply_twice(
    item: InboxItem, alice_client: Client, inbox_platform: FakePlatform, commit
) -> None:
    key = str(uuid.uuid4())
    for _ in range(3):
        with commit(execute=True):
            alice_client.post(
                f"/interaksi/kotak-masuk/{item.pk}/balas/", {"text": "Senin.", "key": key}
            )
    assert Reply.objects.count() == 1
    assert inbox_platform.reply_calls == 1
    # Sending a reply that was already sent does nothing.
    reply_send(reply_id=Reply.objects.get().pk)
    assert inbox_platform.reply_calls == 1


def test_it_retries_a_passing_failure_with_the_same_key(
    world: World, item: InboxItem, inbox_platform: FakePlatform, commit
) -> None:
    inbox_platform.reply_failures = [TransientError("timeout")]
    with commit(execute=True):
        reply = reply_create(item=item, text="Senin.", actor=world.alice)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.PENDING and reply.error == "timeout"
    Reply.objects.filter(pk=reply.pk).update(updated_at=reply.updated_at.replace(year=2020))
    assert replies_retry_due() == 1
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT
    assert inbox_platform.reply_calls == 2 and len(inbox_platform.replies) == 1


def test_it_resends_a_reply_a_dead_worker_left_without_a_second_copy(
    world: World, item: InboxItem, inbox_platform: FakePlatform
) -> None:
    reply = reply_create(item=item, text="Senin.", actor=world.alice)
    # The platform took it, but the worker died before recording that.
    inbox_platform.replies[str(reply.idempotency_key)] = comment("r-1", "Senin.", kind="reply")
    Reply.objects.filter(pk=reply.pk).update(
        status=Reply.Status.SENDING, updated_at=reply.updated_at.replace(year=2020)
    )
    replies_retry_due()
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT
    assert len(inbox_platform.replies) == 1  # the platform saw the same key: one reply


def test_it_shows_a_permanent_failure_and_lets_the_officer_retry(
    item: InboxItem,
    alice_client: Client,
    bob_client: Client,
    inbox_platform: FakePlatform,
    commit,
) -> None:
    inbox_platform.reply_failures = [PermanentError("komentar sudah dihapus")]
    with commit(execute=True):
        alice_client.post(
            f"/interaksi/kotak-masuk/{item.pk}/balas/", {"text": "Senin.", "key": str(uuid.uuid4())}
        )
    reply = Reply.objects.get()
    assert reply.status == Reply.Status.FAILED
    assert (
        "komentar sudah dihapus"
        in alice_client.get(f"/interaksi/kotak-masuk/{item.pk}/").content.decode()
    )
    assert bob_client.post(f"/interaksi/kotak-masuk/balasan/{reply.pk}/ulang/").status_code == 404
    with commit(execute=True):
        alice_client.post(f"/interaksi/kotak-masuk/balasan/{reply.pk}/ulang/")
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT


def test_it_refuses_empty_overlong_and_borrowed_replies(
    world: World, item: InboxItem, inbox_platform: FakePlatform
) -> None:
    with pytest.raises(ValidationError):
        reply_create(item=item, text="   ", actor=world.alice)
    with pytest.raises(ValidationError):
        reply_create(item=item, text="x" * 5000, actor=world.alice)
    with pytest.raises(ValidationError):
        reply_create(item=item, text="Halo", actor=world.bob)
    with pytest.raises(ValidationError):
        reply_create(item=item, text="Halo", actor=world.hana)
    inbox_ingest(channel=world.channel_a, comments=[comment("c2", "Lain")])
    other = InboxItem.objects.get(platform_item_id="c2")
    key = uuid.uuid4()
    reply_create(item=item, text="Halo", actor=world.alice, idempotency_key=key)
    with pytest.raises(ValidationError):
        reply_create(item=other, text="Halo", actor=world.alice, idempotency_key=key)
    assert Reply.objects.count() == 1


def test_it_asks_to_answer_on_the_platform_for_channels_without_api(
    world: World, item: InboxItem, alice_client: Client, inbox_platform: FakePlatform
) -> None:
    world.channel_a.mode = "export"
    world.channel_a.save()
    alice_client.post(
        f"/interaksi/kotak-masuk/{item.pk}/balas/", {"text": "Senin.", "key": str(uuid.uuid4())}
    )
    assert not Reply.objects.exists()
    alice_client.post(f"/interaksi/kotak-masuk/{item.pk}/ditanggapi/")
    item.refresh_from_db()
    assert item.first_response_at is not None


def test_it_hides_abuse_but_never_mere_criticism(
    world: World, alice_client: Client, inbox_platform: FakePlatform
) -> None:
    inbox_ingest(
        channel=world.channel_a,
        comments=[
            comment("c1", "Pelayanan lambat, kecewa"),
            comment("c2", "Dasar bodoh"),
        ],
    )
    criticism = InboxItem.objects.get(platform_item_id="c1")
    abuse = InboxItem.objects.get(platform_item_id="c2")
    with pytest.raises(ValidationError, match="moderasi"):
        inbox_item_hide(item=criticism, actor=world.alice)
    alice_client.post(f"/interaksi/kotak-masuk/{abuse.pk}/sembunyikan/")
    abuse.refresh_from_db()
    assert abuse.hidden_on_platform and abuse.status == InboxItem.Status.HIDDEN
    assert inbox_platform.hidden == {"c2": True}
    alice_client.post(f"/interaksi/kotak-masuk/{abuse.pk}/sembunyikan/", {"hidden": "0"})
    abuse.refresh_from_db()
    assert not abuse.hidden_on_platform and abuse.status == InboxItem.Status.NEW
    # Deleting is for spam only.
    alice_client.post(f"/interaksi/kotak-masuk/{abuse.pk}/hapus/")
    assert inbox_platform.deleted == []


def test_it_says_so_when_the_platform_cannot_hide_or_delete(
    world: World, alice_client: Client, inbox_platform: FakePlatform
) -> None:
    inbox_platform.can_hide = inbox_platform.can_delete = False
    inbox_ingest(channel=world.channel_a, comments=[comment("s1", "Promo murah klik link")])
    spam = InboxItem.objects.get()
    response = alice_client.post(f"/interaksi/kotak-masuk/{spam.pk}/hapus/", follow=True)
    assert "tidak mendukung" in response.content.decode()
    spam.refresh_from_db()
    assert spam.deleted_on_platform_at is None
    inbox_platform.can_delete = True
    alice_client.post(f"/interaksi/kotak-masuk/{spam.pk}/hapus/")
    spam.refresh_from_db()
    assert spam.deleted_on_platform_at is not None and spam.text == "Promo murah klik link"
