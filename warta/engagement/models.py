import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel
from warta.content.models import PostVariant
from warta.institutions.models import Agency
from warta.lib.storage import PrivateFileSystemStorage


class _DipStorage(PrivateFileSystemStorage):
    """Beside MEDIA_ROOT, not in it: a document leaves only through warta's own views (a DIP
    entry not excepted; an answer through its request's tracking link)."""


dip_storage = _DipStorage()


def _dip_path(instance: models.Model, filename: str) -> str:
    return f"dip/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"


class InboxItem(models.Model):
    """A comment, reply, mention or direct message from the public. Its text is untrusted."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Komentar")
        REPLY = "reply", _("Balasan")
        MENTION = "mention", _("Sebutan")
        MESSAGE = "message", _("Pesan langsung")

    class Status(models.TextChoices):
        NEW = "new", _("Baru")
        ASSIGNED = "assigned", _("Ditugaskan")
        DONE = "done", _("Selesai")
        HIDDEN = "hidden", _("Disembunyikan")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positif")
        NEUTRAL = "neutral", _("Netral")
        NEGATIVE = "negative", _("Negatif")

    class Intent(models.TextChoices):
        QUESTION = "question", _("Pertanyaan")
        COMPLAINT = "complaint", _("Keluhan")
        INFORMATION_REQUEST = "information_request", _("Permintaan informasi")
        SUGGESTION = "suggestion", _("Saran")
        PRAISE = "praise", _("Pujian")
        OTHER = "other", _("Lainnya")

    # No single-column indexes on agency and channel: the composite indexes below start
    # with them, and every index costs time on each of a million inserts.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="inbox_items", db_index=False
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="inbox_items", db_index=False
    )
    variant = models.ForeignKey(
        PostVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_items"
    )
    # The FK indexes of parent and assignee are partial (below): most items have neither,
    # and a NULL kept out of an index is one insertion less per ingested comment.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        db_index=False,
    )
    platform_item_id = models.CharField(max_length=200)
    # Kept as the platform gave them, so a thread holds together even before the post
    # or the parent is known to warta.
    platform_post_id = models.CharField(max_length=200, blank=True)
    platform_parent_id = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.COMMENT)
    author_name = models.CharField(_("nama pengirim"), max_length=200, blank=True)
    author_handle = models.CharField(_("akun pengirim"), max_length=200, blank=True)
    text = models.TextField(_("isi"))
    received_at = models.DateTimeField(_("diterima"))
    # Language-engine annotations (empty until annotated).
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, blank=True)
    is_abusive = models.BooleanField(default=False)
    is_hate_speech = models.BooleanField(default=False)
    intent = models.CharField(max_length=24, choices=Intent.choices, blank=True)
    is_spam = models.BooleanField(default=False)
    annotated_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    # Set for items that ask for an answer (questions, complaints, requests, messages):
    # the first-response target in working hours, counted in the region's zone.
    response_due_at = models.DateTimeField(_("batas tanggapan"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    hidden_on_platform = models.BooleanField(default=False)
    deleted_on_platform_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "platform_item_id"], name="inbox_item_unique_platform_id"
            )
        ]
        # The inbox filters by agency plus one or two of these, newest first.
        indexes = [
            models.Index(fields=["agency", "status", "-received_at"]),
            models.Index(fields=["agency", "-received_at"]),
            models.Index(fields=["agency", "intent", "-received_at"]),
            models.Index(fields=["agency", "assignee", "-received_at"]),
            models.Index(fields=["agency", "author_handle"]),
            models.Index(fields=["channel", "-received_at"]),
            # The region-wide view (coordinator): newest first across agencies.
            models.Index(fields=["-received_at", "-id"], name="inbox_item_newest"),
            models.Index(
                fields=["response_due_at"],
                name="inbox_item_awaiting_response",
                condition=models.Q(first_response_at__isnull=True, response_due_at__isnull=False),
            ),
            # Replies stored before their parent, looked up when the parent arrives.
            models.Index(
                fields=["channel", "platform_parent_id"],
                name="inbox_item_orphans",
                condition=models.Q(parent__isnull=True) & ~models.Q(platform_parent_id=""),
            ),
            models.Index(
                fields=["id"],
                name="inbox_item_unannotated",
                condition=models.Q(annotated_at__isnull=True),
            ),
            # A thread's replies (`parent_id IN (...)`) and SET_NULL when a parent or a user
            # is deleted: every such query names a value, which implies NOT NULL.
            models.Index(
                fields=["parent"],
                name="inbox_item_replies",
                condition=models.Q(parent__isnull=False),
            ),
            models.Index(
                fields=["assignee"],
                name="inbox_item_assigned",
                condition=models.Q(assignee__isnull=False),
            ),
        ]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:60]}"


class ReplyTemplate(models.Model):
    """A reusable answer of an agency; officers adapt it before sending."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="reply_templates")
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "title"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "title"], name="reply_template_unique_title")
        ]
        verbose_name = _("templat balasan")
        verbose_name_plural = _("templat balasan")

    def __str__(self) -> str:
        return self.title


class Reply(models.Model):
    """An answer from warta to an inbox item, sent through the channel's connector once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="warta_replies")
    text = models.TextField(_("balasan"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Comes from the form that was rendered, so a double submit or a retry of the same
    # reply finds this row instead of sending again; it also goes to the platform.
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    platform_reply_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # WhatsApp: outside the 24-hour window a reply goes out as this approved template, its
    # `{{1}}` filled with `text`; the status webhooks say when it arrived and was read.
    wa_template = models.ForeignKey(
        "channels.WhatsAppTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("templat WhatsApp"),
    )
    delivered_at = models.DateTimeField(_("sampai"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("balasan")
        verbose_name_plural = _("balasan")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def as_sent(self) -> str:
        """What the citizen reads: the template's body with the text in it, or the text."""
        return self.wa_template.filled(self.text) if self.wa_template else self.text


class WhatsAppContact(models.Model):
    """A citizen who wrote to a WhatsApp channel: their number, window and consent.

    The number is personal data: stored encrypted (looked up by its keyed hash), shown
    masked; only sending decrypts it. `last_inbound_at` opens the 24-hour window for
    free-form replies; `opted_out_at` (the citizen wrote STOP/BERHENTI) stops everything
    warta would send them on this channel until they write MULAI.
    """

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="wa_contacts")
    number_hash = models.CharField(max_length=64)
    number_encrypted = models.TextField()
    masked = models.CharField(_("nomor (tersamar)"), max_length=32)
    last_inbound_at = models.DateTimeField(_("pesan terakhir warga"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("berhenti berlangganan"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "number_hash"], name="wa_contact_unique_number"
            )
        ]
        verbose_name = _("kontak WhatsApp")
        verbose_name_plural = _("kontak WhatsApp")

    def __str__(self) -> str:
        return self.masked


class SavedView(models.Model):
    """A named set of inbox filters a person comes back to."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_views"
    )
    name = models.CharField(_("nama"), max_length=80)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


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


class Consultation(models.Model):
    """A question an agency asks the public, the input it got, and what was done with it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(_("judul"), max_length=200)
    question = models.TextField(_("pertanyaan"))
    background = models.TextField(_("latar belakang"), blank=True)
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    has_public_form = models.BooleanField(_("formulir publik"), default=True)
    announcing_variants = models.ManyToManyField(
        PostVariant,
        blank=True,
        related_name="consultations",
        verbose_name=_("unggahan pengumuman"),
    )
    follow_up_post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]
        verbose_name = _("konsultasi publik")
        verbose_name_plural = _("konsultasi publik")

    def __str__(self) -> str:
        return self.title

    def is_open_at(self, moment: "datetime") -> bool:
        return self.opens_at <= moment < self.closes_at


class ConsultationTheme(models.Model):
    """A group of similar input, and the agency's answer to it."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        CONSIDERING = "considering", _("Dipertimbangkan")
        NOT_TAKEN = "not_taken", _("Tidak ditindaklanjuti")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("nama tema"), max_length=200)
    keywords = models.JSONField(default=list, blank=True)
    answer = models.CharField(_("jawaban"), max_length=16, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("alasan"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the public sees of this theme: a snapshot taken when an officer pressed
    # "Terbitkan" after a preview (see consultations.theme_public_view). Nothing of a
    # theme is public while this is null; later edits stay private until published again.
    published = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("tema masukan")
        verbose_name_plural = _("tema masukan")

    def __str__(self) -> str:
        return self.label


class ConsultationInput(models.Model):
    """One piece of public input (untrusted text); identical input is counted, not repeated."""

    class Source(models.TextChoices):
        FORM = "form", _("Formulir publik")
        COMMENT = "comment", _("Komentar unggahan")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="inputs")
    source = models.CharField(max_length=16, choices=Source.choices)
    inbox_item = models.ForeignKey(
        InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("masukan"))
    # sha256 of the normalised text: the key that de-duplicates. Every piece of input is
    # kept (nothing is lost); a repeat points at the first one, which counts its repeats.
    text_key = models.CharField(max_length=64)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="repeats"
    )
    duplicates = models.PositiveIntegerField(default=0)
    theme = models.ForeignKey(
        ConsultationTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="inputs"
    )
    is_representative = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    # What the screening on arrival found (personal data, insults, SARA): a list of
    # {"code", "start", "end"} spans into `text`; null = not screened yet. The text itself
    # is never changed: officers see all of it, the public only the masked version.
    findings = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "inbox_item"],
                name="consultation_input_unique_item",
                condition=models.Q(inbox_item__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["consultation", "text_key"])]
        verbose_name = _("masukan publik")
        verbose_name_plural = _("masukan publik")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def weight(self) -> int:
        return 1 + self.duplicates


class FollowUpAction(models.Model):
    """Something the agency does about a theme; its progress is shown to the public."""

    theme = models.ForeignKey(ConsultationTheme, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("tindak lanjut"), max_length=200)
    due_date = models.DateField(_("target selesai"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="follow_up_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    """A dated note on a follow-up action."""

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("tanggal"))
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"))
    note = models.TextField(_("catatan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.progress}%"


class PublicFormHit(models.Model):
    """A submission on a public form, kept briefly to rate-limit per address and browser."""

    ip_address = models.GenericIPAddressField(null=True)
    # sha256 of the browser's random token (cookie), so one browser is counted on its own
    # while a whole neighbourhood behind one CGNAT address is not.
    browser = models.CharField(max_length=64, blank=True)
    text_key = models.CharField(max_length=64, blank=True)  # a repeat from one browser
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["ip_address", "at"]),
            models.Index(fields=["browser", "at"], name="engagement_hit_browser_at"),
        ]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.at}"


class PublicInformation(models.Model):
    """One entry of an agency's Daftar Informasi Publik (UU 14/2008 Pasal 9-11, 17)."""

    class Category(models.TextChoices):
        PERIODIC = "periodic", _("Berkala")
        IMMEDIATE = "immediate", _("Serta-merta")
        ON_REQUEST = "on_request", _("Setiap saat")
        EXCEPTED = "excepted", _("Dikecualikan")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="public_information")
    title = models.CharField(_("judul informasi"), max_length=300)
    summary = models.TextField(_("ringkasan isi"), blank=True)
    category = models.CharField(_("klasifikasi"), max_length=16, choices=Category.choices)
    # For an excepted entry: the legal basis (Pasal 17) and the consequence test.
    legal_basis = models.CharField(_("dasar pengecualian"), max_length=300, blank=True)
    consequence = models.TextField(_("uji konsekuensi"), blank=True)
    format = models.CharField(_("bentuk informasi"), max_length=100, blank=True)
    retention = models.CharField(_("jangka waktu penyimpanan"), max_length=100, blank=True)
    document = models.FileField(
        _("dokumen"), upload_to=_dip_path, storage=dip_storage, blank=True, max_length=300
    )
    document_name = models.CharField(max_length=300, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pejabat penanggung jawab"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["agency", "category", "title"]
        indexes = [models.Index(fields=["agency", "category"])]
        verbose_name = _("daftar informasi publik")
        verbose_name_plural = _("daftar informasi publik")

    def __str__(self) -> str:
        return self.title
