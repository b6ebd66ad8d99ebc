import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.lib.storage import PrivateFileSystemStorage


class PrivateStorage(PrivateFileSystemStorage):
    """Next to, not inside, the media folder: the web server hands that one to anyone.

    Uploaded exports and the monthly reports are an agency's internal figures; warta
    reads them itself and never links them.
    """


private_storage = PrivateStorage()


def _import_path(instance: models.Model, filename: str) -> str:
    # A random name: the original one is kept in `original_name` for people to read.
    return f"analytics/imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"


class MetricSource(models.TextChoices):
    API = "api", _("API platform")
    IMPORT = "import", _("Berkas ekspor")
    SEED = "seed", _("Data contoh")


class MetricSnapshot(models.Model):
    """A post's counters as read at one moment. Append-only: never updated or deleted."""

    variant = models.ForeignKey(PostVariant, on_delete=models.CASCADE, related_name="metrics")
    captured_at = models.DateTimeField()
    impressions = models.PositiveBigIntegerField(null=True, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    views = models.PositiveBigIntegerField(null=True, blank=True)
    likes = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveBigIntegerField(default=0)
    shares = models.PositiveBigIntegerField(default=0)
    saves = models.PositiveBigIntegerField(default=0)
    source = models.CharField(max_length=8, choices=MetricSource.choices)

    class Meta:
        ordering = ["variant", "captured_at"]
        indexes = [models.Index(fields=["variant", "-captured_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "captured_at", "source"], name="metric_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} @ {self.captured_at:%Y-%m-%d %H:%M}"


class ChannelSnapshot(models.Model):
    """A channel's audience size at one moment. Append-only."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="snapshots")
    captured_at = models.DateTimeField()
    followers = models.PositiveBigIntegerField()
    source = models.CharField(max_length=8, choices=MetricSource.choices)

    class Meta:
        ordering = ["channel", "captured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "captured_at", "source"], name="channel_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.followers} @ {self.captured_at:%Y-%m-%d}"


class PeriodKind(models.TextChoices):
    DAY = "day", _("Harian")
    WEEK = "week", _("Mingguan")
    MONTH = "month", _("Bulanan")


class RollupLevel(models.TextChoices):
    CHANNEL = "channel", _("Kanal")
    AGENCY = "agency", _("Perangkat daerah")
    REGION = "region", _("Daerah")


class PostRollup(models.Model):
    """One published variant's latest counters and the facts indices need; rebuilt from raw rows."""

    variant = models.OneToOneField(PostVariant, on_delete=models.CASCADE, related_name="rollup")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("institutions.Agency", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("institutions.Region", on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=16)
    published_at = models.DateTimeField()
    # Local (region zone) calendar facts, so best-time and bucket queries need no zone maths.
    local_date = models.DateField()
    local_weekday = models.PositiveSmallIntegerField()  # Monday = 0
    local_hour = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=16)
    category_source = models.CharField(max_length=8)  # "hand", "model" or "default"
    tone = models.CharField(max_length=8, blank=True)  # caption sentiment from the language engine
    caption_excerpt = models.CharField(max_length=200, blank=True)
    impressions = models.PositiveBigIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)
    likes = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveBigIntegerField(default=0)
    shares = models.PositiveBigIntegerField(default=0)
    saves = models.PositiveBigIntegerField(default=0)
    engagement = models.PositiveBigIntegerField(default=0)
    metrics_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "local_date"]),
            models.Index(fields=["channel", "local_date"]),
            models.Index(fields=["region", "local_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}: {self.engagement}"


class Rollup(models.Model):
    """Posts published in one period and their counters, for a channel, an agency or a region.

    Dashboards read only these rows. `platform` is "" on agency and region rows (all
    platforms); a platform filter sums channel rows instead.
    """

    level = models.CharField(max_length=8, choices=RollupLevel.choices)
    # "channel:12", "agency:3" or "region:1": one unique key, because NULLs in a unique
    # constraint behave differently on SQLite and PostgreSQL.
    scope = models.CharField(max_length=32)
    period = models.CharField(max_length=8, choices=PeriodKind.choices)
    start = models.DateField()  # local date: the day, the Monday, or the 1st
    region = models.ForeignKey("institutions.Region", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "institutions.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(max_length=16, blank=True)
    posts = models.PositiveIntegerField(default=0)
    impressions = models.PositiveBigIntegerField(default=0)
    reach = models.PositiveBigIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)
    likes = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveBigIntegerField(default=0)
    shares = models.PositiveBigIntegerField(default=0)
    saves = models.PositiveBigIntegerField(default=0)
    engagement = models.PositiveBigIntegerField(default=0)
    # Posts whose reach is known, and their engagement: the engagement rate by reach
    # must not divide engagement of posts without reach by the reach of others.
    reach_posts_engagement = models.PositiveBigIntegerField(default=0)
    followers = models.PositiveBigIntegerField(null=True, blank=True)
    categories = models.JSONField(default=dict)  # category -> posts
    tones = models.JSONField(default=dict)  # caption sentiment -> posts
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period", "start"], name="rollup_unique_bucket"
            )
        ]
        # Every index leads with the scope a page asks about (a region, agencies or
        # channels), never with `level` alone: as rows for a new week arrive after the
        # last ANALYZE, PostgreSQL estimates almost none for it and would otherwise walk
        # a whole level's week for a few channels (180 ms instead of 3 ms, province scale).
        indexes = [
            models.Index(fields=["region", "level", "period", "start"]),
            models.Index(fields=["agency", "period", "start"]),
            models.Index(fields=["channel", "period", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.period} {self.start}"


class RollupCursor(models.Model):
    """How far the incremental rollup has read each source; one row per source."""

    name = models.CharField(max_length=32, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class MetricImport(models.Model):
    """One uploaded export file and what importing it did; processed by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="metric_imports")
    file = models.FileField(upload_to=_import_path, storage=private_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    source_timezone = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    detected_format = models.CharField(max_length=40, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    posts_created = models.PositiveIntegerField(default=0)
    # [{"line": 12, "message": "..."}], capped; `error` holds a file-level refusal.
    row_errors = models.JSONField(default=list, blank=True)
    row_error_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0 if self.status != self.Status.DONE else 100
        return min(100, round(100 * self.rows_done / self.rows_total))


class MonthlyReport(models.Model):
    """A generated monthly report (city-wide when agency is empty) and when it was sent."""

    region = models.ForeignKey("institutions.Region", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "institutions.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()  # first day of the month
    scope = models.CharField(max_length=32)  # "region:1" or "agency:3"
    pdf = models.FileField(
        upload_to="analytics/reports/%Y/", storage=private_storage, max_length=300
    )
    generated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "month"], name="monthly_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.month:%Y-%m}"
