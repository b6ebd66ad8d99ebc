"""Fake Telegram Bot API: /bot<token>/<method> with {"ok": ..., "result": ...} answers.

As Telegram does (https://core.telegram.org/bots/faq, "bots will not receive messages
from other bots" / their own; https://core.telegram.org/bots/features#privacy-mode):
the bot gets no update for its own channel posts, and sees the discussion group's
comments only as an administrator there or with privacy mode off (`discussion_admin`,
`privacy_mode`). Error answers are {"ok": false, "error_code", "description"}
(https://core.telegram.org/bots/api#making-requests).

Flood limits as the FAQ gives them (`overall_per_second`, `chat_per_minute`; `throttled`
counts refusals): a send over one is answered 429 "Too Many Requests: retry after N" with
`parameters.retry_after` N, the seconds until it would fit (the Bot API documents no
header for it). An album counts as the messages it sends.
"""

import json
from typing import Any

from warta.connectors.fakes.limits import SlidingWindow
from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route

# "the API will not allow more than 30 messages per second or so" (all chats of one bot),
# and "your bot will not be able to send more than 20 messages per minute to the same
# group" (a channel counts alike, says @BotSupport as quoted by python-telegram-bot).
# https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
# The 429 answer: https://core.telegram.org/bots/api#responseparameters ("retry_after: In
# case of exceeding flood control, the number of seconds left to wait").
SENDS = ("sendMessage", "sendPhoto", "sendVideo", "sendDocument", "sendMediaGroup")


def _media(params: dict[str, Any]) -> list[dict[str, Any]]:
    """sendMediaGroup's `media`: a JSON-serialized array (in a form) or the array itself."""
    raw = params.get("media", "[]")
    try:
        media = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        return []
    return media if isinstance(media, list) else []


class FakeTelegram(FakePlatform):
    platform = "telegram"
    token_prefix = "123456:bot"  # noqa: S105
    external_id = "-1001234567890"
    handle = "pemkotbontang"
    discussion_chat_id = "-1009876543210"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.updates: list[dict[str, Any]] = []
        self.members = 1520
        self.deleted: set[int] = set()
        self._message_ids = iter(range(101, 10**9))
        self.discussion_admin = True
        self.privacy_mode = True  # BotFather's default
        self.overall_per_second = SlidingWindow(30, 1)
        self.chat_per_minute = SlidingWindow(20, 60)
        self.throttled = 0  # sends refused for flood control, injected faults aside

    def _flood_wait(self, token: str, chat: str, messages: int) -> int:
        """Count a send against the bot's and the chat's windows; the wait if over one."""
        now = self.now().timestamp()
        with self.lock:
            group = chat.startswith(("-", "@"))  # groups and channels; users are positive
            wait = self.chat_per_minute.take(f"{token}:{chat}", now, messages) if group else 0
            if not wait:
                wait = self.overall_per_second.take(token, now, messages)
                if wait and group:
                    # Refused after all: give the chat's window its places back.
                    self.chat_per_minute.give_back(f"{token}:{chat}", now, messages)
            self.throttled += bool(wait)
        return wait

    def credentials(self) -> dict[str, Any]:
        return {"bot_token": self.access_token, "discussion_chat_id": self.discussion_chat_id}

    def authorized(self, request: FakeRequest) -> bool:
        return request.match is not None and request.match["token"] in self.valid_tokens

    def error(self, kind: str) -> FakeResponse:
        def fail(code: int, description: str, **params: Any) -> FakeResponse:
            body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
            if params:
                body["parameters"] = params
            return FakeResponse(code, body)

        return {
            Fault.RATE_LIMIT: fail(429, "Too Many Requests: retry after 5", retry_after=5),
            Fault.THROTTLED: fail(429, "Too Many Requests: retry after 30", retry_after=30),
            Fault.EXPIRED_TOKEN: fail(401, "Unauthorized"),
            "kicked": fail(403, "Forbidden: bot was kicked from the channel chat"),
            # An admin removed the bot's "post messages" right, or demoted it.
            "not_admin": fail(400, "Bad Request: need administrator rights in the channel chat"),
            "write_forbidden": fail(400, "Bad Request: CHAT_WRITE_FORBIDDEN"),
            Fault.INVALID_MEDIA: fail(400, "Bad Request: IMAGE_PROCESS_FAILED"),
            Fault.DUPLICATE: fail(400, "Bad Request: message is not modified"),
        }.get(kind) or fail(502, "Bad Gateway")

    def _chat(self) -> dict[str, Any]:
        return {
            "id": int(self.external_id),
            "type": "channel",
            "title": "Pemkot Bontang",
            "username": self.handle,
        }

    def _message(self, **fields: Any) -> dict[str, Any]:
        with self.lock:
            message_id = next(self._message_ids)
        message = {
            "message_id": message_id,
            "date": int(self.now().timestamp()),
            "chat": self._chat(),
            **fields,
        }
        with self.lock:
            # Sent by the bot itself: Telegram sends it no update about it.
            self.posts[str(message_id)] = message
        return message

    def add_comment(
        self, post_id: str, text: str, *, author: str = "warga", reply_to: int = 0
    ) -> dict[str, Any]:
        """A comment in the discussion group on channel post `post_id` (or on a comment)."""
        with self.lock:
            message_id = next(self._message_ids)
        if reply_to:
            parent: dict[str, Any] = {"message_id": reply_to}
        else:
            parent = {
                "message_id": 9000 + int(post_id),
                "is_automatic_forward": True,
                "forward_origin": {"type": "channel", "message_id": int(post_id)},
            }
        message = {
            "message_id": message_id,
            "date": int(self.now().timestamp()),
            "chat": {"id": int(self.discussion_chat_id), "type": "supergroup"},
            "from": {"id": 77, "first_name": author.title(), "username": author},
            "text": text,
            "reply_to_message": parent,
        }
        with self.lock:
            self.comments[str(message_id)] = message
            self.updates.append({"update_id": 5000 + message_id, "message": message})
        return message

    @route("POST", r"/bot(?P<token>[^/]+)/(?P<method>\w+)")
    def bot_method(self, request: FakeRequest) -> FakeResponse:
        # https://core.telegram.org/bots/api (each method's section: #sendmessage, #getupdates, ...)
        assert request.match is not None
        method = request.match["method"]
        params: dict[str, Any] = dict(request.form)
        if request.headers.get("content-type", "").startswith("application/json"):
            params = request.json()

        def ok(result: Any) -> FakeResponse:
            return FakeResponse(200, {"ok": True, "result": result})

        if method == "getMe":
            return ok(
                {
                    "id": 4242,
                    "is_bot": True,
                    "first_name": "Warta",
                    "username": "warta_bot",
                    "can_join_groups": True,
                    "can_read_all_group_messages": not self.privacy_mode,
                }
            )
        if method == "getChatMember":
            chat, user = str(params.get("chat_id", "")), int(params.get("user_id") or 0)
            admin = chat == self.external_id or (
                chat == self.discussion_chat_id and self.discussion_admin
            )
            # https://core.telegram.org/bots/api#chatmember
            status = "administrator" if admin and user == 4242 else "member"
            return ok({"status": status, "user": {"id": user, "is_bot": user == 4242}})
        if method in (
            "getChat",
            "getChatAdministrators",
            "getChatMemberCount",
            "sendMessage",
            "sendPhoto",
            "sendVideo",
            "sendDocument",
            "sendMediaGroup",
            "deleteMessages",
        ):
            chat = str(params.get("chat_id", ""))
            if chat not in (self.external_id, f"@{self.handle}", self.discussion_chat_id):
                return FakeResponse(
                    400,
                    {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                )
        if method in SENDS and self.rate_limits_on:
            count = len(_media(params)) if method == "sendMediaGroup" else 1
            wait = self._flood_wait(request.match["token"], str(params.get("chat_id", "")), count)
            if wait:
                return FakeResponse(
                    429,
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {wait}",
                        "parameters": {"retry_after": wait},
                    },
                )
        if method == "getChat":
            return ok(self._chat())
        if method == "getChatAdministrators":
            return ok([{"status": "administrator", "user": {"id": 4242, "is_bot": True}}])
        if method == "getChatMemberCount":
            return ok(self.members)
        if method == "getUpdates":
            sees_group = self.discussion_admin or not self.privacy_mode
            with self.lock:
                updates = [u for u in self.updates if sees_group or "message" not in u]
            return ok(updates[-100:])
        if method == "sendMessage":
            text = str(params.get("text", ""))
            if not text:
                return FakeResponse(
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: message text is empty",
                    },
                )
            if str(params.get("chat_id")) == self.discussion_chat_id:
                with self.lock:
                    message_id = next(self._message_ids)
                reply_to = (params.get("reply_parameters") or {}).get("message_id")
                message = {
                    "message_id": message_id,
                    "date": int(self.now().timestamp()),
                    "chat": {"id": int(self.discussion_chat_id)},
                    "text": text,
                    "reply_to_message": {"message_id": reply_to},
                }
                with self.lock:
                    self.comments[str(message_id)] = message
                return ok(message)
            self.record_publish(caption=text)
            return ok(self._message(text=text))
        if method in ("sendPhoto", "sendVideo", "sendDocument"):
            field = {"sendPhoto": "photo", "sendVideo": "video", "sendDocument": "document"}[method]
            if field not in request.files and field not in params:
                return FakeResponse(
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": f"Bad Request: there is no {field} in the request",
                    },
                )
            caption = str(params.get("caption", ""))
            self.record_publish(caption=caption)
            return ok(self._message(caption=caption, **{field: [{"file_id": f"F{self.new_id()}"}]}))
        if method == "sendMediaGroup":
            media = _media(params)
            if not 2 <= len(media) <= 10:
                return FakeResponse(
                    400,
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: wrong number of media",
                    },
                )
            for entry in media:
                name = str(entry.get("media", "")).removeprefix("attach://")
                if name not in request.files:
                    return FakeResponse(
                        400,
                        {
                            "ok": False,
                            "error_code": 400,
                            "description": "Bad Request: wrong file identifier",
                        },
                    )
            caption = str(media[0].get("caption", ""))
            self.record_publish(caption=caption)
            group = self.new_id()
            return ok(
                [
                    self._message(caption=caption if i == 0 else "", media_group_id=group)
                    for i, _ in enumerate(media)
                ]
            )
        if method == "deleteMessages":
            with self.lock:
                for deleted_id in params.get("message_ids", []):
                    self.posts.pop(str(deleted_id), None)
                    self.deleted.add(int(deleted_id))
            return ok(True)
        return FakeResponse(404, {"ok": False, "error_code": 404, "description": "Not Found"})
