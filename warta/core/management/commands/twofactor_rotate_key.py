from django.core.management.base import BaseCommand

from warta.core import twofactor


class Command(BaseCommand):
    help = "Re-encrypt the two-factor secrets under the newest WARTA_CREDENTIAL_KEYS key."

    def handle(self, *args: object, **options: object) -> None:
        count = twofactor.secrets_rotate_all()
        self.stdout.write(f"re-encrypted {count} two-factor secret(s)")
