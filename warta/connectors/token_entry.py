"""Connecting accounts by token entry (no OAuth): Telegram bots and Mastodon tokens.

`validate_telegram(bot_token=..., chat="@kanal")` and
`validate_mastodon(instance_url=..., access_token=...)` check the token against the
platform and return a `ConnectableAccount` in the same shape as the OAuth flows
(warta/connectors/oauth.py), or raise AuthError / PermanentError with a message for the
officer.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors.base import Account, PermanentError
from warta.connectors.oauth import ConnectableAccount, _connector
from warta.lib.platforms import Platform


def validate_telegram(
    *, bot_token: str, chat: str, http: httpx.Client | None = None, base_url: str = ""
) -> ConnectableAccount:
    """Check a bot token (getMe) and that the bot administers the channel (getChat)."""
    bot_token, chat = bot_token.strip(), chat.strip()
    if ":" not in bot_token:
        raise PermanentError(
            gettext_noop("Token bot tidak berformat benar (contoh: 123456:ABC...).")
        )
    if chat.startswith("https://t.me/"):
        chat = "@" + chat.removeprefix("https://t.me/").strip("/")
    api = _connector(Platform.TELEGRAM, base_url=base_url, http=http, bot_token=bot_token)
    api.account = Account(
        platform=Platform.TELEGRAM,
        external_id=chat,
        handle="",
        credentials={"bot_token": bot_token},
        base_url=base_url,
    )
    info = api.validate()
    channel = info["chat"]
    linked = channel.get("linked_chat_id")
    return ConnectableAccount(
        platform=Platform.TELEGRAM,
        external_id=str(channel["id"]),
        handle=str(channel.get("username") or channel.get("title") or channel["id"]),
        credentials={
            "bot_token": bot_token,
            **({"discussion_chat_id": str(linked)} if linked else {}),
        },
        url=f"https://t.me/{channel['username']}" if channel.get("username") else "",
    )


def check_instance_url(url: str) -> str:
    """An https URL of a public host: officers type it, so it must not reach our network."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise PermanentError(gettext_noop("Alamat server Mastodon harus https://nama-server."))
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, 443)}
    except OSError:
        raise PermanentError(m.SERVER_NOT_FOUND(host=parts.hostname)) from None
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if not ip.is_global:
            raise PermanentError(m.SERVER_NOT_PUBLIC(host=parts.hostname))
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def validate_mastodon(
    *,
    instance_url: str,
    access_token: str,
    http: httpx.Client | None = None,
    allow_private: bool = False,
) -> ConnectableAccount:
    """Check a Mastodon token with verify_credentials on the account's own instance.

    `allow_private` skips the public-https check (tests against a local fake only).
    """
    if allow_private:
        instance_url = instance_url.strip().rstrip("/")
    else:
        instance_url = check_instance_url(instance_url)
    api = _connector(
        Platform.MASTODON, token=access_token.strip(), base_url=instance_url, http=http
    )
    me = api.validate()
    return ConnectableAccount(
        platform=Platform.MASTODON,
        external_id=str(me["id"]),
        handle=str(me.get("acct") or me["username"]),
        credentials={"access_token": access_token.strip(), "base_url": instance_url},
        url=str(me.get("url") or ""),
        followers=me.get("followers_count"),
    )
