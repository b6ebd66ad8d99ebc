from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from warta.core import twofactor


class Command(BaseCommand):
    help = "Remove a person's authenticator (lost phone); they enrol again at the next sign-in."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")

    def handle(self, *args: object, username: str, **options: object) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        twofactor.device_remove(user=user, actor=user, code=None, ip_address=None)
        self.stdout.write(f"two-factor authenticator removed for {username}")
