"""Why a token was revoked; and tokens made "without end" get an end.

Tokens from before expiry was required never expired. Each live one now expires
WARTA_API_TOKEN_DAYS (90) days after this upgrade, not at once, so an integration keeps
working until someone makes it a new token.
"""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def give_every_token_an_end(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("core", "ApiToken")
    days = getattr(settings, "WARTA_API_TOKEN_DAYS", 90)
    ApiToken.objects.filter(revoked_at__isnull=True, expires_at__isnull=True).update(
        expires_at=timezone.now() + datetime.timedelta(days=days)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_throttle_counter_replaces_login_attempt"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                choices=[("person", "dicabut"), ("password", "dicabut: kata sandi diganti")],
                max_length=16,
                verbose_name="alasan dicabut",
            ),
        ),
        migrations.RunPython(give_every_token_an_end, migrations.RunPython.noop),
    ]
