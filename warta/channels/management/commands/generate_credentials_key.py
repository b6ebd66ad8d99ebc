from typing import Any

from django.core.management.base import BaseCommand

from warta.lib.crypto import generate_key


class Command(BaseCommand):
    help = (
        "Print a new random key for WARTA_CREDENTIAL_KEYS (the encryption of channel "
        "credentials at rest). Store it like a password; see rotate_credentials_key --help."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
