import django.db.models
from django.db import migrations, models

import warta.engagement.models


class Migration(migrations.Migration):
    dependencies = [("engagement", "0009_whatsapp_contacts_and_reply_delivery")]

    operations = [
        # Runs recorded before imports became tasks were finished when they were recorded.
        migrations.AddField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "menunggu"),
                    ("running", "berjalan"),
                    ("done", "selesai"),
                    ("failed", "gagal"),
                ],
                default="done",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "menunggu"),
                    ("running", "berjalan"),
                    ("done", "selesai"),
                    ("failed", "gagal"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="file",
            field=models.FileField(
                blank=True,
                max_length=300,
                storage=warta.engagement.models.dip_storage,
                upload_to=warta.engagement.models._inbox_import_path,
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="importrun",
            name="rows_done",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importrun",
            name="finished_at",
            field=django.db.models.DateTimeField(blank=True, null=True),
        ),
    ]
