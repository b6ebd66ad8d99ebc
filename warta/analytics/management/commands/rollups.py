from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from warta.analytics.rollups import rollups_refresh_exclusive


class Command(BaseCommand):
    help = "Update analytics rollups from what changed (default) or rebuild them all (--full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="throw away and rebuild all")

    def handle(self, *args: Any, full: bool, **options: Any) -> None:
        stats = rollups_refresh_exclusive(full=full)
        if stats is None:
            raise CommandError("another rollup run is in progress; try again later")
        self.stdout.write(
            f"{'full' if full else 'incremental'}: {stats.variants} posts, {stats.buckets} "
            f"buckets, {stats.classified} classified, {stats.seconds:.1f} s"
        )
