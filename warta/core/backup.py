"""Backups of the database and media that a restore can be tested against.

A backup is a folder: `database.sqlite3` (SQLite's online backup API) or
`database.dump` (pg_dump custom format), `media.tar.gz`, and `manifest.json` with
sha256 of each file, written last.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.db import connection

from warta.lib import clock
from warta.lib.storage import private_root


class Manifest(TypedDict):
    """manifest.json: when, from which database, and the sha256 of each file by name."""

    created_at: str
    database: str
    files: dict[str, str]


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or "localhost"),
        PGPORT=str(db.get("PORT") or 5432),
        PGUSER=str(db.get("USER") or ""),
        PGPASSWORD=str(db.get("PASSWORD") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    return env


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def backup_create(*, dest: Path, sqlite_path: Path | None = None) -> Path:
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    folder = dest / f"warta-backup-{stamp}"
    partial = dest / f".{folder.name}.partial"
    partial.mkdir(parents=True)
    try:
        if connection.vendor == "sqlite":
            target = sqlite3.connect(partial / "database.sqlite3")
            source = sqlite3.connect(sqlite_path or _sqlite_path())
            with target:
                source.backup(target)
            source.close()
            target.close()
        elif connection.vendor == "postgresql":
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={partial / 'database.dump'}"],
                env=_pg_env(),
                check=True,
                capture_output=True,
            )
        else:
            raise BackupError(f"unsupported database {connection.vendor}")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / "media.tar.gz", "w:gz") as tar:
            if media.is_dir():
                tar.add(media, arcname="media")
            if private_root().is_dir():
                tar.add(private_root(), arcname="private")
        files = {p.name: _sha256(p) for p in sorted(partial.iterdir())}
        manifest = Manifest(created_at=stamp, database=connection.vendor, files=files)
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial.rename(folder)
    except (subprocess.CalledProcessError, OSError, sqlite3.Error) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        detail = getattr(exc, "stderr", b"") or b""
        raise BackupError(f"backup failed: {exc} {detail.decode(errors='replace')}") from exc
    return folder


def backup_verify(folder: Path) -> Manifest:
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{folder} has no manifest.json: not a complete backup")
    manifest: Manifest = json.loads(manifest_path.read_text())
    for name, digest in manifest["files"].items():
        if _sha256(folder / name) != digest:
            raise BackupError(f"{name} does not match its hash in the manifest")
    return manifest


def backup_restore(
    *, folder: Path, sqlite_path: Path | None = None, media_root: Path | None = None
) -> None:
    """Restore into the configured (empty or disposable) database and media root."""
    manifest = backup_verify(folder)
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"backup is of {manifest['database']}, this server uses {connection.vendor}"
        )
    if connection.vendor == "sqlite":
        if sqlite_path is None:
            connection.close()
        shutil.copyfile(folder / "database.sqlite3", sqlite_path or _sqlite_path())
    else:
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--dbname",
                _pg_env()["PGDATABASE"],
                str(folder / "database.dump"),
            ],
            env=_pg_env(),
            check=True,
            capture_output=True,
        )
    media_root = media_root or Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    private = media_root.parent / "private"
    with tarfile.open(folder / "media.tar.gz", "r:gz") as tar:
        for member in tar.getmembers():
            top, _, rest = member.name.partition("/")
            target = {"media": media_root, "private": private}.get(top)
            if target is None or not rest:
                continue
            member.name = rest
            tar.extract(member, target, filter="data")
