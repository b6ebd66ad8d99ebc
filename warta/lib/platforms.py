"""The social platforms warta knows, and how a channel on each is connected."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", _("Halaman Facebook")
    X = "x", "X"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    TELEGRAM = "telegram", _("Kanal Telegram")
    MASTODON = "mastodon", "Mastodon"
    THREADS = "threads", "Threads"
    # The WhatsApp Business Cloud API: messages with citizens (a complaint line, notices),
    # never posts. WhatsApp Channels have no official API: a manual channel of their own.
    WHATSAPP = "whatsapp", _("WhatsApp Business (pesan)")
    WHATSAPP_CHANNEL = "whatsapp_channel", _("Saluran WhatsApp (manual)")
    WEBSITE = "website", _("Situs web/RSS")
    OTHER = "other", _("Lainnya")


class ConnectionMode(models.TextChoices):
    API = "api", _("API platform")
    EXPORT = "export", _("Impor berkas ekspor")
    MANUAL = "manual", _("Manual")
    # warta's own sandbox platforms, for the demo and for training officers: the real
    # connectors against local fakes (docs/sandbox.md). Nothing reaches the internet.
    SANDBOX = "sandbox", _("Sandbox/latihan")


# Modes in which warta itself talks to the platform (publishes, syncs, replies).
API_MODES = (ConnectionMode.API, ConnectionMode.SANDBOX)

# Platforms for messages only: no posts are published to them (the composer, the calendar
# and the publisher leave them out), and their messages arrive by webhook, not by sync.
MESSAGING_PLATFORMS = (Platform.WHATSAPP,)

# Platforms without any API: posted by a person (reminded at the scheduled time), who
# pastes the post's link.
MANUAL_ONLY_PLATFORMS = (Platform.WHATSAPP_CHANNEL,)
