"""Getting comments in: where a channel's sync got to, and imports of export files."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.engagement.models.storage import dip_storage


class ChannelSync(models.Model):
    """Where fetching comments of one channel got to, so each run continues from there."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="inbox_sync")
    since = models.DateTimeField(null=True, blank=True)
    cursor = models.CharField(max_length=500, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    items_total = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"sync {self.channel_id}"


def _inbox_import_path(instance: models.Model, filename: str) -> str:
    return f"inbox/imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"


class ImportRun(models.Model):
    """One export file imported into the inbox, with the rows that could not be read.

    The web request stores the file and queues the run; a worker reads it
    (engagement.imports.inbox_import_process) and the page follows its progress.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="inbox_imports")
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Kept until the run ends, in private storage; emptied then (it may hold personal data).
    file = models.FileField(
        upload_to=_inbox_import_path, storage=dip_storage, blank=True, max_length=300
    )
    error = models.TextField(blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "message": "..."}]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
