import json
import sys
import time
from argparse import ArgumentParser
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from warta.archive import services, sources
from warta.archive.anchor import HeadFileError, head_document, head_read
from warta.archive.export import export_verify, export_write
from warta.archive.verify import VerifyResult, chain_verify
from warta.institutions.models import Agency, Region


class Command(BaseCommand):
    help = (
        "The archive of everything published and received. Subcommands: sync (archive what is "
        "new), verify (check each region's hash chain and name the first broken link; with "
        "--head FILE also against a head written earlier), head (write each region's chain "
        "head, signed, to keep outside the database), export "
        "(an agency's records for a period as a zip with manifest), verify-export (check an "
        "export offline), redact (withhold personal data of one record from exports)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="archive what was published/received since the last run")
        verify = sub.add_parser("verify", help="check the hash chain of one or every region")
        verify.add_argument("--region", help="region slug (default: every region)")
        verify.add_argument("--fast", action="store_true", help="check links only, not contents")
        verify.add_argument(
            "--head", metavar="FILE", help="a head file from `archive head`: the chain must hold it"
        )
        head = sub.add_parser("head", help="write each region's chain head, signed (JSON)")
        head.add_argument("--region", help="region slug (default: every region)")
        head.add_argument("--out", default="-", help="file to write (default: standard output)")
        export = sub.add_parser("export", help="export an agency's records for a period")
        export.add_argument("--agency", type=int, required=True, help="agency id")
        export.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD (region time)")
        export.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD inclusive")
        export.add_argument("--out", default=".", help="folder for the zip")
        export.add_argument(
            "--redact-public",
            action="store_true",
            help="withhold names and handles of members of the public",
        )
        check = sub.add_parser("verify-export", help="check an export zip offline")
        check.add_argument("path")
        redact = sub.add_parser("redact", help="withhold fields of one record from exports")
        redact.add_argument("--region", required=True)
        redact.add_argument("--seq", type=int, required=True)
        redact.add_argument(
            "--fields", required=True, help="comma-separated, e.g. author_name,author_handle"
        )
        redact.add_argument("--reason", required=True)
        redact.add_argument("--user", required=True, help="username of the person redacting")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _sync(self, **_: Any) -> None:
        self.stdout.write(f"{sources.archive_sync()} record(s) appended")

    def _regions(self, region: str | None) -> list[Region]:
        regions = list(Region.objects.filter(slug=region) if region else Region.objects.all())
        if region and not regions:
            raise CommandError(f"no region {region!r}")
        return regions

    def _head(self, *, region: str | None, out: str, **_: Any) -> None:
        try:
            text = json.dumps(head_document(self._regions(region)), indent=2) + "\n"
        except HeadFileError as exc:
            raise CommandError(str(exc)) from None
        if out == "-":
            self.stdout.write(text, ending="")
        else:
            Path(out).write_text(text, encoding="utf-8")

    def _verify(self, *, region: str | None, fast: bool, head: str | None, **_: Any) -> None:
        regions = self._regions(region)
        anchors = {}
        if head:
            try:
                anchors = head_read(Path(head).read_text(encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"cannot read {head}: {exc}") from None
            except HeadFileError as exc:
                raise CommandError(str(exc)) from None
            unknown = set(anchors) - {r.slug for r in Region.objects.all()}
            if unknown:
                # A region in the head file that the database no longer knows: gone.
                self.stdout.write(
                    self.style.ERROR(f"{', '.join(sorted(unknown))}: in the head file, not here")
                )
                sys.exit(1)
        failed = False
        for r in regions:
            started = time.monotonic()
            result = chain_verify(
                region_id=r.pk, check_payloads=not fast, anchor=anchors.get(r.slug)
            )
            took = time.monotonic() - started
            self._report(f"{r.slug}: {result.checked} record(s) in {took:.1f}s", result)
            failed |= not result.ok
        if failed:
            sys.exit(1)

    def _verify_export(self, *, path: str, **_: Any) -> None:
        result = export_verify(Path(path))
        self._report(f"{path}: {result.checked} record(s)", result)
        if not result.ok:
            sys.exit(1)

    def _report(self, head: str, result: VerifyResult) -> None:
        if result.ok:
            extra = f", {result.purged} purged by retention" if result.purged else ""
            self.stdout.write(self.style.SUCCESS(f"{head}: chain intact{extra}"))
        else:
            self.stdout.write(self.style.ERROR(f"{head}: BROKEN at #{result.first_bad_seq}"))
            for problem in result.problems:
                self.stdout.write(f"  {problem}")

    def _export(
        self, *, agency: int, start: str, end: str, out: str, redact_public: bool, **_: Any
    ) -> None:
        try:
            a = Agency.objects.select_related("region").get(pk=agency)
        except Agency.DoesNotExist:
            raise CommandError(f"no agency {agency}") from None
        zone = ZoneInfo(a.region.timezone)
        try:
            first = datetime.combine(datetime.strptime(start, "%Y-%m-%d").date(), dtime(), zone)
            last = datetime.combine(
                datetime.strptime(end, "%Y-%m-%d").date(), dtime(), zone
            ) + timedelta(days=1)
        except ValueError:
            raise CommandError("dates must be YYYY-MM-DD") from None
        path = export_write(
            agency=a, start=first, end=last, dest_dir=Path(out), redact_public=redact_public
        )
        self.stdout.write(str(path))

    def _redact(
        self, *, region: str, seq: int, fields: str, reason: str, user: str, **_: Any
    ) -> None:
        r = Region.objects.filter(slug=region).first()
        actor = get_user_model().objects.filter(username=user).first()
        if r is None or actor is None:
            raise CommandError("unknown region or user")
        try:
            record = services.record_redact(
                region_id=r.pk,
                seq=seq,
                fields=[f.strip() for f in fields.split(",") if f.strip()],
                reason=reason,
                actor=actor,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"redaction recorded as #{record.seq}")
