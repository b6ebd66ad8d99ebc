from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.core.backup import BackupError, backup_create, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Back up the database and media into a folder with a manifest of hashes "
        "(`backup create --dest DIR`), check one (`backup verify FOLDER`), or restore one into "
        "the configured database and media root (`backup restore FOLDER`; stop web, workers and "
        "scheduler first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--dest", default="var/backups")
        sub.add_parser("verify").add_argument("folder")
        restore = sub.add_parser("restore")
        restore.add_argument("folder")
        restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                dest = Path(options["dest"])
                dest.mkdir(parents=True, exist_ok=True)
                self.stdout.write(str(backup_create(dest=dest)))
            elif action == "verify":
                manifest = backup_verify(Path(options["folder"]))
                self.stdout.write(f"backup intact: {', '.join(manifest['files'])}")
            else:
                if (
                    not options["yes"]
                    and input("This replaces the database and media. Type 'yes': ") != "yes"
                ):
                    raise CommandError("restore cancelled")
                backup_restore(folder=Path(options["folder"]))
                self.stdout.write("restored")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
