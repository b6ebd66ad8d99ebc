"""Fake Threads API (graph.threads.net): containers, threads_publish, replies, insights.

Shapes from https://developers.facebook.com/docs/threads/posts/ (containers and
publishing), /docs/threads/overview/ (250 posts and 1,000 replies per 24 hours,
threads_publishing_limit), /docs/threads/reference/reply-management (replies,
conversation, manage_reply) and /docs/threads/insights; errors are Graph's
{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}.

`quota_total` / `reply_quota_total` (the profile's 24-hour allowances), `container_polls`
(IN_PROGRESS answers before a video container is FINISHED), `fail_container`, `stats` of
a post (`posts[id]["stats"].update(views=..., likes=...)`), `add_comment(post_id, text,
reply_to="")`, `followers`. What the fake cannot know: whether Threads can fetch and
accept a media URL (any https URL is taken); `fail_container` stands in for a refusal.
"""

from datetime import datetime, timedelta
from typing import Any

from warta.connectors.fakes.graph import _graph_error, _split_fields
from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route

# Fields a Threads media object has (https://developers.facebook.com/docs/threads/threads-media)
MEDIA_FIELDS = {
    "id",
    "media_product_type",
    "media_type",
    "media_url",
    "permalink",
    "owner",
    "username",
    "text",
    "timestamp",
    "shortcode",
    "thumbnail_url",
    "children",
    "is_quote_post",
    "has_replies",
    "root_post",
    "replied_to",
    "is_reply",
    "is_reply_owned_by_me",
    "hide_status",
    "reply_audience",
    "alt_text",
}
CONTAINER_FIELDS = {"id", "status", "error_message"}
# https://developers.facebook.com/docs/threads/insights (media insights)
MEDIA_METRICS = {"views", "likes", "replies", "reposts", "quotes", "shares"}
_TIME = "%Y-%m-%dT%H:%M:%S+0000"


class FakeThreads(FakePlatform):
    platform = "threads"
    token_prefix = "THAA"  # noqa: S105
    external_id = "17841400000000777"
    handle = "pemkotbontang"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.objects: dict[str, dict[str, Any]] = {}
        self.quota_total = 250
        self.reply_quota_total = 1000
        self.container_polls = 1
        self.fail_container = False
        self.followers = 3100
        self.published: list[datetime] = []  # posts made, for the moving 24-hour quota
        self.replied: list[datetime] = []

    def authorized(self, request: FakeRequest) -> bool:
        if request.path in ("/oauth/access_token", "/access_token"):
            return True
        if request.path == "/refresh_access_token":
            return request.query.get("access_token", "") in self.valid_tokens
        return (request.bearer() or request.query.get("access_token", "")) in self.valid_tokens

    def error(self, kind: str) -> FakeResponse:
        if kind == Fault.RATE_LIMIT:
            return _graph_error(400, 4, "Application request limit reached")
        if kind == Fault.THROTTLED:
            return _graph_error(
                400, 368, "It looks like you were misusing this feature by going too fast."
            )
        if kind == Fault.EXPIRED_TOKEN:
            return _graph_error(401, 190, "Error validating access token: Session has expired.")
        if kind == Fault.INVALID_MEDIA:
            return _graph_error(400, 100, "The media could not be fetched from this uri", 2207052)
        if kind == Fault.DUPLICATE:
            return _graph_error(400, 506, "Duplicate post")
        return _graph_error(
            500, 2, "An unexpected error has occurred. Please retry.", is_transient=True
        )

    def not_found(self) -> FakeResponse:
        return _graph_error(400, 100, "Unsupported get request. Object does not exist", 33)

    def _now(self) -> str:
        return self.now().strftime(_TIME)

    def _used(self, moments: list[datetime]) -> int:
        since = self.now() - timedelta(hours=24)
        return sum(1 for t in moments if t > since)

    def add_comment(
        self, post_id: str, text: str, *, author: str = "warga_bontang", reply_to: str = ""
    ) -> dict[str, Any]:
        reply_id = self.new_id()
        reply = {
            "id": reply_id,
            "kind": "reply",
            "text": text,
            "username": author,
            "timestamp": self._now(),
            "hide_status": "NOT_HUSHED",
            "replied_to": {"id": reply_to or post_id},
            "root_post": {"id": post_id},
            "is_reply": True,
            "media_type": "TEXT_POST",
        }
        with self.lock:
            self.objects[reply_id] = reply
            self.comments[reply_id] = reply
        return reply

    def _view(self, obj: dict[str, Any], fields: str, known: set[str]) -> FakeResponse | None:
        for name in _split_fields(fields):
            if name not in known:
                kind = "IGMedia" if known is MEDIA_FIELDS else "ThreadsMediaContainer"
                return _graph_error(
                    400,
                    100,
                    f"(#100) Tried accessing nonexisting field ({name}) on node type ({kind})",
                )
        return None

    def _select(self, obj: dict[str, Any], fields: str) -> dict[str, Any]:
        wanted = _split_fields(fields) or ["id"]
        return {k: obj[k] for k in ("id", *wanted) if k in obj}

    # --- publishing ------------------------------------------------------------------------
    @route("POST", r"/(?P<user>\d+)/threads")
    def container_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/posts/ (step 1: a media container)
        form = request.form
        kind = form.get("media_type", "")
        carousel_item = form.get("is_carousel_item") == "true"
        if kind not in ("TEXT", "IMAGE", "VIDEO", "CAROUSEL"):
            return _graph_error(
                400, 100, "(#100) Param media_type must be one of TEXT, IMAGE, VIDEO, CAROUSEL"
            )
        if kind == "TEXT" and not form.get("text"):
            return _graph_error(400, 100, "(#100) The parameter text is required")
        if len(form.get("text", "")) > 500:
            return _graph_error(400, 100, "(#100) Param text must be at most 500 characters long")
        url = form.get("image_url" if kind == "IMAGE" else "video_url", "")
        if kind in ("IMAGE", "VIDEO") and not url.startswith("https://"):
            return _graph_error(400, 100, f"(#100) Param {kind.lower()}_url must be a valid URL")
        children = [c for c in form.get("children", "").split(",") if c]
        if kind == "CAROUSEL" and (
            not 2 <= len(children) <= 20
            or any(self.objects.get(c, {}).get("carousel_item") is not True for c in children)
        ):
            return _graph_error(400, 100, "(#100) A carousel needs 2-20 carousel item containers")
        reply_to = form.get("reply_to_id", "")
        if reply_to and reply_to not in self.objects:
            return self.not_found()
        container_id = self.new_id()
        status = "IN_PROGRESS" if kind == "VIDEO" else "FINISHED"
        if self.fail_container:
            self.fail_container, status = False, "ERROR"
        with self.lock:
            self.objects[container_id] = {
                "id": container_id,
                "kind": "container",
                "media_type": kind,
                "text": form.get("text", ""),
                "status": status,
                "polls": self.container_polls,
                "carousel_item": carousel_item,
                "children": children,
                "reply_to": reply_to,
            }
        return FakeResponse(200, {"id": container_id})

    @route("POST", r"/(?P<user>\d+)/threads_publish")
    def publish(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/posts/ (step 2) and the 250/1,000 limits
        container = self.objects.get(request.form.get("creation_id", ""))
        if container is None or container.get("kind") != "container":
            return self.not_found()
        if container["status"] != "FINISHED":
            return _graph_error(
                400, 24, "The requested resource does not exist or is not ready", 4279009
            )
        reply = bool(container["reply_to"])
        with self.lock:
            moments = self.replied if reply else self.published
            limit = self.reply_quota_total if reply else self.quota_total
            if self._used(moments) >= limit:
                return _graph_error(400, 9, "Application request limit reached", 2207042)
            moments.append(self.now())
            container["status"] = "PUBLISHED"
        if reply:
            parent = self.objects[container["reply_to"]]
            root = (parent.get("root_post") or {}).get("id") or parent["id"]
            made = self.add_comment(
                root, container["text"], author=self.handle, reply_to=parent["id"]
            )
            made["is_reply_owned_by_me"] = True
            return FakeResponse(200, {"id": made["id"]})
        post_id = self.new_id()
        self.record_publish(caption=container["text"])
        post = {
            "id": post_id,
            "kind": "post",
            "media_product_type": "THREADS",
            "media_type": {"TEXT": "TEXT_POST", "IMAGE": "IMAGE", "VIDEO": "VIDEO"}.get(
                container["media_type"], "CAROUSEL_ALBUM"
            ),
            "text": container["text"],
            "timestamp": self._now(),
            "permalink": f"https://www.threads.com/@{self.handle}/post/C{post_id}",
            "username": self.handle,
            "stats": {},
        }
        with self.lock:
            self.objects[post_id] = post
            self.posts[post_id] = post
        return FakeResponse(200, {"id": post_id})

    @route("GET", r"/(?P<user>\d+)/threads_publishing_limit")
    def publishing_limit(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/overview/ (Posts, Replies)
        wanted = set(_split_fields(request.query.get("fields", "")))
        known = {"quota_usage", "config", "reply_quota_usage", "reply_config"}
        if not wanted or wanted - known:
            return _graph_error(400, 100, "(#100) Unknown fields for threads_publishing_limit")
        with self.lock:
            full = {
                "quota_usage": self._used(self.published),
                "config": {"quota_total": self.quota_total, "quota_duration": 86400},
                "reply_quota_usage": self._used(self.replied),
                "reply_config": {"quota_total": self.reply_quota_total, "quota_duration": 86400},
            }
        return FakeResponse(200, {"data": [{k: v for k, v in full.items() if k in wanted}]})

    # --- reading ---------------------------------------------------------------------------
    @route("GET", r"/(?P<user>\d+)/threads")
    def user_threads(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/retrieve-and-discover-posts/retrieve-posts
        # Pages by time when since/until are given (paging.next with until, no cursors).
        fields = request.query.get("fields", "")
        if problem := self._view({}, fields, MEDIA_FIELDS):
            return problem
        since = int(request.query.get("since") or 0)
        until = int(request.query.get("until") or 2**40)
        offset = int(request.query.get("__paging_token") or request.query.get("after") or 0)
        size = int(request.query.get("limit") or 25)
        with self.lock:
            posts = [
                p
                for p in reversed(self.posts.values())
                if since
                <= datetime.strptime(p["timestamp"], "%Y-%m-%dT%H:%M:%S%z").timestamp()
                <= until
            ]
        window = posts[offset : offset + size]
        body: dict[str, Any] = {"data": [self._select(p, fields) for p in window]}
        if offset + size < len(posts):
            body["paging"] = {
                "next": f"{self.base_url}{request.path}?since={since}&__paging_token="
                f"{offset + size}&access_token={self.access_token}"
            }
        return FakeResponse(200, body)

    @route("GET", r"/(?P<id>\d+)/conversation")
    def conversation(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/reference/reply-management
        assert request.match is not None
        post_id = request.match["id"]
        if post_id not in self.posts:
            return self.not_found()
        fields = request.query.get("fields", "")
        if problem := self._view({}, fields, MEDIA_FIELDS):
            return problem
        with self.lock:
            replies = [
                r for r in self.comments.values() if (r["root_post"] or {}).get("id") == post_id
            ]
        if request.query.get("reverse", "true") == "true":
            replies.reverse()
        return FakeResponse(200, {"data": [self._select(r, fields) for r in replies]})

    @route("POST", r"/(?P<id>\d+)/manage_reply")
    def manage_reply(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/reply-management (top-level only)
        assert request.match is not None
        reply = self.comments.get(request.match["id"])
        if reply is None:
            return self.not_found()
        if reply["replied_to"]["id"] != reply["root_post"]["id"]:
            return _graph_error(400, 100, "(#100) Only top-level replies can be hidden")
        reply["hide_status"] = "HIDDEN" if request.form.get("hide") == "true" else "UNHUSHED"
        return FakeResponse(200, {"success": True})

    @route("GET", r"/(?P<id>\d+)/insights")
    def insights(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/insights
        assert request.match is not None
        post = self.posts.get(request.match["id"])
        if post is None:
            return self.not_found()
        names = [n for n in request.query.get("metric", "").split(",") if n]
        if not names or any(n not in MEDIA_METRICS for n in names):
            return _graph_error(400, 100, "(#100) The value must be a valid insights metric")
        return FakeResponse(
            200,
            {
                "data": [
                    {
                        "name": n,
                        "period": "lifetime",
                        "values": [{"value": post["stats"].get(n, 0)}],
                        "id": f"{post['id']}/insights/{n}/lifetime",
                    }
                    for n in names
                ]
            },
        )

    @route("GET", r"/(?P<user>\d+)/threads_insights")
    def user_insights(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/insights#user-insights
        if request.query.get("metric") != "followers_count":
            return _graph_error(400, 100, "(#100) The value must be a valid insights metric")
        return FakeResponse(
            200,
            {
                "data": [
                    {
                        "name": "followers_count",
                        "period": "day",
                        "total_value": {"value": self.followers},
                    }
                ]
            },
        )

    @route("POST", r"/oauth/access_token")
    def code_exchange(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/get-started/get-access-tokens-and-permissions
        form = request.form
        if form.get("client_secret") != "client-secret":
            return _graph_error(400, 1, "Error validating client secret.")
        if form.get("grant_type") != "authorization_code" or form.get("code") != "good-code":
            return _graph_error(400, 100, "Invalid verification code format.", 36007)
        token, _ = self.issue_token()
        return FakeResponse(200, {"access_token": f"{token}-short", "user_id": self.external_id})

    @route("GET", r"/access_token")
    def long_lived(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/get-started/long-lived-tokens
        query = request.query
        if query.get("grant_type") != "th_exchange_token" or not query.get(
            "access_token", ""
        ).endswith("-short"):
            return _graph_error(400, 190, "Error validating access token", 463)
        if query.get("client_secret") != "client-secret":
            return _graph_error(400, 1, "Error validating client secret.")
        token, _ = self.issue_token()
        return FakeResponse(
            200, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}
        )

    @route("GET", r"/me")
    def me(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/threads-profiles
        wanted = _split_fields(request.query.get("fields", "")) or ["id"]
        profile = {"id": self.external_id, "username": self.handle, "name": "Pemkot Bontang"}
        return FakeResponse(200, {k: profile[k] for k in wanted if k in profile})

    @route("GET", r"/refresh_access_token")
    def refresh(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/get-started/long-lived-tokens
        if request.query.get("grant_type") != "th_refresh_token":
            return _graph_error(400, 100, "(#100) grant_type must be th_refresh_token")
        token, _ = self.issue_token()
        return FakeResponse(
            200, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}
        )

    @route("GET", r"/(?P<id>\d+)")
    def get_object(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/threads-media and the container status
        assert request.match is not None
        obj = self.objects.get(request.match["id"])
        if obj is None:
            return self.not_found()
        fields = request.query.get("fields", "")
        if obj["kind"] == "container":
            if problem := self._view(obj, fields, CONTAINER_FIELDS):
                return problem
            with self.lock:
                if obj["status"] == "IN_PROGRESS":
                    obj["polls"] -= 1
                    if obj["polls"] < 0:
                        obj["status"] = "FINISHED"
            out = {**obj}
            if obj["status"] == "ERROR":
                out["error_message"] = (
                    "Media download has failed. The media URI doesn't meet our requirements."
                )
            return FakeResponse(200, self._select(out, fields))
        if problem := self._view(obj, fields, MEDIA_FIELDS):
            return problem
        return FakeResponse(200, self._select(obj, fields))

    @route("DELETE", r"/(?P<id>\d+)")
    def delete(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/threads/posts/delete-posts
        assert request.match is not None
        with self.lock:
            post = self.posts.pop(request.match["id"], None)
            self.objects.pop(request.match["id"], None)
        return FakeResponse(200, {"success": True}) if post else self.not_found()
