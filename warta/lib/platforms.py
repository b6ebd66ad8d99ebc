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
