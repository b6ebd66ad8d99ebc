"""`warta seed-demo`: the demo city (or a larger benchmark scale) with months of history.

Re-running is safe: with --if-empty it does nothing when any region exists (what `make
demo` uses, so existing data is kept); without it, it refuses; --reset first deletes the
regions an earlier seed_demo created, and refuses if the database holds a real region.
"""

from datetime import UTC
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from warta.institutions.demo.scales import SCALES
from warta.institutions.demo.seeding import demo_purge, demo_seed
from warta.institutions.models import Region


class Command(BaseCommand):
    help = (
        "Isi basis data dengan kota contoh (Kota Bontang) beserta riwayat sintetis; "
        "--scale province untuk data tolok ukur (40 daerah x 40 perangkat daerah)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Bilangan acak awal; seed yang sama menghasilkan data yang sama.",
        )
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="city",
            help="tiny (uji), city (20 OPD, 6 bulan), province (40x40, 2 tahun).",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Panjang riwayat dalam bulan (bawaan: menurut skala).",
        )
        parser.add_argument(
            "--now",
            default="",
            help="Akhir riwayat (ISO 8601, mis. 2026-11-26T08:00:00+08:00; bawaan: sekarang). "
            "Seed dan waktu yang sama menghasilkan data yang persis sama.",
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty",
            action="store_true",
            help="Lewati tanpa galat bila sudah ada pemerintah daerah.",
        )
        group.add_argument(
            "--reset", action="store_true", help="Hapus data contoh sebelumnya lalu isi ulang."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]

        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)
                self.stdout.flush()

        now = None
        if options["now"]:
            try:
                now = parse_datetime(options["now"])
            except ValueError:
                now = None
            if now is None:
                raise CommandError(_("Waktu --now tidak dikenali; contoh: 2026-11-26T08:00:00Z."))
            if timezone.is_naive(now):
                now = timezone.make_aware(now, UTC)
        if Region.objects.exists() and options["if_empty"]:
            progress(_("Data sudah ada; pengisian data contoh dilewati."))
            return
        if Region.objects.exists() and not options["reset"]:
            raise CommandError(
                _(
                    "Basis data sudah berisi data. Gunakan --if-empty untuk melewati, atau "
                    "--reset untuk menghapus data contoh sebelumnya dan mengisinya ulang."
                )
            )
        try:
            # One transaction: a reset whose new seed fails keeps the old demo.
            with transaction.atomic():
                if options["reset"]:
                    demo_purge(progress=progress)
                summary = demo_seed(
                    seed=options["seed"],
                    scale=options["scale"],
                    months=options["months"],
                    now=now,
                    progress=progress,
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: without them, tables just filled look
            # nearly empty and pages choose plans that cost seconds at province scale.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Selesai dalam %(secs).1f detik: %(regions)d daerah, "
                        "riwayat %(start)s s.d. %(end)s."
                    )
                    % {
                        "secs": summary.seconds,
                        "regions": len(summary.regions),
                        "start": f"{summary.start:%Y-%m-%d}",
                        "end": f"{summary.end:%Y-%m-%d}",
                    }
                )
            )
            for label, count in sorted(summary.counts.items()):
                self.stdout.write(f"  {label:32} {count:>10,}")
