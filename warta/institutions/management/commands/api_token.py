from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.core.apitokens import api_token_create, api_token_revoke, live_tokens, tokens_of


class Command(BaseCommand):
    help = (
        "Make a new API token for USERNAME and print it (shown once: only its hash is "
        "stored); --list shows the person's tokens by prefix, --revoke PREFIX revokes one "
        "and --revoke-all every live one. Send it as the header `Authorization: Token <key>`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Token dari baris perintah")
        parser.add_argument(
            "--days",
            type=int,
            help="expires after this many days (default WARTA_API_TOKEN_DAYS, 90; at most "
            "WARTA_API_TOKEN_MAX_DAYS, 365)",
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--list", action="store_true", help="list the tokens")
        group.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")
        group.add_argument("--revoke-all", action="store_true", help="revoke every live token")

    def handle(self, *args: Any, username: str, **o: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if o["list"]:
            for t in tokens_of(user):
                state = "revoked" if t.revoked_at else ("live" if t.is_live() else "expired")
                if t.revoked_reason == "password":
                    state = "revoked (password changed)"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                until = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never"
                self.stdout.write(
                    f"{t.prefix}\t{state}\tlast used {used}\texpires {until}\t{t.name}"
                )
            return
        if o["revoke"] or o["revoke_all"]:
            tokens = live_tokens(user)
            if o["revoke"]:
                tokens = tokens.filter(prefix=o["revoke"])
            revoked = sum(
                api_token_revoke(actor=None, token=t, note="command") for t in list(tokens)
            )
            if not revoked:
                raise CommandError("no live token matched")
            self.stdout.write(f"revoked {revoked}")
            return
        if not user.is_active:
            raise CommandError(f"{username!r} is deactivated")
        try:
            _token, raw = api_token_create(
                actor=None,
                user=user,
                name=o["name"],
                expires_in_days=o["days"],
                note="command",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(raw)
