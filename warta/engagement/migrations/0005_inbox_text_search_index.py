"""An index for the inbox's text search, per database (no feature needs PostgreSQL).

SQLite: an FTS5 table with the trigram tokenizer over text and author handle, kept by
triggers (an external-content table: it stores the trigrams, not a second copy). Its
MATCH finds substrings of three characters or more, case-insensitively, as ILIKE does.
PostgreSQL: pg_trgm GIN indexes on UPPER(column), the exact expression Django's
`icontains` compares, so the planner can use them. pg_trgm is a trusted extension
(PostgreSQL 13+): the database owner may create it without being a superuser.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE engagement_inbox_fts USING fts5(
        text, author_handle, content='engagement_inboxitem', content_rowid='id',
        tokenize='trigram')""",
    """CREATE TRIGGER engagement_inbox_fts_ai AFTER INSERT ON engagement_inboxitem BEGIN
        INSERT INTO engagement_inbox_fts(rowid, text, author_handle)
        VALUES (new.id, new.text, new.author_handle);
    END""",
    """CREATE TRIGGER engagement_inbox_fts_ad AFTER DELETE ON engagement_inboxitem BEGIN
        INSERT INTO engagement_inbox_fts(engagement_inbox_fts, rowid, text, author_handle)
        VALUES ('delete', old.id, old.text, old.author_handle);
    END""",
    """CREATE TRIGGER engagement_inbox_fts_au AFTER UPDATE OF text, author_handle
        ON engagement_inboxitem BEGIN
        INSERT INTO engagement_inbox_fts(engagement_inbox_fts, rowid, text, author_handle)
        VALUES ('delete', old.id, old.text, old.author_handle);
        INSERT INTO engagement_inbox_fts(rowid, text, author_handle)
        VALUES (new.id, new.text, new.author_handle);
    END""",
    "INSERT INTO engagement_inbox_fts(engagement_inbox_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS engagement_inbox_fts_au",
    "DROP TRIGGER IF EXISTS engagement_inbox_fts_ad",
    "DROP TRIGGER IF EXISTS engagement_inbox_fts_ai",
    "DROP TABLE IF EXISTS engagement_inbox_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS engagement_inbox_text_trgm
        ON engagement_inboxitem USING gin (UPPER(text::text) gin_trgm_ops)""",
    """CREATE INDEX IF NOT EXISTS engagement_inbox_handle_trgm
        ON engagement_inboxitem USING gin (UPPER(author_handle::text) gin_trgm_ops)""",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS engagement_inbox_handle_trgm",
    "DROP INDEX IF EXISTS engagement_inbox_text_trgm",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("engagement", "0004_consultation_screening_and_publishing")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
