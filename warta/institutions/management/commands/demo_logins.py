"""`warta demo-logins`: where warta runs and which demo accounts can sign in to it."""

import socket
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from warta.institutions.demo.build import DEMO_PASSWORD
from warta.institutions.demo.seeding import demo_regions
from warta.institutions.models import Officer, Region

ROLE_ORDER = {"coordinator": 0, "officer": 1, "head": 2, "viewer": 3}


class Command(BaseCommand):
    help = "Tampilkan alamat warta dan daftar akun contoh (nama pengguna, peran, OPD, sandi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Alamat tempat warta berjalan."
        )
        parser.add_argument(
            "--region",
            default="",
            help="Slug daerah (bawaan: daerah contoh pertama, Kota Bontang).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout
        url = options["url"]
        if _answers(url):
            out.write(self.style.SUCCESS(_("warta berjalan di %(url)s") % {"url": url}))
        else:
            out.write(
                self.style.WARNING(
                    _("Tidak ada yang menjawab di %(url)s: warta belum berjalan (make demo).")
                    % {"url": url}
                )
            )
        regions = demo_regions().order_by("pk")
        if options["region"]:
            regions = regions.filter(slug=options["region"])
        region: Region | None = regions.first()
        if region is None:
            out.write(_("Belum ada data contoh. Jalankan: warta seed-demo"))
            return
        officers = list(
            Officer.objects.filter(region=region)
            .select_related("user")
            .prefetch_related("agencies")
            .order_by("user__username")
        )
        officers.sort(key=lambda o: (ROLE_ORDER.get(o.role, 9), o.user.username))
        # Every demo account was given the same hash: checking the most common one tells,
        # with a single (slow, on purpose) hash computation, which accounts still use it.
        common = Counter(o.user.password for o in officers).most_common(1)
        reference = common[0][0] if common and check_password(DEMO_PASSWORD, common[0][0]) else None
        rows = [(_("nama pengguna"), _("peran"), _("perangkat daerah"), _("kata sandi"))]
        for officer in officers:
            agencies = sorted(a.short_name for a in officer.agencies.all())
            if officer.role == Officer.Role.VIEWER and len(agencies) > 3:
                shown = _("semua (%(n)d)") % {"n": len(agencies)}
            else:
                shown = ", ".join(agencies) or "-"
            password = DEMO_PASSWORD if officer.user.password == reference else _("(diubah)")
            rows.append((officer.user.username, officer.get_role_display(), shown, password))
        widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
        out.write("")
        out.write(_("Akun contoh %(region)s:") % {"region": region.name})
        for n, row in enumerate(rows):
            out.write(
                "  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
            if n == 0:
                out.write("  " + "  ".join("-" * w for w in widths))
        others = demo_regions().exclude(pk=region.pk).count()
        if others:
            out.write("")
            out.write(_("%(n)d daerah contoh lainnya; lihat dengan --region SLUG.") % {"n": others})


def _answers(url: str) -> bool:
    """Whether something accepts connections at the URL's host and port."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=1):
            return True
    except (OSError, ValueError):
        return False
