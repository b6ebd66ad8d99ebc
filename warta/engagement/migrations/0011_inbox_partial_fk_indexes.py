"""The inbox's parent and assignee indexes hold only the rows that have one.

Most items have no parent and no assignee; a partial index skips them at every insert.
The field change is state only: on SQLite, Django's AlterField would rebuild the table
and drop the text-search triggers of migration 0005, so the old indexes are dropped by
name (the same on SQLite and PostgreSQL) instead.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD = {
    "engagement_inboxitem_parent_id_c31c39f8": "parent_id",
    "engagement_inboxitem_assignee_id_14b485e5": "assignee_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0010_inbox_import_runs_as_tasks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="inboxitem",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="inboxitem",
                    name="parent",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="replies",
                        to="engagement.inboxitem",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX "{name}" ON "engagement_inboxitem" ("{column}")',
                )
                for name, column in OLD.items()
            ],
        ),
        migrations.AddIndex(
            model_name="inboxitem",
            index=models.Index(
                condition=models.Q(("parent__isnull", False)),
                fields=["parent"],
                name="inbox_item_replies",
            ),
        ),
        migrations.AddIndex(
            model_name="inboxitem",
            index=models.Index(
                condition=models.Q(("assignee__isnull", False)),
                fields=["assignee"],
                name="inbox_item_assigned",
            ),
        ),
    ]
