import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from warta.channels.models import Channel
from warta.channels.services import channel_account, channel_set_credentials
from warta.lib import crypto
from warta.testing.fixtures import World

CREDS = {"access_token": "tok-rahasia", "refresh_token": "ref-rahasia"}


def test_generate_prints_a_usable_key(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("generate_credentials_key")
    Fernet(capsys.readouterr().out.strip().encode())  # raises if not a valid key


def test_rotation_round_trip(world: World, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WARTA_CREDENTIAL_KEYS = [old]
    channel_set_credentials(channel=world.channel_a, credentials=CREDS, actor=world.alice)
    stored_old = Channel.objects.get(pk=world.channel_a.pk).credentials_encrypted

    settings.WARTA_CREDENTIAL_KEYS = [new, old]
    call_command("rotate_credentials_key")
    out = capsys.readouterr().out
    assert "1 channel" in out and "tok-rahasia" not in out
    stored_new = Channel.objects.get(pk=world.channel_a.pk).credentials_encrypted
    assert stored_new != stored_old

    # The old key can go: everything opens with the new key alone.
    settings.WARTA_CREDENTIAL_KEYS = [new]
    channel = Channel.objects.get(pk=world.channel_a.pk)
    assert channel_account(channel).credentials == CREDS


def test_rotation_changes_nothing_when_a_key_is_missing(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    lost, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WARTA_CREDENTIAL_KEYS = [new]
    channel_set_credentials(channel=world.channel_b, credentials=CREDS, actor=None)
    settings.WARTA_CREDENTIAL_KEYS = [lost]
    channel_set_credentials(channel=world.channel_a, credentials=CREDS, actor=None)
    before = list(Channel.objects.order_by("pk").values_list("credentials_encrypted", flat=True))
    settings.WARTA_CREDENTIAL_KEYS = [new]
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("rotate_credentials_key")
    after = list(Channel.objects.order_by("pk").values_list("credentials_encrypted", flat=True))
    assert before == after
    with pytest.raises(crypto.CredentialsUnreadable):
        crypto.decrypt_json(after[0])


def test_the_rotation_help_explains_the_procedure(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        call_command("rotate_credentials_key", "--help")
    out = capsys.readouterr().out
    assert "WARTA_CREDENTIAL_KEYS=NEW,OLD" in out and "Remove OLD" in out
