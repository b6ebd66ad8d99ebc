"""Fake Mastodon instance: statuses (with Idempotency-Key), media v2, notifications.

`video_processing_polls`: how many GET /api/v1/media/:id answer 206 before a video is ready.
`followers`: the account's followers_count. `add_comment(post_id, text)` adds a mention.
"""

import html
from datetime import timedelta
from typing import Any

from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route


class FakeMastodon(FakePlatform):
    platform = "mastodon"
    external_id = "109000000000000001"
    handle = "bontang"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.video_processing_polls = 2
        self.followers = 830
        self.media: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[str, str] = {}
        self.notifications: list[dict[str, Any]] = []

    def error(self, kind: str) -> FakeResponse:
        if kind == Fault.RATE_LIMIT:
            reset = (self.now() + timedelta(seconds=7)).isoformat()
            return FakeResponse(429, {"error": "Too many requests"}, {"X-RateLimit-Reset": reset})
        if kind == Fault.EXPIRED_TOKEN:
            return FakeResponse(401, {"error": "The access token is invalid"})
        if kind == Fault.INVALID_MEDIA:
            return FakeResponse(422, {"error": "Validation failed: File content type is invalid"})
        if kind == Fault.DUPLICATE:
            return FakeResponse(422, {"error": "Validation failed: Text duplicate"})
        return FakeResponse(503, {"error": "Service Unavailable"})

    def _account(self) -> dict[str, Any]:
        return {
            "id": self.external_id,
            "username": self.handle,
            "acct": self.handle,
            "display_name": "Pemkot Bontang",
            "followers_count": self.followers,
        }

    def _status(self, text: str, **fields: Any) -> dict[str, Any]:
        status_id = self.new_id()
        status = {
            "id": status_id,
            "created_at": self.now().isoformat().replace("+00:00", "Z"),
            "url": f"https://social.example/@{self.handle}/{status_id}",
            "content": f"<p>{html.escape(text)}</p>",
            "account": self._account(),
            "in_reply_to_id": None,
            "visibility": "public",
            "edited_at": None,
            "favourites_count": 0,
            "reblogs_count": 0,
            "replies_count": 0,
            "media_attachments": [],
            **fields,
        }
        with self.lock:
            self.posts[status_id] = status
        return status

    def add_comment(
        self, post_id: str, text: str, *, author: str = "warga@mastodon.example"
    ) -> dict[str, Any]:
        who = {"id": "77", "username": author.split("@")[0], "acct": author, "display_name": author}
        status = self._status(f"@{self.handle} {text}", in_reply_to_id=post_id, account=who)
        with self.lock:
            self.posts.pop(status["id"])
            self.comments[status["id"]] = status
            self.notifications.append(
                {
                    "id": self.new_id(),
                    "type": "mention",
                    "created_at": status["created_at"],
                    "status": status,
                }
            )
        return status

    @route("GET", r"/api/v1/accounts/verify_credentials")
    def verify_credentials(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, self._account())

    @route("POST", r"/api/v2/media")
    def upload(self, request: FakeRequest) -> FakeResponse:
        if "file" not in request.files:
            return FakeResponse(422, {"error": "Validation failed: File can't be blank"})
        _, ctype, _ = request.files["file"]
        media_id = self.new_id()
        video = ctype.startswith("video/")
        item = {
            "id": media_id,
            "type": "video" if video else "image",
            "url": None if video else f"https://files.example/{media_id}",
            "description": request.form.get("description"),
            "_polls": self.video_processing_polls if video else 0,
        }
        with self.lock:
            self.media[media_id] = item
        public = {k: v for k, v in item.items() if not k.startswith("_")}
        return FakeResponse(202 if video else 200, public)

    @route("GET", r"/api/v1/media/(?P<id>\w+)")
    def media_status(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        item = self.media.get(request.match["id"])
        if item is None:
            return FakeResponse(404, {"error": "Record not found"})
        with self.lock:
            if item["_polls"] > 0:
                item["_polls"] -= 1
                return FakeResponse(
                    206, {**{k: v for k, v in item.items() if k[0] != "_"}, "url": None}
                )
            item["url"] = f"https://files.example/{item['id']}"
        return FakeResponse(200, {k: v for k, v in item.items() if not k.startswith("_")})

    @route("POST", r"/api/v1/statuses")
    def create_status(self, request: FakeRequest) -> FakeResponse:
        data = request.json()
        text = str(data.get("status") or "")
        media_ids = [str(m) for m in data.get("media_ids") or []]
        if not text and not media_ids:
            return FakeResponse(422, {"error": "Validation failed: Text can't be blank"})
        if len(text) > 500:
            return FakeResponse(
                422, {"error": "Validation failed: Text character limit of 500 exceeded"}
            )
        for media_id in media_ids:
            if media_id not in self.media or self.media[media_id]["url"] is None:
                return FakeResponse(422, {"error": "Validation failed: Media is still processing"})
        key = request.headers.get("idempotency-key", "")
        with self.lock:
            if key and key in self.idempotency:
                # Mastodon answers a repeated key with the status it made the first time.
                return FakeResponse(
                    200,
                    self.posts.get(self.idempotency[key]) or self.comments[self.idempotency[key]],
                )
            reply_to = data.get("in_reply_to_id")
            status = self._status(
                text, in_reply_to_id=reply_to, media_attachments=[self.media[m] for m in media_ids]
            )
            if key:
                self.idempotency[key] = status["id"]
            if reply_to:
                self.posts.pop(status["id"])
                self.comments[status["id"]] = status
            else:
                self.record_publish(caption=text, key=key)
        return FakeResponse(200, status)

    @route("GET", r"/api/v1/statuses/(?P<id>\w+)")
    def get_status(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        found = self.posts.get(request.match["id"]) or self.comments.get(request.match["id"])
        return (
            FakeResponse(200, found) if found else FakeResponse(404, {"error": "Record not found"})
        )

    @route("DELETE", r"/api/v1/statuses/(?P<id>\w+)")
    def delete_status(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        with self.lock:
            found = self.posts.pop(request.match["id"], None)
        return (
            FakeResponse(200, found) if found else FakeResponse(404, {"error": "Record not found"})
        )

    def _page(self, request: FakeRequest, items: list[dict[str, Any]], path: str) -> FakeResponse:
        items = sorted(items, key=lambda s: int(s["id"]), reverse=True)
        if max_id := request.query.get("max_id"):
            items = [s for s in items if int(s["id"]) < int(max_id)]
        limit = int(request.query.get("limit") or 20)
        page = items[:limit]
        headers = {}
        if len(items) > limit:
            headers["Link"] = f'<{self.base_url}{path}?max_id={page[-1]["id"]}>; rel="next"'
        return FakeResponse(200, page, headers)

    @route("GET", r"/api/v1/accounts/(?P<id>\w+)/statuses")
    def account_statuses(self, request: FakeRequest) -> FakeResponse:
        with self.lock:
            items = list(self.posts.values())
        return self._page(request, items, request.path)

    @route("GET", r"/api/v1/notifications")
    def notifications_list(self, request: FakeRequest) -> FakeResponse:
        with self.lock:
            items = list(self.notifications)
        return self._page(request, items, request.path)
