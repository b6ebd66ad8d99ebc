"""The Graph API fake's shared part: state, usage headers, tokens, reading any object.

State lives in `objects` (id -> dict): pages, posts, photos, videos, IG containers and
media, comments. Post/media dicts carry `stats` you may set for metrics, e.g.
`fake.objects[post_id]["stats"].update(reactions=5, impressions=900)` (Facebook) or
`update(reach=50, likes=3, saved=1)` (Instagram). `add_comment(post_id, text, reply_to="")`.
The products' own endpoints: facebook.py and instagram.py; the fakes themselves: meta.py.
"""

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from warta.connectors.fakes.graph import (
    POST_METRICS,
    _graph_error,
    _invalid_metric,
    _no_such_field,
    _NoSuchField,
    _public,
    _requested_metrics,
    select_fields,
)
from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route

_EDGE = re.compile(r"^/(\d+)/[a-z_]+$")


class FakeGraphBase(FakePlatform):
    """What the Facebook and Instagram fakes share; their endpoints are mixed in."""

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
