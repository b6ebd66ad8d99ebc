"""Import bombs (issue 17, finding 2): peak memory and seconds to refuse or read each file.

    .venv/bin/python bench/imports/run.py [--old COMMIT] [--full] [--keep DIR]

Builds three files, then reads each in a fresh child process (so that each peak RSS is
its own: resource.getrusage(RUSAGE_SELF).ru_maxrss of the child) through warta's reader
with the inbox importer's row limit (200,000):

  size   an XLSX of ~1.6 MB whose shared strings declare ~480 MB unpacked
  cap    the worst a file inside every cap may cost: 1,000,000 shared strings of 180
         characters (~196 MB unpacked, under the 200 MB default)
  rows   an XLSX of ~1.4 MB declaring A1:XFD1048576, one cell in column XFD per row
  csv    a 200,000-row comment export (~23 MB), a real file, not a bomb

--old COMMIT reads the same files with warta/ as it was at COMMIT as well (extracted
with git archive), in a child capped at 3 GB of address space and 150 s. --full also
imports the CSV as the inbox task does (parse, store, annotate) on a fresh SQLite file.
Figures depend on the machine; the report says which.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.testing.settings")
import django
django.setup()
from warta.lib.tabular import TableError, read_table
path, name = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.monotonic()
try:
    table = read_table(data, name, max_rows=200_000)
    outcome = f"read {len(table.rows)} rows"
except TableError as exc:
    outcome = f"refused: {exc}"
print(json.dumps({
    "seconds": round(time.monotonic() - start, 2),
    "rss_before_mb": before // 1024,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    "outcome": outcome,
}))
"""

FULL = r"""
import json, os, resource, sys, tempfile, time
sys.path.insert(0, sys.argv[2])
from bench._common import setup_django
setup_django(None)
from warta.channels.models import Channel
from warta.engagement.imports import inbox_import_create, inbox_import_process
from warta.institutions.models import Agency, Officer, Region
from warta.testing.fixtures import make_person
region = Region.objects.create(name="Kota Uji", slug="kota-uji", kind="kota", timezone="Asia/Makassar")
agency = Agency.objects.create(region=region, name="Dinas Kesehatan", short_name="Dinkes")
channel = Channel.objects.create(agency=agency, platform="facebook", handle="dinkes", mode="export")
alice = make_person("alice", region, Officer.Role.OFFICER, [agency])
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.monotonic()
run = inbox_import_create(channel=channel, content=data, filename="komentar.csv", actor=alice)
stored = time.monotonic() - start
run = inbox_import_process(run_id=run.pk)
print(json.dumps({
    "store_seconds": round(stored, 2),
    "seconds": round(time.monotonic() - start, 2),
    "rss_before_mb": before // 1024,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    "outcome": f"{run.status}: {run.rows_created} new of {run.rows_total} rows",
}))
"""


def build(folder: Path) -> dict[str, Path]:
    from warta.testing.spreadsheets import (
        shared_strings_bomb,
        wide_rows_bomb,
        write_xlsx,
    )

    files = {"size": folder / "size-bomb.xlsx", "rows": folder / "rows-bomb.xlsx"}
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        b"</row></sheetData></worksheet>"
    )
    with files["size"].open("wb") as out:  # 4.1 million strings of 100 characters
        write_xlsx(
            out,
            {
                "xl/worksheets/sheet1.xml": sheet,
                "xl/sharedStrings.xml": shared_strings_bomb(4_100_000),
            },
        )
    files["cap"] = folder / "cap-bomb.xlsx"
    with files["cap"].open("wb") as out:
        write_xlsx(
            out,
            {
                "xl/worksheets/sheet1.xml": sheet,
                "xl/sharedStrings.xml": shared_strings_bomb(999_998, b"y" * 180),
            },
        )
    with files["rows"].open("wb") as out:
        write_xlsx(out, {"xl/worksheets/sheet1.xml": wide_rows_bomb(300_000)})
    files["csv"] = folder / "komentar.csv"
    with files["csv"].open("w", encoding="utf-8", newline="") as out:
        out.write("id,text,created_at,author_name\r\n")
        for n in range(200_000):
            out.write(
                f'c{n},"Pak, kapan jalan di RT {n % 40} diperbaiki? Sudah tiga bulan '
                f'berlubang dan banyak motor jatuh, mohon ditindaklanjuti",'
                f"2026-10-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d},Warga {n % 997}\r\n"
            )
    return files


def declared(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())


def child(code: str, args: list[str], root: Path, *, capped: bool) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(root), "WARTA_LOG_LEVEL": "ERROR"}
    limit = 3 * 1024**3

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=150 if capped else 900,
            preexec_fn=cap if capped else None,
        )
    except subprocess.TimeoutExpired:
        return {"outcome": "stopped at the 150 s limit"}
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"outcome": f"crashed (exit {done.returncode}): {tail[:120]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    from bench._common import machine

    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="also read with warta/ as at this commit")
    parser.add_argument("--full", action="store_true", help="also import the CSV as the task")
    parser.add_argument("--keep", help="build the files here and keep them")
    opts = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.testing.settings")
    import django

    django.setup()
    folder = Path(opts.keep or tempfile.mkdtemp(prefix="warta-bench-imports-"))
    folder.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    files = build(folder)
    print(f"# import bombs on {machine()}; files built in {time.monotonic() - start:.0f} s")
    for kind, path in files.items():
        unpacked = f", {declared(path) / 1e6:.0f} MB unpacked" if path.suffix == ".xlsx" else ""
        print(f"  {kind:5} {path.name}: {path.stat().st_size / 1e6:.2f} MB{unpacked}")
    roots = {"new": ROOT}
    if opts.old:
        old = Path(tempfile.mkdtemp(prefix="warta-old-"))
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", opts.old, "warta"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        roots = {"old": old, **roots}
    print(f"{'file':6} {'code':4} {'seconds':>8} {'peak RSS MB':>12} {'(start MB)':>10}  outcome")
    for kind, path in files.items():
        for label, root in roots.items():
            result = child(CHILD, [str(path), path.name], root, capped=label == "old")
            print(
                f"{kind:6} {label:4} {result.get('seconds', '-')!s:>8} "
                f"{result.get('peak_rss_mb', '-')!s:>12} {result.get('rss_before_mb', '-')!s:>10}"
                f"  {str(result['outcome'])[:110]}"
            )
    if opts.full:
        result = child(FULL, [str(files["csv"]), str(ROOT)], ROOT, capped=False)
        print(
            f"csv    task {result.get('seconds', '-')!s:>8} {result.get('peak_rss_mb', '-')!s:>12} "
            f"{result.get('rss_before_mb', '-')!s:>10}  {result['outcome']} "
            f"(the request only stored it: {result.get('store_seconds', '-')} s)"
        )
    if not opts.keep:
        for path in files.values():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
