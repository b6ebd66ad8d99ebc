from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.content.models import PostVariant


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
