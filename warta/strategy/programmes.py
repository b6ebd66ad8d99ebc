"""Renstra programmes from the planning system's export (SIPD), and what the posts served.

SIPD (Sistem Informasi Pemerintahan Daerah) exports the Renstra as a spreadsheet whose
columns vary by version and by who exported it; what every export has is a programme
code in the Permendagri 90/2019 nomenclature ("1.02.02") and its name. Rows for
activities and sub-activities (longer codes) are skipped: pillars serve programmes.
All or nothing, as every import (ADR 0002): one bad row and nothing is written.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warta.core.services import audit_record
from warta.institutions.models import Agency
from warta.lib.tabular import TableError, cell_text, normalize_header, read_table
from warta.strategy.models import Programme
from warta.strategy.schema import PROGRAMME_CODE

MAX_ROWS = 5000
CODE_HEADERS = ("kode program", "kode_program", "kode", "kode rekening", "kd program")
NAME_HEADERS = ("nama program", "nama_program", "program", "uraian", "nomenklatur")


@dataclass
class ProgrammeImport:
    rows: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    skipped: int = 0  # activity and sub-activity rows
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    created: int = 0
    updated: int = 0


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    normalized = [normalize_header(h) for h in headers]
    for name in names:
        if normalize_header(name) in normalized:
            return normalized.index(normalize_header(name))
    return None


def _is_programme(code: str) -> bool:
    # urusan.bidang.program: three parts. Longer codes are kegiatan / sub kegiatan.
    return bool(PROGRAMME_CODE.match(code)) and code.count(".") == 2


def programmes_import(
    *, agency: Agency, data: bytes, filename: str, actor: User | None, commit: bool
) -> ProgrammeImport:
    """Read the export; with commit, add new programmes and rename changed ones."""
    result = ProgrammeImport()
    try:
        table = read_table(data, filename, max_rows=MAX_ROWS)
    except TableError as exc:
        raise ValidationError(str(exc)) from exc
    code_col = _column(table.headers, CODE_HEADERS)
    name_col = _column(table.headers, NAME_HEADERS)
    if code_col is None or name_col is None:
        raise ValidationError(
            _("Kolom “Kode Program” dan “Nama Program” tidak ditemukan di baris judul.")
        )
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        code = cell_text(cells[code_col] if code_col < len(cells) else "").upper()
        name = cell_text(cells[name_col] if name_col < len(cells) else "")
        if not code:
            continue
        if not PROGRAMME_CODE.match(code):
            result.errors.append(
                (line, _("Kode “%(code)s” tidak dikenali; tulis seperti 1.02.02.") % {"code": code})
            )
            continue
        if not _is_programme(code):
            result.skipped += 1
            continue
        if not name:
            result.errors.append((line, _("Nama program kosong.")))
            continue
        if code in seen:
            result.errors.append(
                (
                    line,
                    _("Kode %(code)s sudah ada di baris %(line)d.")
                    % {"code": code, "line": seen[code]},
                )
            )
            continue
        seen[code] = line
        result.rows.append((code, name[:500]))
    if not commit or result.errors:
        return result
    with transaction.atomic():
        existing = {p.code: p for p in Programme.objects.filter(agency=agency)}
        for code, name in result.rows:
            known = existing.get(code)
            if known is None:
                Programme.objects.create(agency=agency, code=code, name=name)
                result.created += 1
            elif known.name != name:
                known.name = name
                known.save(update_fields=["name", "updated_at"])
                result.updated += 1
        audit_record(
            actor=actor,
            action="strategy.programmes_import",
            obj=agency,
            note=f"{filename}: {result.created} baru, {result.updated} diubah",
        )
    return result
