"""Information requests (UU 14/2008, Perki 1/2021) and objections to their handling."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.engagement.models.inbox import InboxItem
from warta.engagement.models.storage import dip_storage
from warta.institutions.models import Agency


class InformationRequest(models.Model):
    """A formal request for public information (UU 14/2008, Perki 1/2021) and its answer."""

    class Origin(models.TextChoices):
        SOCIAL = "social", _("Media sosial")
        WEBSITE = "website", _("Situs web")
        EMAIL = "email", _("Surel")
        LETTER = "letter", _("Surat")
        IN_PERSON = "in_person", _("Datang langsung")
        PHONE = "phone", _("Telepon")

    class Access(models.TextChoices):
        """How the requester wants to obtain the information (Perki 1/2021, formulir permohonan)."""

        VIEW = "view", _("Melihat / membaca / mendengarkan / mencatat")
        SOFT_COPY = "soft_copy", _("Mendapatkan salinan digital (softcopy)")
        HARD_COPY = "hard_copy", _("Mendapatkan salinan cetak (hardcopy)")

    class Delivery(models.TextChoices):
        PICKUP = "pickup", _("Mengambil langsung")
        EMAIL = "email", _("Surel")
        POST = "post", _("Pos")
        COURIER = "courier", _("Kurir")

    class Status(models.TextChoices):
        IN_PROCESS = "in_process", _("Diproses")
        GRANTED = "granted", _("Diberikan")
        PARTLY = "partly", _("Diberikan sebagian")
        REFUSED = "refused", _("Ditolak (dikecualikan)")
        NOT_HELD = "not_held", _("Informasi tidak dikuasai")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="info_requests")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    register_number = models.CharField(_("nomor register"), max_length=64)
    inbox_item = models.ForeignKey(
        InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="info_requests"
    )
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(_("asal permohonan"), max_length=16, choices=Origin.choices)
    requester_name = models.CharField(_("nama pemohon"), max_length=200)
    requester_contact = models.CharField(_("kontak pemohon"), max_length=300)
    information_requested = models.TextField(_("informasi yang diminta"))
    purpose = models.TextField(_("tujuan penggunaan"), blank=True)
    received_at = models.DateTimeField(_("diterima"))
    due_at = models.DateTimeField(_("batas waktu"))
    original_due_at = models.DateTimeField()
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(_("alasan perpanjangan"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROCESS
    )
    response = models.TextField(_("jawaban"), blank=True)
    exemption_reason = models.TextField(_("alasan pengecualian"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("petugas penanggung jawab"),
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Filed online by the requester (Perki 1/2021): the identity (name, address, phone,
    # e-mail, identity number) is kept only encrypted (warta.lib.crypto); requester_contact
    # then holds a masked form. The private tracking link holds a random secret; only its
    # sha256 is a lookup key (the secret itself sits in the encrypted identity, for notices).
    identity_encrypted = models.TextField(blank=True, editable=False)
    tracking_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    access_method = models.CharField(
        _("cara memperoleh informasi"), max_length=16, choices=Access.choices, blank=True
    )
    delivery = models.CharField(
        _("cara mendapatkan salinan"), max_length=16, choices=Delivery.choices, blank=True
    )
    # The answer's document, given to the requester through the tracking link only.
    response_document = models.FileField(
        _("dokumen jawaban"),
        upload_to="ppid/answers/%Y/",
        storage=dip_storage,
        blank=True,
        max_length=300,
    )
    response_document_name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="info_request_unique_register"
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"])]
        verbose_name = _("permohonan informasi")
        verbose_name_plural = _("permohonan informasi")

    def __str__(self) -> str:
        return self.register_number

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROCESS


class Objection(models.Model):
    """A keberatan against how a request was handled (UU 14/2008 Pasal 35)."""

    class Reason(models.TextChoices):
        REFUSED = "refused", _("Permohonan ditolak dengan alasan pengecualian")
        NOT_PUBLISHED = "not_published", _("Informasi berkala tidak disediakan")
        NOT_ANSWERED = "not_answered", _("Permohonan tidak ditanggapi")
        NOT_AS_REQUESTED = "not_as_requested", _("Ditanggapi tidak sebagaimana diminta")
        NOT_FULFILLED = "not_fulfilled", _("Permohonan tidak dipenuhi")
        FEES = "fees", _("Pengenaan biaya tidak wajar")
        LATE = "late", _("Disampaikan melebihi jangka waktu")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Keberatan diterima")
        REJECTED = "rejected", _("Keberatan ditolak")

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="objections"
    )
    filed_at = models.DateTimeField(_("diajukan"))
    reason = models.CharField(_("alasan keberatan"), max_length=24, choices=Reason.choices)
    statement = models.TextField(_("uraian keberatan"), blank=True)
    due_at = models.DateTimeField(_("batas tanggapan"))
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("tanggapan atasan PPID"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        constraints = [
            models.UniqueConstraint(fields=["request"], name="objection_one_per_request")
        ]
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")

    def __str__(self) -> str:
        return f"{self.request} ({self.get_reason_display()})"

    @property
    def agency_id(self) -> int:  # for the audit log
        return self.request.agency_id
