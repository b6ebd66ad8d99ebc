"""Hash version 2 (every stored field, the search text too), and refuse DELETE.

Existing records keep `hash_version` 1 and verify as before; new ones are written as 2.
Records are never deleted; a payload only with a permit that the retention purge writes
after recording itself in the chain. SQLite rebuilds a table to add a column (dropping
its triggers), so every archive trigger is (re)created here, after the new columns.
TRUNCATE is refused by the database role instead (docs/deployment.md): Django's test
flush on PostgreSQL truncates.
"""

import django.db.models.deletion
from django.db import migrations, models

RECORDS, PAYLOADS = "archive_archiverecord", "archive_archivepayload"
NO_UPDATE = "archive records are append-only"
NO_DELETE_PAYLOAD = "archive payloads are removed only by a recorded retention purge"
PERMITTED = (
    "EXISTS (SELECT 1 FROM archive_archivepurgepermit p "
    "JOIN archive_archiverecord r ON r.id = p.purge_record_id "
    "WHERE p.record_id = OLD.record_id AND r.kind = 'retention_purge')"
)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "sqlite":
        for table in (RECORDS, PAYLOADS):
            run(f"DROP TRIGGER IF EXISTS {table}_append_only")
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{NO_UPDATE}'); END;"
            )
        run(f"DROP TRIGGER IF EXISTS {RECORDS}_no_delete")
        run(
            f"CREATE TRIGGER {RECORDS}_no_delete BEFORE DELETE ON {RECORDS} "
            f"BEGIN SELECT RAISE(ABORT, '{NO_UPDATE}'); END;"
        )
        run(f"DROP TRIGGER IF EXISTS {PAYLOADS}_no_delete")
        run(
            f"CREATE TRIGGER {PAYLOADS}_no_delete BEFORE DELETE ON {PAYLOADS} "
            f"WHEN NOT {PERMITTED} "
            f"BEGIN SELECT RAISE(ABORT, '{NO_DELETE_PAYLOAD}'); END;"
        )
    elif vendor == "postgresql":
        run(
            "CREATE OR REPLACE FUNCTION warta_archive_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{NO_UPDATE}'; END; $$ LANGUAGE plpgsql;"
        )
        run(
            "CREATE OR REPLACE FUNCTION warta_archive_payload_purge_only() RETURNS trigger AS $$ "
            f"BEGIN IF {PERMITTED} THEN RETURN OLD; END IF; "
            f"RAISE EXCEPTION '{NO_DELETE_PAYLOAD}'; END; $$ LANGUAGE plpgsql;"
        )
        for table in (RECORDS, PAYLOADS):
            run(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION warta_archive_append_only();"
            )
        run(f"DROP TRIGGER IF EXISTS {RECORDS}_no_delete ON {RECORDS}")
        run(
            f"CREATE TRIGGER {RECORDS}_no_delete BEFORE DELETE ON {RECORDS} "
            "FOR EACH ROW EXECUTE FUNCTION warta_archive_append_only();"
        )
        run(f"DROP TRIGGER IF EXISTS {PAYLOADS}_no_delete ON {PAYLOADS}")
        run(
            f"CREATE TRIGGER {PAYLOADS}_no_delete BEFORE DELETE ON {PAYLOADS} "
            "FOR EACH ROW EXECUTE FUNCTION warta_archive_payload_purge_only();"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for table in (RECORDS, PAYLOADS):
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")


def restore_update_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Going back: SQLite rebuilt the tables to drop the columns; 0002's triggers return."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in (RECORDS, PAYLOADS):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{NO_UPDATE}'); END;"
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_append_only_triggers")]

    operations = [
        # Reversed last: after the columns are gone again.
        migrations.RunPython(migrations.RunPython.noop, restore_update_triggers),
        migrations.AddField(
            model_name="archiverecord",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="archiverecord",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AddField(
            model_name="archiverecord",
            name="search_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.CreateModel(
            name="ArchivePurgePermit",
            fields=[
                (
                    "record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="archive.archiverecord",
                    ),
                ),
                (
                    "purge_record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="archive.archiverecord",
                    ),
                ),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
