from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.channels.services import credentials_rotate_all
from warta.lib.crypto import CredentialsUnreadable


class Command(BaseCommand):
    help = """Re-encrypt every channel's credentials under the newest key.

Rotation, step by step:
  1. python manage.py generate_credentials_key  -> NEW
  2. Put NEW first in WARTA_CREDENTIAL_KEYS, keeping the old keys after it:
     WARTA_CREDENTIAL_KEYS=NEW,OLD  (or the same in WARTA_CREDENTIAL_KEYS_FILE)
     and restart the web server and the workers: they now write with NEW, read both.
  3. python manage.py rotate_credentials_key
     re-encrypts all stored credentials under NEW, in one transaction.
  4. Remove OLD from WARTA_CREDENTIAL_KEYS and restart again.
If a credential can be opened by none of the keys, nothing is changed and the command
fails: put the missing old key back and run it again. Secrets are never printed."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        pass

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = credentials_rotate_all()
        except CredentialsUnreadable as exc:
            raise CommandError(
                "some credentials open with none of WARTA_CREDENTIAL_KEYS; nothing changed"
            ) from exc
        keys = len(settings.WARTA_CREDENTIAL_KEYS)
        self.stdout.write(
            self.style.SUCCESS(
                f"re-encrypted the credentials of {count} channel(s) "
                f"under the newest of {keys} key(s)"
            )
        )
        if keys > 1:
            self.stdout.write("you may now remove the older keys from WARTA_CREDENTIAL_KEYS")
