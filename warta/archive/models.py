"""The append-only record of what was published and received, hash-chained per region.

Two tables: `ArchiveRecord` holds the chain (never updated nor deleted; database triggers
refuse both) and `ArchivePayload` holds the content, which only the retention purge may
delete — the purge is recorded in the chain first, so verification tells a purge from
tampering.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    VARIANT_PUBLISHED = "variant_published", _("Unggahan terbit")
    VARIANT_CHANGED = "variant_changed", _("Unggahan berubah di platform")
    VARIANT_DELETED = "variant_deleted", _("Unggahan dihapus di platform")
    ITEM_RECEIVED = "item_received", _("Pesan publik diterima")
    ITEM_CHANGED = "item_changed", _("Pesan publik berubah")
    REPLY_SENT = "reply_sent", _("Balasan terkirim")
    STRATEGY_VERSION = "strategy_version", _("Versi strategi")
    REDACTION = "redaction", _("Penyuntingan data pribadi")
    RETENTION_PURGE = "retention_purge", _("Penghapusan masa simpan")


class ArchiveRecord(models.Model):
    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField()  # 1, 2, 3, … per region
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    agency = models.ForeignKey(
        "institutions.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel_id = models.BigIntegerField(null=True, blank=True)
    # The thing the record is about ("variant:12", "item:9") and the conversation it
    # belongs to ("variant:12" for a comment on that post), for history views.
    subject = models.CharField(max_length=64, db_index=True)
    thread = models.CharField(max_length=64, blank=True, db_index=True)
    occurred_at = models.DateTimeField()  # when it happened (on the platform)
    recorded_at = models.DateTimeField()  # when warta recorded it
    payload_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The agency's own sub-chain, so an agency's export verifies on its own.
    agency_seq = models.PositiveBigIntegerField(null=True, blank=True)
    agency_prev_hash = models.CharField(max_length=64, blank=True)
    agency_hash = models.CharField(max_length=64, blank=True)
    # Version 1 hashed kind, subject, time and payload; version 2 every field above and
    # `search_hash` (chain.py). Old records keep their version: a chain is never rewritten.
    hash_version = models.PositiveSmallIntegerField(default=2)
    search_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["region", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["region", "seq"], name="archive_record_unique_seq"),
            models.UniqueConstraint(
                fields=["agency", "agency_seq"], name="archive_record_unique_agency_seq"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "occurred_at"]),
            models.Index(fields=["region", "occurred_at"]),
            # One agency's records newest first (its search, its list): without it the
            # region's (region, seq) walk reads every other agency's records on the way.
            models.Index(fields=["agency", "seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.subject}"


class ArchivePayload(models.Model):
    record = models.OneToOneField(
        ArchiveRecord, primary_key=True, on_delete=models.CASCADE, related_name="payload"
    )
    data = models.JSONField()
    search_text = models.TextField(blank=True)


class ArchivePurgePermit(models.Model):
    """The payload of `record` may be deleted: a recorded retention purge lists it.

    The database's delete trigger on payloads asks for this row; verification does not
    trust it and checks the purge record in the chain instead.
    """

    record = models.OneToOneField(
        ArchiveRecord, primary_key=True, on_delete=models.PROTECT, related_name="+"
    )
    purge_record = models.ForeignKey(ArchiveRecord, on_delete=models.PROTECT, related_name="+")


class ArchiveHead(models.Model):
    """The newest record of each chain; appends lock this row so the chain stays linear."""

    region = models.OneToOneField(
        "institutions.Region", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)


class AgencyHead(models.Model):
    agency = models.OneToOneField(
        "institutions.Agency", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)


class ArchiveCursor(models.Model):
    """How far the archiver has read each source (by updated_at, then id)."""

    source = models.CharField(max_length=64, unique=True)
    updated_at = models.DateTimeField(null=True)
    last_id = models.BigIntegerField(default=0)


class ArchivedState(models.Model):
    """The hash of the last archived state of each subject, to notice later changes."""

    region = models.ForeignKey("institutions.Region", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=64)
    state_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "subject"], name="archived_state_unique")
        ]


class RetentionRule(models.Model):
    """Keep the content of records of one kind this many days; the chain itself stays."""

    region = models.ForeignKey("institutions.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    keep_days = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="retention_rule_unique")
        ]
