"""Telegram channel through the Bot API (the bot is an administrator of the channel).

Quirks: the bot token is part of every URL (so URLs are never logged or shown); the Bot
API cannot read a channel's history and Telegram sends a bot no update about its own
posts (https://core.telegram.org/bots/faq), so neither `find_post` nor `fetch_post` is
offered: after a lost answer a person verifies; there are no view counts for bots;
comments exist only in the channel's linked discussion group
(`credentials["discussion_chat_id"]`), read from the unconfirmed updates of the last
24 hours, and only when the bot is an administrator there or its privacy mode is off
(https://core.telegram.org/bots/features#privacy-mode). A bot that lost its right to
post (kicked, demoted, "need administrator rights", CHAT_WRITE_FORBIDDEN) is an
AuthError: the channel needs reconnecting. A media group's post id is its message ids
joined by commas.
"""

import json
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors._http import HttpConnector, parse_time
from warta.connectors.base import (
    AuthError,
    NotSupported,
    Page,
    PermanentError,
    PublishRequest,
    PublishResult,
    RemoteComment,
    RemotePost,
    TransientError,
    register,
)
from warta.connectors.ratelimits import ACCOUNT, RateObservation
from warta.lib import clock
from warta.lib.platforms import Platform

_SEND_BY_KIND = {
    "image": ("sendPhoto", "photo"),
    "video": ("sendVideo", "video"),
    "document": ("sendDocument", "document"),
}
_GROUP_TYPE = {"image": "photo", "video": "video", "document": "document"}
_SENDS = ("/sendMessage", "/sendPhoto", "/sendVideo", "/sendDocument", "/sendMediaGroup")
# Descriptions of a bot that may no longer post in the channel (any post would fail the
# same way): the channel needs reconnecting, not each post a retry.
_LOCKED_OUT = (
    "chat not found",
    "not enough rights",
    "need administrator rights",
    "chat_write_forbidden",
    "have no rights to send",
    "bot is not a member",
    "chat_admin_required",
)


@register(Platform.TELEGRAM)
class TelegramConnector(HttpConnector):
    default_base_url = "https://api.telegram.org"
    label = "Telegram"

    def _auth_headers(self) -> dict[str, str]:
        return {}

    @property
    def _token(self) -> str:
        creds = self.account.credentials
        return str(creds.get("bot_token") or creds.get("access_token") or "")

    def call(self, method: str, *, commit: bool = False, **kwargs: Any) -> Any:
        """Call one Bot API method and return its `result`."""
        body = self._request("POST", f"/bot{self._token}/{method}", commit=commit, **kwargs)
        return body.get("result") if isinstance(body, dict) else None

    def _observe_rate(self, method: str, path: str, response: httpx.Response) -> None:
        """Flood control on a send holds the channel's posts for `retry_after` seconds.

        429 with parameters.retry_after, https://core.telegram.org/bots/api#responseparameters;
        the limits: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
        """
        if response.status_code != 429 or not path.endswith(_SENDS):
            return
        wait = float((response.json().get("parameters") or {}).get("retry_after") or 1)
        self.rate_observations.add(
            RateObservation(
                scope=ACCOUNT,
                name="posts_1m",
                remaining=0,
                resets_at=clock.now() + timedelta(seconds=wait),
            )
        )

    def _raise_for_body(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        if isinstance(body, dict) and body.get("ok") is False:
            self._raise_for_error(response, body, commit=commit)

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        if not isinstance(body, dict):
            return
        code = int(body.get("error_code") or response.status_code)
        description = str(body.get("description") or "")
        params = body.get("parameters") or {}
        platform_code = str(code)
        if code == 429:
            raise TransientError(
                m.TELEGRAM_RATE_LIMITED(detail=description),
                retry_after=float(params.get("retry_after") or 1),
                platform_code=platform_code,
            )
        if code >= 500:
            raise TransientError(
                m.TROUBLE(platform="Telegram", detail=description),
                platform_code=platform_code,
                outcome_unknown=commit,
            )
        lowered = description.lower()
        if code in (401, 403) or any(marker in lowered for marker in _LOCKED_OUT):
            # 401: the token was revoked at @BotFather; 403: the bot was kicked; 400 "need
            # administrator rights" / CHAT_WRITE_FORBIDDEN: it lost its right to post;
            # "chat not found": the channel is gone for this bot.
            raise AuthError(
                m.TELEGRAM_BOT_LOCKED_OUT(detail=description),
                platform_code=platform_code,
            )
        if "migrate_to_chat_id" in params:
            raise PermanentError(
                m.TELEGRAM_MIGRATED(chat=params["migrate_to_chat_id"]),
                platform_code=platform_code,
            )
        raise PermanentError(
            m.TELEGRAM_MESSAGE_REJECTED(detail=description), platform_code=platform_code
        )

    # --- publishing ----------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> PublishResult:
        chat = self.account.external_id
        if not request.media:
            message = self.call(
                "sendMessage",
                commit=True,
                json={"chat_id": chat, "text": request.caption or request.title},
            )
            return self._result([message])
        if len(request.media) == 1:
            media = request.media[0]
            method, field = _SEND_BY_KIND.get(media.kind, ("sendDocument", "document"))
            with media.path.open("rb") as handle:
                message = self.call(
                    method,
                    commit=True,
                    data={"chat_id": chat, "caption": request.caption},
                    files={field: (media.path.name, handle, media.mime_type)},
                )
            return self._result([message])
        return self._result(self._send_group(chat, request))

    def _send_group(self, chat: str, request: PublishRequest) -> list[dict[str, Any]]:
        kinds = {m.kind for m in request.media}
        if "document" in kinds and len(kinds) > 1:
            raise PermanentError(
                gettext_noop("Telegram tidak bisa mencampur dokumen dengan foto/video.")
            )
        entries: list[dict[str, Any]] = []
        handles = []
        try:
            files = {}
            for index, media in enumerate(request.media):
                name = f"file{index}"
                handle = media.path.open("rb")
                handles.append(handle)
                files[name] = (media.path.name, handle, media.mime_type)
                entry: dict[str, Any] = {
                    "type": _GROUP_TYPE.get(media.kind, "document"),
                    "media": f"attach://{name}",
                }
                if index == 0 and request.caption:
                    entry["caption"] = request.caption  # shown under the album
                entries.append(entry)
            result = self.call(
                "sendMediaGroup",
                commit=True,
                data={"chat_id": chat, "media": json.dumps(entries)},
                files=files,
            )
        finally:
            for handle in handles:
                handle.close()
        return list(result or [])

    def _result(self, messages: list[dict[str, Any]]) -> PublishResult:
        if not messages or "message_id" not in messages[0]:
            raise TransientError(
                gettext_noop("Telegram tidak mengembalikan pesan"), outcome_unknown=True
            )
        ids = ",".join(str(m["message_id"]) for m in messages)
        first = messages[0]
        return PublishResult(
            platform_post_id=ids,
            url=self._message_url(first.get("chat") or {}, first["message_id"]),
            published_at=parse_time(first.get("date")),
        )

    def _message_url(self, chat: dict[str, Any], message_id: Any) -> str:
        username = chat.get("username") or self.account.handle.lstrip("@")
        if username:
            return f"https://t.me/{username}/{message_id}"
        internal = str(chat.get("id") or self.account.external_id).removeprefix("-100")
        return f"https://t.me/c/{internal}/{message_id}"

    def _updates(self) -> list[dict[str, Any]]:
        # Without `offset` nothing is confirmed: other readers still see these updates.
        try:
            return list(self.call("getUpdates", json={"limit": 100, "timeout": 0}) or [])
        except PermanentError as exc:
            if exc.platform_code == "409":  # a webhook is set: updates go there instead
                return []
            raise

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        # Telegram never sends a bot its own channel posts as updates, and no Bot API
        # method reads a channel's history: there is nothing to search.
        raise NotSupported(
            gettext_noop("Bot Telegram tidak dapat membaca postingan kanal; periksa di Telegram.")
        )

    def delete(self, platform_post_id: str) -> None:
        ids = [int(i) for i in platform_post_id.split(",") if i]
        self.call("deleteMessages", json={"chat_id": self.account.external_id, "message_ids": ids})

    def fetch_followers(self) -> int:
        return int(self.call("getChatMemberCount", json={"chat_id": self.account.external_id}))

    # --- comments in the linked discussion group ----------------------------------------
    @property
    def _discussion(self) -> str:
        return str(self.account.credentials.get("discussion_chat_id") or "")

    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        if not self._discussion:
            raise NotSupported(gettext_noop("Kanal ini tidak punya grup diskusi untuk komentar."))
        items = []
        for update in self._updates():
            message = update.get("message") or {}
            if str((message.get("chat") or {}).get("id")) != self._discussion:
                continue
            parent = message.get("reply_to_message") or {}
            if not parent or message.get("is_automatic_forward"):
                continue
            created = parse_time(message.get("date")) or clock.now()
            if since and created < since:
                continue
            items.append(self._comment(message, parent, created))
        if not items:
            self._check_comments_visible()
        # getUpdates holds at most 24 hours and 100 updates: one page, no cursor.
        return Page(items=items)

    def _check_comments_visible(self) -> None:
        """Raise when the bot cannot see the discussion group, so the officer knows why
        no comments arrive: it must be an admin there or have privacy mode off."""
        me = self.call("getMe") or {}
        if me.get("can_read_all_group_messages"):
            return
        member = self.call(
            "getChatMember", json={"chat_id": self._discussion, "user_id": me.get("id")}
        )
        if (member or {}).get("status") in ("administrator", "creator"):
            return
        raise PermanentError(
            gettext_noop(
                "Bot Telegram tidak melihat komentar di grup diskusi: jadikan bot admin grup "
                "diskusi, atau matikan privacy mode bot lewat @BotFather (/setprivacy)."
            ),
            platform_code="comments_hidden",
        )

    def _comment(
        self, message: dict[str, Any], parent: dict[str, Any], created: datetime
    ) -> RemoteComment:
        sender = message.get("from") or {}
        origin = parent.get("forward_origin") or {}
        post_id = str(origin.get("message_id") or parent.get("forward_from_message_id") or "")
        name = " ".join(filter(None, [sender.get("first_name"), sender.get("last_name")]))
        return RemoteComment(
            platform_item_id=f"{message['chat']['id']}:{message['message_id']}",
            text=str(message.get("text") or message.get("caption") or ""),
            author_name=name,
            author_handle=str(sender.get("username") or sender.get("id") or ""),
            created_at=created,
            platform_post_id=post_id,
            parent_id="" if post_id else f"{message['chat']['id']}:{parent.get('message_id')}",
            kind="comment" if post_id else "reply",
        )

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        chat_id, _, message_id = platform_item_id.rpartition(":")
        if not chat_id:
            raise PermanentError(gettext_noop("ID komentar Telegram tidak dikenal."))
        message = self.call(
            "sendMessage",
            commit=True,
            json={
                "chat_id": chat_id,
                "text": text,
                "reply_parameters": {"message_id": int(message_id)},
            },
        )
        return RemoteComment(
            platform_item_id=f"{chat_id}:{message['message_id']}",
            text=text,
            author_name=self.account.handle,
            author_handle=self.account.handle,
            created_at=parse_time(message.get("date")) or clock.now(),
            parent_id=platform_item_id,
            kind="reply",
        )

    def validate(self) -> dict[str, Any]:
        """getMe and getChat: the bot works and is an administrator of the channel."""
        me = self.call("getMe")
        chat = self.call("getChat", json={"chat_id": self.account.external_id})
        admins = self.call("getChatAdministrators", json={"chat_id": self.account.external_id})
        if not any((a.get("user") or {}).get("id") == me.get("id") for a in admins or []):
            raise AuthError(gettext_noop("Bot belum menjadi admin kanal ini."))
        return {"bot": me, "chat": chat}
