import getpass
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.institutions import services
from warta.institutions.models import Region


class Command(BaseCommand):
    help = (
        "First run: create a region (pemda) and its first coordinator. The password is read "
        "from --password-file, else from WARTA_COORDINATOR_PASSWORD, else asked for twice. "
        "Refuses when a region of that name (slug) already exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help='e.g. "Kota Bontang"')
        parser.add_argument("--kind", required=True, choices=Region.Kind.values)
        parser.add_argument(
            "--timezone",
            required=True,
            help="IANA zone: Asia/Jakarta, Asia/Makassar or Asia/Jayapura",
        )
        parser.add_argument("--coordinator-username", required=True)
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--coordinator-name", default="", help="full name (optional)")
        parser.add_argument(
            "--kemendagri-code", default="", help='region code, e.g. "64.74" (for open data)'
        )
        parser.add_argument(
            "--password-file", type=Path, help="file whose first line is the coordinator's password"
        )

    def _password(self, password_file: Path | None) -> str:
        if password_file is not None:
            try:
                return password_file.read_text(encoding="utf-8").splitlines()[0]
            except (OSError, IndexError) as exc:
                raise CommandError(f"cannot read a password from {password_file}") from exc
        env = os.environ.get("WARTA_COORDINATOR_PASSWORD")
        if env:
            return env
        if not os.isatty(0):
            raise CommandError("no password: use --password-file or WARTA_COORDINATOR_PASSWORD")
        first = getpass.getpass("Coordinator password: ")
        if getpass.getpass("Again: ") != first:
            raise CommandError("the two passwords differ")
        return first

    def handle(self, *args: Any, **o: Any) -> None:
        password = self._password(o["password_file"])
        try:
            region, user = services.region_setup(
                name=o["name"],
                kind=o["kind"],
                timezone=o["timezone"],
                kemendagri_code=o["kemendagri_code"],
                coordinator_username=o["coordinator_username"],
                coordinator_email=o["coordinator_email"],
                coordinator_password=password,
                coordinator_name=o["coordinator_name"],
            )
        except ValidationError as exc:
            lines = [f"  {field}: {m}" for field, msgs in exc.message_dict.items() for m in msgs]
            raise CommandError("nothing created:\n" + "\n".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {region.name} ({region.slug}, {region.timezone}) and coordinator "
                f"{user.username}. Sign in, then add or import agencies, officers and channels."
            )
        )
