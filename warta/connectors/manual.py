"""The `manual` connector: for platforms without an API (or channels in manual mode).

`publish` raises ManualPublishRequired: content turns it into a reminder for the agency's
officers at the scheduled time, and the officer pastes the post's URL to mark it
published. `parse_post_url` checks that pasted URL and pulls the post id out of it.
"""

import re
from datetime import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors.base import (
    Connector,
    ManualPublishRequired,
    PermanentError,
    PublishRequest,
    PublishResult,
    RemotePost,
    register,
)
from warta.lib.platforms import Platform

# Hosts a pasted URL may have per platform; an empty tuple accepts any https host.
_HOSTS: dict[str, tuple[str, ...]] = {
    Platform.INSTAGRAM: ("instagram.com", "www.instagram.com"),
    Platform.FACEBOOK: ("facebook.com", "www.facebook.com", "m.facebook.com", "fb.watch"),
    Platform.X: ("x.com", "twitter.com", "www.x.com", "mobile.x.com", "mobile.twitter.com"),
    Platform.TIKTOK: ("tiktok.com", "www.tiktok.com", "vm.tiktok.com", "vt.tiktok.com"),
    Platform.YOUTUBE: ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"),
    Platform.TELEGRAM: ("t.me", "telegram.me"),
    Platform.THREADS: ("threads.net", "www.threads.net", "threads.com", "www.threads.com"),
    # A WhatsApp Channel update's link: https://whatsapp.com/channel/<channel id>/<update>
    # (what "Salin tautan" on an update gives).
    Platform.WHATSAPP_CHANNEL: ("whatsapp.com", "www.whatsapp.com"),
}
_ID_PATTERNS: dict[str, str] = {
    Platform.INSTAGRAM: r"/(?:p|reel|tv)/([\w-]+)",
    Platform.X: r"/status/(\d+)",
    Platform.TIKTOK: r"/video/(\d+)",
    Platform.YOUTUBE: r"(?:v=|youtu\.be/|/shorts/)([\w-]{6,})",
    Platform.TELEGRAM: r"/(\d+)/?$",
    Platform.FACEBOOK: r"(?:/posts/|/videos/|story_fbid=|fbid=|/reel/)([\w.-]+)",
    Platform.THREADS: r"/post/([\w-]+)",
    Platform.WHATSAPP_CHANNEL: r"/channel/([\w-]+/\d+)",
}


def parse_post_url(platform: str, url: str) -> PublishResult:
    """The post a pasted URL points at; PermanentError with a clear message otherwise."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise PermanentError(
            gettext_noop("Alamat postingan harus berupa URL lengkap (https://...).")
        )
    hosts = _HOSTS.get(platform, ())
    host = parts.hostname or ""
    if hosts and host not in hosts:
        raise PermanentError(m.MANUAL_WRONG_DOMAIN(platform=platform, host=host))
    pattern = _ID_PATTERNS.get(platform)
    post_id = url
    if pattern:
        found = re.search(pattern, url)
        if found is None:
            raise PermanentError(gettext_noop("Alamat ini bukan alamat sebuah postingan."))
        post_id = found.group(1)
    return PublishResult(platform_post_id=post_id, url=url)


class ManualConnector(Connector):
    """Publishing is done by a person; nothing here talks to a platform."""

    def publish(self, request: PublishRequest) -> PublishResult:
        raise ManualPublishRequired(
            gettext_noop(
                "Kanal ini diposting manual: unggah postingan di aplikasinya, "
                "lalu tempel alamatnya."
            )
        )

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        return None  # only the officer knows; the pasted URL is the record


register(Platform.WEBSITE)(type("WebsiteManualConnector", (ManualConnector,), {}))
register(Platform.OTHER)(type("OtherManualConnector", (ManualConnector,), {}))
# WhatsApp Channels have no official API; an unofficial library is never an option for a
# government account. Assisted publishing: prepared in warta, posted by the officer.
register(Platform.WHATSAPP_CHANNEL)(type("WhatsAppChannelConnector", (ManualConnector,), {}))
register("manual")(ManualConnector)
