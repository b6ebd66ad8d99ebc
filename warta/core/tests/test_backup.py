import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from warta.core.backup import BackupError, backup_create, backup_restore, backup_verify


def test_a_backup_restores_the_data_and_media(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL path (pg_dump/pg_restore) is exercised by bench/faults")
    media = Path(settings.MEDIA_ROOT)
    (media / "posts").mkdir(parents=True)
    (media / "posts" / "foto.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (media.parent / "private").mkdir()
    (media.parent / "private" / "laporan.pdf").write_bytes(b"%PDF-1.7")
    # A server's database file (the test database itself lives in memory).
    live = tmp_path / "live.sqlite3"
    with sqlite3.connect(live) as db:
        db.execute("CREATE TABLE institutions_region (name TEXT)")
        db.execute("INSERT INTO institutions_region VALUES ('Kota Cadangan')")
    db.close()
    folder = backup_create(dest=tmp_path / "backups", sqlite_path=live)
    assert set(backup_verify(folder)["files"]) == {"database.sqlite3", "media.tar.gz"}

    restored_db, restored_media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    backup_restore(folder=folder, sqlite_path=restored_db, media_root=restored_media)
    with sqlite3.connect(restored_db) as check:
        names = [r[0] for r in check.execute("SELECT name FROM institutions_region")]
    assert names == ["Kota Cadangan"]
    assert (restored_media / "posts" / "foto.jpg").read_bytes().startswith(b"\xff\xd8")
    assert (tmp_path / "private" / "laporan.pdf").read_bytes() == b"%PDF-1.7"


def test_a_tampered_backup_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "warta-backup-x"
    folder.mkdir()
    (folder / "media.tar.gz").write_bytes(b"x")
    (folder / "manifest.json").write_text('{"database": "sqlite", "files": {"media.tar.gz": "00"}}')
    with pytest.raises(BackupError, match="does not match"):
        backup_verify(folder)


def test_an_unfinished_backup_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="not a complete backup"):
        backup_verify(tmp_path)
