"""Fake Graph API for Facebook Pages and Instagram professional accounts.

State lives in `objects` (id -> dict): pages, posts, photos, videos, IG containers and
media, comments. Post/media dicts carry `stats` you may set for metrics, e.g.
`fake.objects[post_id]["stats"].update(reactions=5, impressions=900)` (Facebook) or
`update(reach=50, likes=3, saved=1)` (Instagram). `container_polls`: IN_PROGRESS answers
before a video container is FINISHED; `fail_container = True` makes the next container
end in ERROR. `add_comment(post_id, text, reply_to="")`.

What a fake cannot know: whether Meta's media processing accepts a file (format, codec,
aspect ratio, size) - any bytes are taken; `fail_container` and Fault.INVALID_MEDIA stand
in for a refusal. Insights values are whatever a test puts in `stats`.
"""

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route

_EDGE = re.compile(r"^/(\d+)/[a-z_]+$")
_SINCE = re.compile(r"\.since\((\d+)\)")
_METRIC = re.compile(r"insights\.metric\(([^)]*)\)")

# Page post insights metrics the fake knows, and the `stats` key each reads. Meta retired
# post_impressions / post_impressions_unique (Nov 2025) for post_media_view ("Views") and
# post_total_media_view_unique ("Viewers"); a retired or unknown name fails the whole call.
# https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics
# https://developers.facebook.com/docs/graph-api/reference/page-post/insights/
POST_METRICS = {
    "post_media_view": "impressions",
    "post_total_media_view_unique": "reach",
    "post_clicks": "clicks",
    "post_reactions_by_type_total": "reactions",
    "post_video_views": "video_views",
}

# Instagram media insights metrics (impressions, plays and video_views are retired).
# https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
IG_MEDIA_METRICS = {
    "reach",
    "views",
    "likes",
    "comments",
    "shares",
    "saved",
    "total_interactions",
    "follows",
    "profile_visits",
}


def _invalid_metric() -> FakeResponse:
    # What Graph answers for a retired or unknown insights metric (seen in client libraries'
    # recorded exchanges; the deprecation notice says "an invalid metric error").
    return _graph_error(400, 100, "(#100) The value must be a valid insights metric")


def _graph_error(
    status: int, code: int, message: str, subcode: int = 0, **extra: Any
) -> FakeResponse:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf",
    }
    if subcode:
        error["error_subcode"] = subcode
    return FakeResponse(status, {"error": {**error, **extra}})


class FakeGraph(FakePlatform):
    platform = "facebook"
    token_prefix = "EAAG"  # noqa: S105
    external_id = "1000"
    handle = "pemkotbontang"
    user_token = "EAAG-user-long"  # noqa: S105

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.objects: dict[str, dict[str, Any]] = {
            self.external_id: {
                "id": self.external_id,
                "type": "page",
                "name": "Pemkot Bontang",
                "followers_count": 4100,
                "fan_count": 4000,
                "username": self.handle,
            },
        }
        self.messages: set[str] = set()  # texts of feed posts, for code 506 "duplicate"
        self.container_polls = 1
        self.fail_container = False
        self.hidden_ids: set[str] = set()  # counted in a page's limit but not shown
        self.calls_per_hour = 100_000
        self._calls = 0
        self.throttled = 0  # answers refused for a rate limit, injected faults aside
        # Instagram: 100 API-published posts per account in a moving 24 hours.
        # https://developers.facebook.com/docs/instagram-platform/content-publishing/
        self.publish_limit_24h = 100
        self._published_at: list[float] = []
        self.valid_tokens.add(self.user_token)

    def credentials(self) -> dict[str, Any]:
        return {**super().credentials(), "user_access_token": self.user_token}

    def dispatch(self, request: FakeRequest) -> tuple[str, FakeResponse | None]:
        """Every answer carries the Business Use Case usage header Page-token calls get.

        https://developers.facebook.com/docs/graph-api/overview/rate-limiting/: usage in
        percent of the hourly allowance; the allowance itself depends on the Page's
        engaged users, so `calls_per_hour` is the fake's own figure.
        """
        if request.path.startswith("/_fake/"):
            return super().dispatch(request)
        edge = _EDGE.match(request.path)
        if edge and edge.group(1) not in self.objects:
            # An edge of an object that does not exist (or this token cannot see): Graph
            # answers 100/33 for every call on it. https://developers.facebook.com/docs/
            # graph-api/guides/error-handling/ (code 100, subcode 33)
            return "", self.not_found()
        kind = "pages" if self.platform == "facebook" else "instagram"
        with self.lock:
            over = self._calls >= self.calls_per_hour
            if over:
                self.throttled += 1
        if over:
            # Spent: the BUC throttling error (80001 Pages, 80002 Instagram) with the
            # minutes until access returns. https://developers.facebook.com/docs/graph-api/
            # overview/rate-limiting/#business-use-case-rate-limits (error codes table)
            code = 80001 if kind == "pages" else 80002
            refused = _graph_error(
                400, code, f"There have been too many calls to this {kind} account."
            )
            refused.headers["X-Business-Use-Case-Usage"] = json.dumps(
                {self.external_id: [self._usage(kind, 100, regain=60)]}
            )
            return "", refused
        fault, response = super().dispatch(request)
        if response is None:
            return fault, response
        with self.lock:
            self._calls += 1
            used = min(100, self._calls * 100 // max(1, self.calls_per_hour))
        usage = {self.external_id: [self._usage(kind, used)]}
        response.headers.setdefault("X-Business-Use-Case-Usage", json.dumps(usage))
        if (request.bearer() or request.query.get("access_token", "")) == self.user_token:
            # User-token calls count against the app: x-app-usage, percent, no regain time.
            response.headers.setdefault(
                "x-app-usage",
                json.dumps(
                    {"call_count": used, "total_cputime": used // 2, "total_time": used // 2}
                ),
            )
        return fault, response

    def _usage(self, kind: str, used: int, regain: int = 0) -> dict[str, Any]:
        return {
            "type": kind,
            "call_count": used,
            "total_cputime": used // 2,
            "total_time": used // 2,
            "estimated_time_to_regain_access": regain,
        }

    def authorized(self, request: FakeRequest) -> bool:
        if request.path == "/oauth/access_token":
            return True
        token = request.bearer() or request.query.get("access_token", "")
        return token in self.valid_tokens

    def error(self, kind: str) -> FakeResponse:
        if kind == Fault.RATE_LIMIT:
            usage = json.dumps(
                {self.external_id: [{"type": "pages", "estimated_time_to_regain_access": 2}]}
            )
            response = _graph_error(403, 32, "(#32) Page request limit reached")
            response.headers["X-Business-Use-Case-Usage"] = usage
            return response
        if kind == Fault.THROTTLED:
            return _graph_error(
                400, 368, "It looks like you were misusing this feature by going too fast."
            )
        if kind == Fault.EXPIRED_TOKEN:
            return _graph_error(
                400, 190, "Error validating access token: Session has expired.", 463
            )
        if kind == "revoked":
            return _graph_error(403, 200, "(#200) Permissions error")
        if kind == Fault.INVALID_MEDIA:
            if self.platform == "instagram":
                return _graph_error(
                    400, 9004, "Only photo or video can be accepted as media type.", 2207052
                )
            return _graph_error(400, 324, "(#324) Missing or invalid image file")
        if kind == Fault.DUPLICATE:
            return _graph_error(400, 506, "Duplicate status message")
        if kind == "publish_limit":
            return _graph_error(400, 9, "Application request limit reached", 2207042)
        return _graph_error(
            500,
            2,
            "An unexpected error has occurred. Please retry your request later.",
            is_transient=True,
        )

    def not_found(self) -> FakeResponse:
        return _graph_error(400, 100, "Unsupported get request. Object does not exist", 33)

    def _time(self) -> str:
        return self.now().strftime("%Y-%m-%dT%H:%M:%S+0000")

    def _add(self, obj: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.objects[obj["id"]] = obj
        return obj

    def _post(self, message: str, **fields: Any) -> dict[str, Any]:
        post_id = f"{self.external_id}_{self.new_id()}"
        self.record_publish(caption=message)
        post = self._add(
            {
                "id": post_id,
                "type": "post",
                "message": message,
                "created_time": self._time(),
                "permalink_url": f"https://www.facebook.com/{post_id}",
                "comments": [],
                "stats": {},
                **fields,
            }
        )
        self.posts[post_id] = post
        return post

    def add_comment(
        self,
        post_id: str,
        text: str,
        *,
        author: str = "Warga Bontang",
        reply_to: str = "",
        at: datetime | None = None,
    ) -> dict[str, Any]:
        comment_id = f"{post_id.split('_')[-1]}_{self.new_id()}"
        when = (at or self.now()).strftime("%Y-%m-%dT%H:%M:%S+0000")
        comment = {
            "id": comment_id,
            "type": "comment",
            "message": text,
            "text": text,
            "username": author,
            "timestamp": when,
            "created_time": when,
            "from": {"id": "555", "name": author},
            "is_hidden": False,
            "hidden": False,
            "replies": [],
            "post": post_id,
        }
        if reply_to:
            comment["parent"] = {"id": reply_to}
        self._add(comment)
        self.comments[comment_id] = comment
        parent = (
            self.objects[reply_to]["replies"]
            if reply_to and self.platform == "instagram"
            else self.objects[post_id]["comments"]
        )
        with self.lock:
            parent.append(comment)
        return comment

    def _paged(
        self, request: FakeRequest, items: list[dict[str, Any]], render: Any, node: str
    ) -> FakeResponse:
        """One page of a newest-first edge, paged the way Graph pages it.

        With `since`/`until` in the query Graph pages by time: `paging` has only
        `previous`/`next` links (carrying until/since and an opaque __paging_token), no
        `cursors`; otherwise by cursor. Items in `hidden_ids` count toward `limit` but are
        left out (privacy filtering), so a page can be short or empty and still have
        `next`; next links carry the access token, as Graph's do.
        https://developers.facebook.com/docs/graph-api/results
        """
        query = request.query
        timed = "since" in query or "until" in query
        token = query.get("__paging_token") if timed else query.get("after")
        offset = int(token.removeprefix("enc_") if token else 0)
        size = int(query.get("limit") or 25)
        window = items[offset : offset + size]
        shown = [render(i) for i in window if i["id"] not in self.hidden_ids]
        if query.get("fields"):
            try:
                shown = [select_fields(i, query["fields"], node) for i in shown]
            except _NoSuchField as exc:
                return _no_such_field(exc)
        body: dict[str, Any] = {"data": shown}
        if offset + size >= len(items):
            return FakeResponse(200, body)
        base = {k: v for k, v in query.items() if k not in ("after", "before", "__paging_token")}
        base["access_token"] = self.access_token
        link = f"{self.base_url}{request.path}?"
        if timed:
            last = str(window[-1].get("created_time") or window[-1].get("timestamp"))
            until = int(datetime.strptime(last, "%Y-%m-%dT%H:%M:%S%z").timestamp())
            after = {**base, "until": str(until), "__paging_token": f"enc_{offset + size}"}
            body["paging"] = {
                "previous": link + urlencode({**base, "__paging_token": f"enc_{offset}"}),
                "next": link + urlencode(after),
            }
        else:
            body["paging"] = {
                "cursors": {"before": f"enc_{offset}", "after": f"enc_{offset + size}"},
                "next": link + urlencode({**base, "after": f"enc_{offset + size}"}),
            }
        return FakeResponse(200, body)

    # --- tokens --------------------------------------------------------------------------
    @route("GET", r"/oauth/access_token")
    def access_token_exchange(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
        if request.query.get("client_secret") != "client-secret":
            return _graph_error(400, 1, "Error validating client secret.")
        if request.query.get("grant_type") == "fb_exchange_token":
            if request.query.get("fb_exchange_token") not in self.valid_tokens:
                return self.error(Fault.EXPIRED_TOKEN)
        elif request.query.get("code") != "good-code":
            return _graph_error(400, 100, "Invalid verification code format.", 36007)
        token, _ = self.issue_token()
        self.user_token = token
        return FakeResponse(
            200, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}
        )

    @route("GET", r"/me/accounts")
    def me_accounts(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/pages-api/getting-started
        page = self.objects[self.external_id]
        return FakeResponse(
            200,
            {
                "data": [
                    {
                        "id": page["id"],
                        "name": page["name"],
                        "username": self.handle,
                        "access_token": self.access_token,
                        "followers_count": page["followers_count"],
                    }
                ]
            },
        )

    # --- Facebook ------------------------------------------------------------------------
    @route("POST", r"/(?P<page>\d+)/feed")
    def feed_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/page/feed/
        form = request.form
        attached = [v for k, v in form.items() if k.startswith("attached_media[")]
        if not form.get("message") and not attached and not form.get("link"):
            return _graph_error(400, 100, "(#100) Missing message or attachment")
        with self.lock:
            message = form.get("message", "")
            if message and not attached:
                if message in self.messages:
                    return self.error(Fault.DUPLICATE)
                self.messages.add(message)
        post = self._post(form.get("message", ""), attached_media=attached)
        return FakeResponse(200, {"id": post["id"]})

    @route("POST", r"/(?P<page>\d+)/photos")
    def photo_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/page/photos/
        if "source" not in request.files and not request.form.get("url"):
            return _graph_error(400, 324, "(#324) Requires upload file")
        photo = self._add({"id": self.new_id(), "type": "photo"})
        if request.form.get("published", "true") == "false":
            return FakeResponse(200, {"id": photo["id"]})
        post = self._post(request.form.get("message", ""), photo=photo["id"])
        return FakeResponse(200, {"id": photo["id"], "post_id": post["id"]})

    @route("POST", r"/(?P<page>\d+)/videos")
    def video_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/video-api/guides/publishing
        if "source" not in request.files:
            return _graph_error(
                400, 6000, "There was a problem uploading your video file.", 1363030
            )
        video_id = self.new_id()
        post = self._post(
            request.form.get("description", ""), video=video_id, title=request.form.get("title")
        )
        with self.lock:
            self.objects[video_id] = post
        return FakeResponse(200, {"id": video_id})

    @route("GET", r"/(?P<page>\d+)/published_posts")
    def published_posts(self, request: FakeRequest) -> FakeResponse:
        since = int(request.query.get("since") or 0)
        with self.lock:
            posts = [
                p
                for p in self.posts.values()
                if datetime.strptime(p["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp() >= since
            ]
        posts.reverse()
        # https://developers.facebook.com/docs/graph-api/reference/page/published_posts/
        return self._paged(request, posts, _public, "post")

    @route("GET", r"/(?P<page>\d+)/feed")
    def feed_list(self, request: FakeRequest) -> FakeResponse:
        found = _SINCE.search(request.query.get("fields", ""))
        since = int(found.group(1)) if found else 0

        def render(post: dict[str, Any]) -> dict[str, Any]:
            comments = [
                _public(c)
                for c in reversed(post["comments"])
                if datetime.strptime(c["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp() >= since
            ]
            return {"id": post["id"], "comments": {"data": comments}}

        with self.lock:
            posts = list(reversed(self.posts.values()))
        # https://developers.facebook.com/docs/graph-api/reference/page/feed/
        return self._paged(request, posts, render, "post")

    @route("POST", r"/(?P<id>[\w]+)/comments")
    def comment_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/object/comments/
        assert request.match is not None
        target = self.objects.get(request.match["id"])
        if target is None:
            return self.not_found()
        if target["type"] == "comment":
            comment = self.add_comment(
                target["post"],
                request.form.get("message", ""),
                author=self.handle,
                reply_to=target["id"],
            )
        else:
            comment = self.add_comment(
                target["id"], request.form.get("message", ""), author=self.handle
            )
        return FakeResponse(200, {"id": comment["id"]})

    # --- Instagram -----------------------------------------------------------------------
    @route("POST", r"/(?P<ig>\d+)/media_publish")
    def media_publish(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-user/media_publish
        container = self.objects.get(request.form.get("creation_id", ""))
        now = self.now().timestamp()
        with self.lock:
            self._published_at = [t for t in self._published_at if t > now - 24 * 3600]
            if len(self._published_at) >= self.publish_limit_24h:
                self.throttled += 1
                return _graph_error(400, 9, "Application request limit reached", 2207042)
        if container is None or container.get("status_code") != "FINISHED":
            return _graph_error(
                400,
                9007,
                "The media is not ready for publishing, please wait for a moment",
                2207027,
            )
        media_id = self.new_id()
        container["status_code"] = "PUBLISHED"
        with self.lock:
            self._published_at.append(now)
        caption = container.get("caption", "")
        self.record_publish(caption=caption)
        media = self._add(
            {
                "id": media_id,
                "type": "media",
                "caption": caption,
                "timestamp": self._time(),
                "permalink": f"https://www.instagram.com/p/C{media_id}/",
                "comments": [],
                "media_type": container.get("media_type", "IMAGE"),
                "stats": {},
            }
        )
        self.posts[media_id] = media
        return FakeResponse(200, {"id": media_id})

    @route("POST", r"/(?P<ig>\d+)/media")
    def container_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-user/media
        form = request.form
        kind = form.get("media_type", "IMAGE")
        if kind == "IMAGE" and not form.get("image_url", "").startswith("https://"):
            return _graph_error(
                400, 9004, "Only photo or video can be accepted as media type.", 2207052
            )
        if kind == "CAROUSEL":
            children = form.get("children", "").split(",")
            if not 2 <= len(children) <= 10 or any(c not in self.objects for c in children):
                return _graph_error(400, 100, "Invalid children", 2207028)
        container_id = self.new_id()
        status = "IN_PROGRESS" if kind in ("REELS", "VIDEO") else "FINISHED"
        if self.fail_container:
            self.fail_container, status = False, "ERROR"
        self._add(
            {
                "id": container_id,
                "type": "container",
                "media_type": kind,
                "status_code": status,
                "caption": form.get("caption", ""),
                "uploaded": kind not in ("REELS", "VIDEO"),
                "polls": self.container_polls,
            }
        )
        # https://developers.facebook.com/documentation/instagram-platform/content-publishing/resumable-uploads
        # A resumable container answers with the `uri` to send the video to (rupload host).
        body: dict[str, Any] = {"id": container_id}
        if form.get("upload_type") == "resumable":
            body["uri"] = f"{self.base_url}/ig-api-upload/{container_id}"
            self.objects[container_id]["uri_path"] = f"/ig-api-upload/{container_id}"
        return FakeResponse(200, body)

    @route("POST", r"/ig-api-upload/(?P<rest>.+)")
    def rupload(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        container = next(
            (o for o in self.objects.values() if o.get("uri_path") == request.path), None
        )
        if container is None or int(request.headers.get("file_size", -1)) != len(request.body):
            return FakeResponse(
                400, {"debug_info": {"type": "ProcessingFailedError", "message": "bad upload"}}
            )
        container["uploaded"] = True
        return FakeResponse(200, {"success": True, "message": "Upload successful."})

    @route("GET", r"/(?P<ig>\d+)/media")
    def media_list(self, request: FakeRequest) -> FakeResponse:
        def render(media: dict[str, Any]) -> dict[str, Any]:
            out = _public(media)
            out["comments"] = {
                "data": [
                    {**_public(c), "replies": {"data": [_public(r) for r in c["replies"]]}}
                    for c in media["comments"]
                ]
            }
            return out

        with self.lock:
            items = list(reversed(self.posts.values()))
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-user/media
        return self._paged(request, items, render, "media")

    @route("GET", r"/(?P<id>\d+)/insights")
    def insights(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        media = self.objects.get(request.match["id"])
        if media is None:
            return self.not_found()
        names = [n for n in request.query.get("metric", "").split(",") if n]
        known = IG_MEDIA_METRICS if self.platform == "instagram" else set(POST_METRICS)
        if not names or any(n not in known for n in names):
            return _invalid_metric()
        # https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
        return FakeResponse(
            200,
            {
                "data": [
                    {
                        "name": n,
                        "period": "lifetime",
                        "total_value": {"value": media["stats"].get(n, 0)},
                    }
                    for n in names
                ]
            },
        )

    @route("POST", r"/(?P<id>[\w]+)/replies")
    def reply_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-comment/replies
        assert request.match is not None
        parent = self.objects.get(request.match["id"])
        if parent is None or parent["type"] != "comment":
            return self.not_found()
        comment = self.add_comment(
            parent["post"],
            request.form.get("message", ""),
            author=self.handle,
            reply_to=parent["id"],
        )
        return FakeResponse(200, {"id": comment["id"]})

    # --- any object ----------------------------------------------------------------------
    @route("GET", r"/")
    def many(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/overview (reading several ids at once)
        ids = [i for i in request.query.get("ids", "").split(",") if i]
        fields = request.query.get("fields", "")
        metrics = _requested_metrics(fields)
        if any(name not in POST_METRICS for name in metrics):
            return _invalid_metric()
        try:
            return FakeResponse(
                200,
                {
                    i: select_fields(
                        self._render(self.objects[i], metrics), fields, self.objects[i]["type"]
                    )
                    for i in ids
                    if i in self.objects
                },
            )
        except _NoSuchField as exc:
            return _no_such_field(exc)

    @route("GET", r"/(?P<id>[\w]+)")
    def get_object(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/post and .../instagram-platform/reference/ig-container
        assert request.match is not None
        obj = self.objects.get(request.match["id"])
        if obj is None:
            return self.not_found()
        if obj["type"] == "container":
            with self.lock:
                if obj["status_code"] == "IN_PROGRESS" and obj["uploaded"]:
                    obj["polls"] -= 1
                    if obj["polls"] < 0:
                        obj["status_code"] = "FINISHED"
            status = (
                "Error: 2207026 unsupported video format"
                if obj["status_code"] == "ERROR"
                else obj["status_code"]
            )
            return FakeResponse(
                200, {"id": obj["id"], "status_code": obj["status_code"], "status": status}
            )
        full = self._render(obj)
        if obj["type"] == "page":
            full["access_token"] = self.access_token
            if obj["id"] == self.external_id and self.platform == "instagram":
                return self._selected(full, request, "ig_user")
        return self._selected(full, request, obj["type"])

    def _selected(self, full: dict[str, Any], request: FakeRequest, node: str) -> FakeResponse:
        fields = request.query.get("fields", "")
        if not fields:  # Graph's defaults: id and a name or message
            keep = ("id", "name", "message", "created_time", "caption", "text")
            return FakeResponse(200, {k: full[k] for k in keep if k in full})
        try:
            return FakeResponse(200, select_fields(full, fields, node))
        except _NoSuchField as exc:
            return _no_such_field(exc)

    def _render(self, obj: dict[str, Any], metrics: list[str] | None = None) -> dict[str, Any]:
        out = _public(obj)
        if obj.get("type") == "post":
            stats = obj["stats"]
            out.update(
                shares={"count": stats.get("shares", 0)},
                reactions={"data": [], "summary": {"total_count": stats.get("reactions", 0)}},
                comments={"data": [], "summary": {"total_count": len(obj["comments"])}},
            )
            if metrics:
                # https://developers.facebook.com/docs/graph-api/reference/insights#response
                out["insights"] = {
                    "data": [
                        {
                            "name": name,
                            "period": "lifetime",
                            "values": [{"value": stats.get(POST_METRICS[name], 0)}],
                            "id": f"{obj['id']}/insights/{name}/lifetime",
                        }
                        for name in metrics
                    ]
                }
        return out

    @route("POST", r"/(?P<id>[\w]+)")
    def update_object(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/comment (is_hidden) and .../ig-comment (hide)
        assert request.match is not None
        obj = self.objects.get(request.match["id"])
        if obj is None:
            return self.not_found()
        for field, key in (("is_hidden", "is_hidden"), ("hide", "hidden")):
            if field in request.form:
                obj[key] = request.form[field] == "true"
        return FakeResponse(200, {"success": True})

    @route("DELETE", r"/(?P<id>[\w]+)")
    def delete_object(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/post (deleting)
        assert request.match is not None
        with self.lock:
            obj = self.objects.pop(request.match["id"], None)
            if obj is not None:
                self.posts.pop(obj["id"], None)
                self.messages.discard(obj.get("message", ""))
        return FakeResponse(200, {"success": True}) if obj else self.not_found()


# Fields each node type has (what a `fields` request may name); Graph answers only the
# named ones (plus id) and refuses a name the node does not have with (#100).
# https://developers.facebook.com/docs/graph-api/reference/page/feed,
# /docs/graph-api/reference/post, /docs/graph-api/reference/comment,
# /docs/instagram-platform/reference/instagram-media, .../ig-container, .../ig-comment
NODE_FIELDS = {
    "page": {"id", "name", "username", "followers_count", "fan_count", "access_token", "link"},
    "post": {
        "id",
        "message",
        "created_time",
        "updated_time",
        "permalink_url",
        "shares",
        "reactions",
        "comments",
        "insights",
        "attachments",
        "from",
        "full_picture",
        "status_type",
        "is_hidden",
        "is_published",
    },
    "comment": {
        "id",
        "message",
        "from",
        "created_time",
        "parent",
        "is_hidden",
        "like_count",
        "comment_count",
        "attachment",
    },
    "ig_comment": {"id", "text", "username", "timestamp", "hidden", "replies", "like_count"},
    "media": {
        "id",
        "caption",
        "timestamp",
        "permalink",
        "media_type",
        "media_url",
        "comments",
        "comments_count",
        "like_count",
        "username",
        "insights",
    },
    "container": {"id", "status_code", "status"},
}
NODE_FIELDS["photo"] = NODE_FIELDS["post"] | {"images", "link"}
NODE_FIELDS["ig_user"] = NODE_FIELDS["page"] | {"media_count", "profile_picture_url"}
_NODE_NAME = {
    "page": "Page",
    "post": "Post",
    "photo": "Photo",
    "comment": "Comment",
    "ig_comment": "IGComment",
    "media": "IGMedia",
    "container": "IGContainer",
    "ig_user": "IGUser",
}
# The node type of an edge's items, by the edge's name and the node it hangs from.
_EDGE_NODE = {
    ("post", "comments"): "comment",
    ("photo", "comments"): "comment",
    ("media", "comments"): "ig_comment",
    ("ig_comment", "replies"): "ig_comment",
}


def _split_fields(spec: str) -> list[str]:
    """Top-level items of a Graph `fields` value (commas inside () and {} stay)."""
    items, depth, start = [], 0, 0
    for index, char in enumerate(spec):
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(spec[start:index])
            start = index + 1
    items.append(spec[start:])
    return [i.strip() for i in items if i.strip()]


class _NoSuchField(Exception):
    def __init__(self, field: str, node: str) -> None:
        self.field, self.node = field, node


def select_fields(full: dict[str, Any], spec: str, node: str) -> dict[str, Any]:
    """What Graph answers for `fields=spec` on a node whose every field is in `full`."""
    out: dict[str, Any] = {"id": full["id"]} if "id" in full else {}
    for item in _split_fields(spec):
        name = re.match(r"[\w]+", item)
        if name is None:
            continue
        field = name.group(0)
        if field not in NODE_FIELDS.get(node, set()):
            raise _NoSuchField(field, node)
        if field not in full:
            continue
        value = full[field]
        brace = item.find("{")
        if brace >= 0:
            sub = item[brace + 1 : item.rfind("}")]
            child = _EDGE_NODE.get((node, field), node)
            if isinstance(value, dict) and isinstance(value.get("data"), list):
                value = {
                    **value,
                    "data": [select_fields(v, sub, child) for v in value["data"]],
                }
            elif isinstance(value, dict):
                value = {k: value[k] for k in _split_fields(sub) if k in value}
        out[field] = value
    return out


def _no_such_field(exc: _NoSuchField) -> FakeResponse:
    return _graph_error(
        400,
        100,
        f"(#100) Tried accessing nonexisting field ({exc.field}) on node type "
        f"({_NODE_NAME.get(exc.node, exc.node)})",
    )


def _requested_metrics(fields: str) -> list[str]:
    found = _METRIC.search(fields)
    return [n.strip() for n in found.group(1).split(",") if n.strip()] if found else []


def _public(obj: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in obj.items()
        if k not in ("type", "stats", "comments", "replies", "post", "polls", "uri_path")
    }


class FakeFacebook(FakeGraph):
    platform = "facebook"


class FakeInstagram(FakeGraph):
    platform = "instagram"
    external_id = "17841400000000001"

    def credentials(self) -> dict[str, Any]:
        return {**super().credentials(), "page_id": "1000"}

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.objects["1000"] = {
            "id": "1000",
            "type": "page",
            "name": "Pemkot Bontang",
            "followers_count": 4100,
        }
        self.objects[self.external_id]["followers_count"] = 2900
