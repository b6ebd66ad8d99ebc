"""Convert DRF authtoken's plain-text tokens to hashed ApiTokens, then drop its table.

`rest_framework.authtoken` is no longer installed, so its own migrations cannot remove
its table; this does, after copying each token's SHA-256 (existing integrations keep
working with the same token). Its rows in django_migrations go too, so that installing
the app again later would create a fresh table rather than find none. A new installation
never had the table and skips all of it. Not reversible: the plain text is gone.
"""

import datetime
import hashlib

from django.db import migrations
from django.utils.dateparse import parse_datetime

LEGACY_TABLE = "authtoken_token"


def convert(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("core", "ApiToken")
    quoted = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quoted('key')}, {quoted('user_id')}, {quoted('created')} "
            f"FROM {quoted(LEGACY_TABLE)}"
        )
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        token_hash = hashlib.sha256(key.encode()).hexdigest()
        if ApiToken.objects.filter(token_hash=token_hash).exists():
            continue
        token = ApiToken.objects.create(
            user_id=user_id, name="Token lama", prefix=key[:8], token_hash=token_hash
        )
        # auto_now_add set "now"; keep when the person really made it (SQLite hands
        # raw rows back as naive UTC text).
        if isinstance(created, str):
            created = parse_datetime(created)
        if created is not None:
            if created.tzinfo is None:
                created = created.replace(tzinfo=datetime.UTC)
            ApiToken.objects.filter(pk=token.pk).update(created_at=created)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quoted(LEGACY_TABLE)}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_api_token")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop, elidable=False)]
