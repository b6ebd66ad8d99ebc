"""Import agencies, officers and channels from CSV/XLSX: preview first, then all or nothing.

Each row goes through the same service a person's form uses, inside a savepoint, so the
preview reports exactly what the import would do (including conflicts between rows of the
same file). The whole file runs in one transaction which a preview, or any row error, rolls
back: a file is imported completely or not at all (docs/decisions/0002-imports.md).
Rows are matched on a natural key (agency short name, username, agency+platform+handle),
so importing the same file twice creates nothing twice.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warta.institutions.models import Agency, Officer, Region
from warta.institutions.services import Actor
from warta.lib.platforms import ConnectionMode, Platform
from warta.lib.tabular import TableError, cell_text, normalize_header, read_table

KINDS = {
    "agencies": gettext_lazy("Perangkat daerah"),
    "officers": gettext_lazy("Petugas"),
    "channels": gettext_lazy("Kanal"),
}

# Header names a person may write (Indonesian or English) mapped to the canonical ones.
ALIASES = {
    "nama": "name",
    "nama_opd": "name",
    "nama_perangkat_daerah": "name",
    "singkatan": "short_name",
    "nama_singkat": "short_name",
    "short": "short_name",
    "jenis": "kind",
    "type": "kind",
    "nama_pengguna": "username",
    "user": "username",
    "pengguna": "username",
    "nama_depan": "first_name",
    "nama_belakang": "last_name",
    "surel": "email",
    "e_mail": "email",
    "peran": "role",
    "opd": "agencies",
    "perangkat_daerah": "agencies",
    "agency": "agencies",
    "telepon": "phone",
    "hp": "phone",
    "no_hp": "phone",
    "akun": "handle",
    "nama_akun": "handle",
    "alamat": "url",
    "tautan": "url",
    "link": "url",
    "cara_tersambung": "mode",
    "mode_koneksi": "mode",
    "platforma": "platform",
}

MAX_ROWS = 20_000
# Read in the request, for the preview a coordinator confirms (ADR 0002): 20,000 rows read
# in about two seconds; past this the file is refused well before gunicorn's 30 s timeout.
# Bigger imports are the inbox's and analytics', and those run as tasks.
READ_SECONDS = 20

REQUIRED = {
    "agencies": ["name", "short_name"],
    "officers": ["username", "role"],
    "channels": ["agencies", "platform", "handle"],
}

_PLATFORM_ALIASES = {
    "ig": "instagram",
    "fb": "facebook",
    "facebook_page": "facebook",
    "twitter": "x",
    "yt": "youtube",
    "tg": "telegram",
    "web": "website",
    "rss": "website",
    "situs": "website",
    "lainnya": "other",
}
_MODE_ALIASES = {"ekspor": "export", "impor": "export", "export_import": "export"}
_ROLE_ALIASES = {
    "koordinator": "coordinator",
    "petugas": "officer",
    "ppid": "officer",
    "pimpinan": "head",
    "kepala": "head",
    "pembaca": "viewer",
}


@dataclass
class Row:
    line: int
    values: dict[str, str]  # canonical column name -> cell text


def _canonical(header: str) -> str:
    key = normalize_header(header).replace(" ", "_")
    return ALIASES.get(key, key)


def _read(content: bytes, filename: str) -> tuple[list[str], list[Row]]:
    """Canonical column names and the rows of a file; TableError when it cannot be read."""
    table = read_table(content, filename, max_rows=MAX_ROWS, max_seconds=READ_SECONDS)
    header = [_canonical(h) for h in table.headers]
    rows = [
        Row(
            line=line,
            values={
                name: cell_text(cells[i]) if i < len(cells) else ""
                for i, name in enumerate(header)
                if name
            },
        )
        for line, cells in table.rows
    ]
    return header, rows


@dataclass
class RowResult:
    line: int
    values: dict[str, str]
    action: str = ""  # "create", "update", "unchanged"
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: str
    committed: bool = False
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.error_rows

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)


def _choice(value: str, choices: list[str], aliases: dict[str, str]) -> str:
    key = value.strip().lower().replace(" ", "_")
    return aliases.get(key, key) if aliases.get(key, key) in choices else value.strip()


def _agencies(region: Region, raw: str) -> tuple[list[Agency], list[str]]:
    names = [n.strip() for n in re.split(r"[;,|]", raw) if n.strip()]
    # Only the named agencies: a province has thousands, and this runs once per row.
    wanted = {n.lower() for n in names}
    rows = Agency.objects.annotate(key=Lower("short_name")).filter(region=region, key__in=wanted)
    found = {a.short_name.lower(): a for a in rows}
    agencies: list[Agency] = []
    missing: list[str] = []
    for name in names:
        agency = found.get(name.lower())
        if agency is None:
            missing.append(name)
        else:
            agencies.append(agency)
    return agencies, missing


def _agency_row(region: Region, actor: Actor, v: dict[str, str]) -> str:
    from warta.institutions import services

    kind = _choice(v.get("kind", "") or "dinas", Agency.Kind.values, {"lain": "other"})
    existing = Agency.objects.filter(region=region, short_name__iexact=v["short_name"]).first()
    if existing is None:
        services.agency_create(
            actor=actor, region=region, name=v["name"], short_name=v["short_name"], kind=kind
        )
        return "create"
    before = (existing.name, existing.short_name, existing.kind)
    services.agency_update(
        actor=actor, agency=existing, name=v["name"], short_name=v["short_name"], kind=kind
    )
    return (
        "unchanged" if before == (existing.name, existing.short_name, existing.kind) else "update"
    )


def _officer_row(region: Region, actor: Actor, v: dict[str, str]) -> str:
    from warta.institutions import services

    role = _choice(v["role"], Officer.Role.values, _ROLE_ALIASES)
    agencies, missing = _agencies(region, v.get("agencies", ""))
    if missing:
        raise ValidationError(
            {
                "agencies": [
                    _("Perangkat daerah tidak dikenal: %(names)s.") % {"names": ", ".join(missing)}
                ]
            }
        )
    existing = Officer.objects.filter(user__username__iexact=v["username"]).first()
    fields: dict[str, Any] = {
        "email": v.get("email", ""),
        "role": role,
        "agencies": agencies,
        "first_name": v.get("first_name", ""),
        "last_name": v.get("last_name", ""),
        "phone": v.get("phone", ""),
    }
    if existing is None:
        # No password in files: the coordinator sends each person a set-password link.
        services.officer_create(actor=actor, region=region, username=v["username"], **fields)
        return "create"
    if existing.region_id != region.pk:
        raise ValidationError({"username": [_("Nama pengguna ini dipakai di wilayah lain.")]})
    before = services.officer_snapshot(existing)
    services.officer_update(actor=actor, officer=existing, **fields)
    return "unchanged" if services.officer_snapshot(existing) == before else "update"


def _channel_row(region: Region, actor: Actor, v: dict[str, str]) -> str:
    from warta.channels import services
    from warta.channels.models import Channel

    agencies, missing = _agencies(region, v["agencies"])
    if missing or len(agencies) != 1:
        raise ValidationError(
            {
                "agencies": [
                    _("Tulis singkatan satu perangkat daerah yang dikenal, bukan “%(v)s”.")
                    % {"v": v["agencies"]}
                ]
            }
        )
    platform = _choice(v["platform"], Platform.values, _PLATFORM_ALIASES)
    mode = _choice(v.get("mode", "") or "manual", ConnectionMode.values, _MODE_ALIASES)
    existing = Channel.objects.filter(
        agency=agencies[0], platform=platform, handle__iexact=v["handle"]
    ).first()
    if existing is None:
        services.channel_create(
            actor=actor,
            agency=agencies[0],
            platform=platform,
            handle=v["handle"],
            url=v.get("url", ""),
            mode=mode,
        )
        return "create"
    before = (existing.url, existing.mode, existing.handle)
    services.channel_update(
        actor=actor,
        channel=existing,
        platform=platform,
        handle=v["handle"],
        url=v.get("url", ""),
        mode=mode,
    )
    return "unchanged" if before == (existing.url, existing.mode, existing.handle) else "update"


_APPLY: dict[str, Callable[[Region, Actor, dict[str, str]], str]] = {
    "agencies": _agency_row,
    "officers": _officer_row,
    "channels": _channel_row,
}


class _Rollback(Exception):
    pass


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{name}: {m}" for name, msgs in exc.message_dict.items() for m in msgs]
    return list(exc.messages)


def import_rows(
    *, kind: str, region: Region, actor: Actor, rows: list[Row], commit: bool
) -> ImportResult:
    """Apply rows in one transaction; keep the changes only when committing and all are valid."""
    result = ImportResult(kind=kind)
    apply = _APPLY[kind]
    try:
        with transaction.atomic():
            for row in rows:
                item = RowResult(line=row.line, values=row.values)
                result.rows.append(item)
                missing = [name for name in REQUIRED[kind] if not row.values.get(name)]
                if missing:
                    item.errors = [
                        _("Kolom wajib kosong: %(cols)s.") % {"cols": ", ".join(missing)}
                    ]
                    continue
                try:
                    with transaction.atomic():
                        item.action = apply(region, actor, row.values)
                except ValidationError as exc:
                    item.errors = _messages(exc)
            if not commit or not result.ok:
                raise _Rollback
            result.committed = True
    except _Rollback:
        pass
    return result


def import_file(
    *, kind: str, region: Region, actor: Actor, content: bytes, filename: str, commit: bool
) -> ImportResult:
    """Read a file and preview (commit=False) or import it (commit=True)."""
    if kind not in _APPLY:
        raise ValueError(kind)
    result = ImportResult(kind=kind)
    if len(content) > settings.WARTA_MAX_IMPORT_BYTES:
        result.file_errors.append(
            _("Berkas terlalu besar (maks. %(mb)d MB).")
            % {"mb": settings.WARTA_MAX_IMPORT_BYTES // (1024 * 1024)}
        )
        return result
    try:
        header, rows = _read(content, filename)
    except TableError as exc:
        result.file_errors.append(str(exc))
        return result
    missing = [name for name in REQUIRED[kind] if name not in header]
    if missing:
        result.file_errors.append(
            _("Kolom wajib tidak ada: %(cols)s. Lihat contoh di docs/samples/.")
            % {"cols": ", ".join(missing)}
        )
        return result
    if not rows:
        result.file_errors.append(_("Berkas tidak berisi baris data."))
        return result
    return import_rows(kind=kind, region=region, actor=actor, rows=rows, commit=commit)
