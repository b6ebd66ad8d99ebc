"""An index for the archive's text search, per database (no feature needs PostgreSQL).

SQLite: an FTS5 table with the trigram tokenizer over the payloads' search text, keyed by
record id (an external-content table: it stores the trigrams, not a second copy). Payloads
are appended; only a recorded retention purge deletes one, and updates are refused by
0003's triggers, so the index follows inserts and deletes (and an update, should anyone
drop the refusal: an external-content index that disagrees with its table breaks). No
table is rebuilt here (an index is added by CREATE INDEX), so 0002/0003's append-only
triggers stay as they are.
PostgreSQL: a pg_trgm GIN index on UPPER(search_text), the exact expression Django's
`icontains` compares. pg_trgm is a trusted extension (PostgreSQL 13+).
Both: an (agency, seq) index, so one agency's search walks its own records newest first.
"""

from django.db import migrations, models

SQLITE = [
    """CREATE VIRTUAL TABLE archive_payload_fts USING fts5(
        search_text, content='archive_archivepayload', content_rowid='record_id',
        tokenize='trigram')""",
    """CREATE TRIGGER archive_payload_fts_ai AFTER INSERT ON archive_archivepayload BEGIN
        INSERT INTO archive_payload_fts(rowid, search_text)
        VALUES (new.record_id, new.search_text);
    END""",
    """CREATE TRIGGER archive_payload_fts_ad AFTER DELETE ON archive_archivepayload BEGIN
        INSERT INTO archive_payload_fts(archive_payload_fts, rowid, search_text)
        VALUES ('delete', old.record_id, old.search_text);
    END""",
    """CREATE TRIGGER archive_payload_fts_au AFTER UPDATE OF search_text
        ON archive_archivepayload BEGIN
        INSERT INTO archive_payload_fts(archive_payload_fts, rowid, search_text)
        VALUES ('delete', old.record_id, old.search_text);
        INSERT INTO archive_payload_fts(rowid, search_text)
        VALUES (new.record_id, new.search_text);
    END""",
    "INSERT INTO archive_payload_fts(archive_payload_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS archive_payload_fts_au",
    "DROP TRIGGER IF EXISTS archive_payload_fts_ad",
    "DROP TRIGGER IF EXISTS archive_payload_fts_ai",
    "DROP TABLE IF EXISTS archive_payload_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS archive_payload_search_trgm
        ON archive_archivepayload USING gin (UPPER(search_text::text) gin_trgm_ops)""",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS archive_payload_search_trgm"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0003_hash_every_field_and_refuse_deletes"),
        ("institutions", "0003_region_letterhead_and_logo"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="archiverecord",
            index=models.Index(fields=["agency", "seq"], name="archive_arc_agency__ad3e2f_idx"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
