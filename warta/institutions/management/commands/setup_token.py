from typing import Any

from django.core.management.base import BaseCommand

from warta.institutions.setup import setup_needed, setup_token


class Command(BaseCommand):
    help = (
        "Print the token the first-run web page (/institusi/mulai/) asks for. It is "
        "WARTA_SETUP_TOKEN when set, else derived from the secret key. The page exists only "
        "while no region exists."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not setup_needed():
            self.stderr.write("A region exists already; the first-run page is closed.")
            return
        self.stdout.write(setup_token())
