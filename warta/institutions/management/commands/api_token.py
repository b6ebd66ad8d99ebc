from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from warta.core.services import audit_record


class Command(BaseCommand):
    help = (
        "Print USERNAME's API token, creating it if needed (--renew replaces it, --revoke "
        "deletes it). Send it as the header `Authorization: Token <key>`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--renew", action="store_true", help="replace an existing token")
        group.add_argument("--revoke", action="store_true", help="delete the token")

    def handle(self, *args: Any, username: str, renew: bool, revoke: bool, **o: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        if renew or revoke:
            Token.objects.filter(user=user).delete()
        if revoke:
            audit_record(actor=None, action="api_token.revoke", obj=user, note="command")
            self.stdout.write("revoked")
            return
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit_record(actor=None, action="api_token.create", obj=user, note="command")
        self.stdout.write(token.key)
