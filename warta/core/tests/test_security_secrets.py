"""Secrets at rest and in logs: tokens are encrypted in the database, rotate to a new key,
and never reach a log line or the audit log, even while a platform misbehaves."""

import io
import logging

import pytest
from django.core.management import call_command

from warta.channels.models import Channel
from warta.channels.services import channel_account, channel_set_credentials, credentials_rotate_all
from warta.connectors.base import ConnectorError, PublishRequest, connector_class
from warta.connectors.fakes.server import Fault
from warta.core.models import AuditEvent
from warta.lib import crypto
from warta.testing.fixtures import World

TOKEN = "SECRET-tok3n-never-in-plain-0123456789"


def test_no_token_in_a_dump_of_the_database(world: World) -> None:
    channel_set_credentials(
        channel=world.channel_a,
        credentials={"access_token": TOKEN, "refresh_token": TOKEN[::-1]},
        actor=world.cora,
    )
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert TOKEN not in dump.getvalue() and TOKEN[::-1] not in dump.getvalue()
    assert (
        channel_account(Channel.objects.get(pk=world.channel_a.pk)).credentials["access_token"]
        == TOKEN
    )
    audit = " ".join(str(e.before) + str(e.after) + e.note for e in AuditEvent.objects.all())
    assert TOKEN not in audit


def test_rotation_moves_every_credential_to_the_new_key(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    channel_set_credentials(
        channel=world.channel_a, credentials={"access_token": TOKEN}, actor=None
    )
    old = settings.WARTA_CREDENTIAL_KEYS
    settings.WARTA_CREDENTIAL_KEYS = [crypto.generate_key(), *old]
    assert credentials_rotate_all() == 1
    settings.WARTA_CREDENTIAL_KEYS = settings.WARTA_CREDENTIAL_KEYS[:1]  # old key removed
    assert (
        channel_account(Channel.objects.get(pk=world.channel_a.pk)).credentials["access_token"]
        == TOKEN
    )


@pytest.mark.parametrize("platform", ["telegram", "mastodon", "x", "facebook"])
def test_tokens_never_reach_the_logs_even_when_the_platform_fails(
    fake_platform,
    caplog,
    platform: str,  # type: ignore[no-untyped-def]
) -> None:
    fake = fake_platform(platform)
    caplog.set_level(logging.DEBUG)  # the most an operator would turn on
    secrets = [v for v in fake.credentials().values() if isinstance(v, str) and len(v) > 8]
    connector = fake.connector(timeout=0.5)
    for n, fault in enumerate(
        [
            None,
            Fault.SERVER_ERROR,
            Fault.RATE_LIMIT,
            Fault.MALFORMED_JSON,
            Fault.TIMEOUT,
            Fault.EXPIRED_TOKEN,
        ]
    ):
        if fault:
            fake.fail_next(fault)
        try:
            connector.publish(PublishRequest(idempotency_key=f"log-{n}", caption=f"Uji log {n}"))
        except ConnectorError as exc:
            assert not any(s in str(exc) for s in secrets)
    logged = "\n".join(caplog.messages) + "\n".join(
        logging.Formatter().format(r) for r in caplog.records
    )
    assert not [s for s in secrets if s in logged]
    assert connector_class(platform).__name__  # the platform really has a connector
