"""Wiping archive rows on purpose: only the demo's reset, which deletes whole demo regions.

Everything else goes through the retention purge (services.retention_apply). The delete
triggers are dropped and recreated inside the caller's transaction (DDL is transactional
on SQLite and PostgreSQL), so they are back when it commits and never gone if it fails.
On PostgreSQL with the production roles (docs/deployment.md) warta's role does not own
the tables and this fails: the demo is never reset there.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

RECORDS, PAYLOADS = "archive_archiverecord", "archive_archivepayload"
# As created by migration 0003 (which keeps its own copy: migrations are frozen).
_PERMITTED = (
    "EXISTS (SELECT 1 FROM archive_archivepurgepermit p "
    "JOIN archive_archiverecord r ON r.id = p.purge_record_id "
    "WHERE p.record_id = OLD.record_id AND r.kind = 'retention_purge')"
)
_SQLITE = {
    RECORDS: (
        f"CREATE TRIGGER {RECORDS}_no_delete BEFORE DELETE ON {RECORDS} "
        "BEGIN SELECT RAISE(ABORT, 'archive records are append-only'); END;"
    ),
    PAYLOADS: (
        f"CREATE TRIGGER {PAYLOADS}_no_delete BEFORE DELETE ON {PAYLOADS} "
        f"WHEN NOT {_PERMITTED} BEGIN SELECT RAISE(ABORT, "
        "'archive payloads are removed only by a recorded retention purge'); END;"
    ),
}
_POSTGRES = {
    RECORDS: (
        f"CREATE TRIGGER {RECORDS}_no_delete BEFORE DELETE ON {RECORDS} "
        "FOR EACH ROW EXECUTE FUNCTION warta_archive_append_only();"
    ),
    PAYLOADS: (
        f"CREATE TRIGGER {PAYLOADS}_no_delete BEFORE DELETE ON {PAYLOADS} "
        "FOR EACH ROW EXECUTE FUNCTION warta_archive_payload_purge_only();"
    ),
}


@contextmanager
def archive_demo_wipe() -> Iterator[None]:
    """Inside the block, archive rows may be deleted (the demo reset only)."""
    create = _SQLITE if connection.vendor == "sqlite" else _POSTGRES
    with transaction.atomic(), connection.cursor() as cursor:
        for table in create:
            on = "" if connection.vendor == "sqlite" else f" ON {table}"
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete{on}")
        yield
        for sql in create.values():
            cursor.execute(sql)
