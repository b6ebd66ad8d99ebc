"""WhatsApp Business: the citizens who wrote to a channel."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from warta.channels.models import Channel


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
