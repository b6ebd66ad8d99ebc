"""Fake X API v2: tweets, v2 chunked media upload, timelines, mentions, OAuth2 refresh.

Like X, it refuses a tweet whose text equals one already posted (403 duplicate content).
`video_processing_polls`: STATUS answers "in_progress" this many times for a video.
`followers`. `add_comment(post_id, text)` adds a reply mentioning the account.

What a fake cannot know: whether X's media processing accepts a file, and the rate limits
of the access tier the app pays for (`window_limit` and the "daily_limit" fault stand in).
"""

import re
from typing import Any

from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route


def _problem(status: int, title: str, detail: str, kind: str = "about:blank") -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": kind, "status": status}


# What a v2 read answers by default and may add on request ("fields" parameters).
# https://docs.x.com/x-api/fundamentals/fields
DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
TWEET_FIELDS = {
    *DEFAULT_TWEET_FIELDS,
    "attachments",
    "author_id",
    "conversation_id",
    "created_at",
    "entities",
    "in_reply_to_user_id",
    "lang",
    "public_metrics",
    "referenced_tweets",
    "reply_settings",
}
DEFAULT_USER_FIELDS = ("id", "name", "username")
USER_FIELDS = {*DEFAULT_USER_FIELDS, "created_at", "description", "public_metrics", "verified"}
_FIELD_PARAMS = ("tweet.fields", "user.fields", "media.fields", "place.fields", "poll.fields")
# Query parameters each read accepts (https://docs.x.com/x-api/posts/get-posts,
# /x-api/users/get-posts, /x-api/users/get-mentions, /x-api/users/get-user-by-id).
_TIMELINE_PARAMS = {
    "max_results",
    "pagination_token",
    "start_time",
    "end_time",
    "since_id",
    "until_id",
    "expansions",
    *_FIELD_PARAMS,
}
ALLOWED_PARAMS = {
    "tweets": {"ids", "expansions", *_FIELD_PARAMS},
    "tweet": {"expansions", *_FIELD_PARAMS},
    "timeline": {*_TIMELINE_PARAMS, "exclude"},
    "mentions": _TIMELINE_PARAMS,
    "user": {"expansions", *_FIELD_PARAMS},
}


def _invalid(parameter: str, message: str) -> FakeResponse:
    # https://docs.x.com/x-api/fundamentals/response-codes-and-errors (invalid-request)
    return FakeResponse(
        400,
        {
            "errors": [{"parameters": {parameter: []}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
    )


def _check_params(request: FakeRequest, endpoint: str) -> FakeResponse | None:
    allowed = ALLOWED_PARAMS[endpoint]
    for name in request.query:
        if name not in allowed:
            return _invalid(
                name, f"The query parameter [{name}] is not one of [{','.join(sorted(allowed))}]"
            )
    for name, known in (("tweet.fields", TWEET_FIELDS), ("user.fields", USER_FIELDS)):
        for value in _listed(request, name):
            if value not in known:
                return _invalid(
                    name,
                    f"The `{name}` query parameter value [{value}] is not one of "
                    f"[{','.join(sorted(known))}]",
                )
    if "max_results" in request.query and not 5 <= int(request.query["max_results"]) <= 100:
        return _invalid("max_results", "The `max_results` query parameter value must be 5-100")
    return None


def _listed(request: FakeRequest, name: str) -> list[str]:
    return [v for v in request.query.get(name, "").split(",") if v]


def _tweet_view(tweet: dict[str, Any], request: FakeRequest) -> dict[str, Any]:
    """Only the default fields and those asked for in tweet.fields, as X answers."""
    wanted = (*DEFAULT_TWEET_FIELDS, *_listed(request, "tweet.fields"))
    return {k: tweet[k] for k in wanted if k in tweet}


def _user_view(user: dict[str, Any], request: FakeRequest) -> dict[str, Any]:
    wanted = (*DEFAULT_USER_FIELDS, *_listed(request, "user.fields"))
    return {k: user[k] for k in wanted if k in user}


class FakeX(FakePlatform):
    platform = "x"
    external_id = "1500000000000000001"
    handle = "pemkotbontang"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.video_processing_polls = 1
        self.followers = 12000
        self.media: dict[str, dict[str, Any]] = {}
        self.hidden: dict[str, bool] = {}
        self.texts: set[str] = set()  # live tweets' texts, for X's duplicate-content refusal
        self.daily_reset = 0  # epoch seconds the 24-hour cap resets ("daily_limit" fault)
        # Requests allowed per 15-minute window and endpoint; the real figures depend on
        # the access tier (https://docs.x.com/x-api/fundamentals/rate-limits), so tests
        # set their own. Every answer carries x-rate-limit-limit/-remaining/-reset.
        self.window_limit = 100_000
        self._windows: dict[str, tuple[int, int]] = {}  # endpoint -> (window start, used)
        # The 24-hour caps on POST /2/tweets, per user (token) and per app; None: not
        # counted. Free tier 17/17, Basic 100/1,667 (https://docs.x.com/x-api/fundamentals/
        # rate-limits). When set, every POST /2/tweets answer carries
        # x-user-limit-24hour-* and x-app-limit-24hour-* as recorded by client libraries
        # (node-twitter-api-v2 issues #495, #553), and a post over a cap is a 429.
        self.user_daily_limit: int | None = None
        self.app_daily_limit: int | None = None
        self._daily: dict[str, tuple[int, int]] = {}  # "app" / token -> (window start, used)
        self.throttled = 0  # answers refused for a rate limit (429), injected faults aside

    def dispatch(self, request: FakeRequest) -> tuple[str, FakeResponse | None]:
        if request.path.startswith("/_fake/"):
            return super().dispatch(request)
        endpoint = f"{request.method} {re.sub(r'/\d+', '/:id', request.path)}"
        now = int(self.now().timestamp())
        with self.lock:
            start, used = self._windows.get(endpoint, (now, 0))
            if now >= start + 900:
                start, used = now, 0
            used += 1
            self._windows[endpoint] = (start, used)
        headers = {
            "x-rate-limit-limit": str(self.window_limit),
            "x-rate-limit-remaining": str(max(0, self.window_limit - used)),
            "x-rate-limit-reset": str(start + 900),
        }
        if request.method == "POST" and request.path == "/2/tweets" and self.authorized(request):
            headers.update(self._daily_caps(request.bearer(), now))
        if used > self.window_limit or any(
            headers.get(f"x-{who}-limit-24hour-remaining") == "-1" for who in ("user", "app")
        ):
            for who in ("user", "app"):
                if headers.get(f"x-{who}-limit-24hour-remaining") == "-1":
                    headers[f"x-{who}-limit-24hour-remaining"] = "0"
            with self.lock:
                self.throttled += 1
            return "", FakeResponse(
                429, _problem(429, "Too Many Requests", "Too Many Requests"), headers
            )
        fault, response = super().dispatch(request)
        if response is not None:
            response.headers = {**headers, **response.headers}
        return fault, response

    def _daily_caps(self, token: str, now: int) -> dict[str, str]:
        """Count one POST /2/tweets against the 24-hour caps; "-1" left means refused."""
        out: dict[str, str] = {}
        with self.lock:
            for who, key, limit in (
                ("user", token, self.user_daily_limit),
                ("app", "app", self.app_daily_limit),
            ):
                if limit is None:
                    continue
                start, used = self._daily.get(key, (now, 0))
                if now >= start + 24 * 3600:
                    start, used = now, 0
                left = limit - used - 1
                if left >= 0:
                    self._daily[key] = (start, used + 1)
                out[f"x-{who}-limit-24hour-limit"] = str(limit)
                out[f"x-{who}-limit-24hour-remaining"] = str(max(-1, left))
                out[f"x-{who}-limit-24hour-reset"] = str(start + 24 * 3600)
            if any(v == "-1" for k, v in out.items() if k.endswith("remaining")):
                # A refused post counts against neither cap.
                for who, key in (("user", token), ("app", "app")):
                    if out.get(f"x-{who}-limit-24hour-remaining", "-1") != "-1":
                        start, used = self._daily[key]
                        self._daily[key] = (start, used - 1)
                        out[f"x-{who}-limit-24hour-remaining"] = str(
                            int(out[f"x-{who}-limit-24hour-remaining"]) + 1
                        )
        return out

    def authorized(self, request: FakeRequest) -> bool:
        return request.path == "/2/oauth2/token" or super().authorized(request)

    def error(self, kind: str) -> FakeResponse:
        if kind == Fault.RATE_LIMIT:
            reset = str(int(self.now().timestamp()) + 7)
            return FakeResponse(
                429,
                _problem(429, "Too Many Requests", "Too Many Requests"),
                {"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0"},
            )
        if kind in ("daily_limit", "app_daily_limit"):
            # The per-user (or per-app) 24-hour cap on posts: the 15-minute window still
            # has room, the 24-hour headers say when it resets.
            # https://docs.x.com/x-api/fundamentals/rate-limits
            now = int(self.now().timestamp())
            who = "user" if kind == "daily_limit" else "app"
            return FakeResponse(
                429,
                _problem(429, "Too Many Requests", "Too Many Requests"),
                {
                    "x-rate-limit-limit": "100",
                    "x-rate-limit-remaining": "99",
                    "x-rate-limit-reset": str(now + 900),
                    f"x-{who}-limit-24hour-limit": "17",
                    f"x-{who}-limit-24hour-remaining": "0",
                    f"x-{who}-limit-24hour-reset": str(self.daily_reset or now + 20 * 3600),
                },
            )
        if kind == Fault.EXPIRED_TOKEN:
            return FakeResponse(401, _problem(401, "Unauthorized", "Unauthorized"))
        if kind == Fault.DUPLICATE:
            return FakeResponse(
                403,
                _problem(
                    403,
                    "Forbidden",
                    "You are not allowed to create a Tweet with duplicate content.",
                ),
            )
        if kind == Fault.INVALID_MEDIA:
            return FakeResponse(
                400,
                {
                    **_problem(
                        400,
                        "Invalid Request",
                        "One or more parameters to your request was invalid.",
                        "https://api.twitter.com/2/problems/invalid-request",
                    ),
                    "errors": [{"message": "media_ids: media not found"}],
                },
            )
        return FakeResponse(503, _problem(503, "Service Unavailable", "Service Unavailable"))

    def _tweet(self, text: str, **fields: Any) -> dict[str, Any]:
        tweet_id = self.new_id()
        tweet = {
            "id": tweet_id,
            "text": text,
            "edit_history_tweet_ids": [tweet_id],
            "created_at": self.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "author_id": self.external_id,
            "conversation_id": tweet_id,
            "public_metrics": {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
            },
            **fields,
        }
        return tweet

    def add_comment(
        self, post_id: str, text: str, *, author: str = "warga_bontang"
    ) -> dict[str, Any]:
        tweet = self._tweet(
            f"@{self.handle} {text}",
            author_id="88",
            conversation_id=post_id,
            referenced_tweets=[{"type": "replied_to", "id": post_id}],
            _author=author,
        )
        with self.lock:
            self.comments[tweet["id"]] = tweet
        return tweet

    # --- media ---------------------------------------------------------------------------
    @route("POST", r"/2/media/upload/initialize")
    def media_init(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/media/quickstart/media-upload-chunked
        data = request.json()
        if not data.get("total_bytes") or data.get("media_category") not in (
            "tweet_image",
            "tweet_video",
            "tweet_gif",
        ):
            return FakeResponse(
                400, _problem(400, "Invalid Request", "media_category or total_bytes invalid")
            )
        media_id = self.new_id()
        with self.lock:
            self.media[media_id] = {
                "total": int(data["total_bytes"]),
                "received": 0,
                "category": data["media_category"],
                "polls": self.video_processing_polls
                if data["media_category"] == "tweet_video"
                else 0,
                "alt": "",
            }
        return FakeResponse(
            200,
            {"data": {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": 86400}},
        )

    @route("POST", r"/2/media/upload/(?P<id>\d+)/append")
    def media_append(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/media/quickstart/media-upload-chunked
        assert request.match is not None
        item = self.media.get(request.match["id"])
        if item is None or "media" not in request.files:
            return FakeResponse(400, _problem(400, "Invalid Request", "media or media_id missing"))
        with self.lock:
            item["received"] += len(request.files["media"][2])
        return FakeResponse(200, {"data": {"expires_at": int(self.now().timestamp()) + 86400}})

    @route("POST", r"/2/media/upload/(?P<id>\d+)/finalize")
    def media_finalize(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/media/quickstart/media-upload-chunked
        assert request.match is not None
        item = self.media.get(request.match["id"])
        if item is None or item["received"] != item["total"]:
            return FakeResponse(
                400, _problem(400, "Invalid Request", "File size does not match total_bytes")
            )
        data: dict[str, Any] = {
            "id": request.match["id"],
            "media_key": f"3_{request.match['id']}",
            "size": item["total"],
        }
        if item["polls"]:
            data["processing_info"] = {"state": "pending", "check_after_secs": 1}
        return FakeResponse(200, {"data": data})

    @route("GET", r"/2/media/upload")
    def media_status(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/media/quickstart/media-upload-chunked (STATUS)
        item = self.media.get(request.query.get("media_id", ""))
        if item is None:
            return FakeResponse(404, _problem(404, "Not Found", "media not found"))
        with self.lock:
            if item["polls"] > 0:
                item["polls"] -= 1
                info = {"state": "in_progress", "check_after_secs": 1, "progress_percent": 50}
            else:
                info = {"state": "succeeded", "progress_percent": 100}
        return FakeResponse(
            200, {"data": {"id": request.query["media_id"], "processing_info": info}}
        )

    @route("POST", r"/2/media/metadata")
    def media_metadata(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/media/metadata-create
        data = request.json()
        item = self.media.get(str(data.get("id")))
        if item is None:
            return FakeResponse(400, _problem(400, "Invalid Request", "media not found"))
        item["alt"] = data["metadata"]["alt_text"]["text"]
        return FakeResponse(200, {"data": {"id": data["id"], "associated_metadata": True}})

    # --- tweets --------------------------------------------------------------------------
    @route("POST", r"/2/tweets")
    def create(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/posts/creation-of-a-post (201 {data: {id, text}})
        data = request.json()
        text = str(data.get("text") or "")
        media_ids = [str(m) for m in (data.get("media") or {}).get("media_ids") or []]
        if not text and not media_ids:
            return FakeResponse(400, _problem(400, "Invalid Request", "text or media required"))
        for media_id in media_ids:
            item = self.media.get(media_id)
            if item is None or item["polls"] or item["received"] != item["total"]:
                return self.error(Fault.INVALID_MEDIA)
        reply_to = (data.get("reply") or {}).get("in_reply_to_tweet_id")
        with self.lock:
            if text in self.texts:
                return self.error(Fault.DUPLICATE)
            self.texts.add(text)
            if reply_to:
                tweet = self._tweet(
                    text,
                    conversation_id=reply_to,
                    referenced_tweets=[{"type": "replied_to", "id": reply_to}],
                )
                self.comments[tweet["id"]] = tweet
            else:
                tweet = self._tweet(text, attachments={"media_keys": [f"3_{m}" for m in media_ids]})
                self.posts[tweet["id"]] = tweet
                self.record_publish(caption=text)
        return FakeResponse(
            201,
            {"data": {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}},
        )

    @route("GET", r"/2/tweets/(?P<id>\d+)")
    def get(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        if problem := _check_params(request, "tweet"):
            return problem
        tweet = self.posts.get(request.match["id"])
        if tweet is None:
            # https://docs.x.com/x-api/posts/get-post-by-id: 200 with only "errors"
            return FakeResponse(
                200,
                {
                    "errors": [
                        {
                            "value": request.match["id"],
                            "detail": "Could not find tweet",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "type": "https://api.twitter.com/2/problems/resource-not-found",
                        }
                    ]
                },
            )
        return FakeResponse(200, {"data": _tweet_view(tweet, request)})

    @route("GET", r"/2/tweets")
    def lookup(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/posts/get-posts (at most 100 ids)
        if problem := _check_params(request, "tweets"):
            return problem
        ids = _listed(request, "ids")
        if not 1 <= len(ids) <= 100:
            return _invalid("ids", "The `ids` query parameter value must hold 1-100 ids")
        found = [_tweet_view(self.posts[i], request) for i in ids if i in self.posts]
        return FakeResponse(200, {"data": found} if found else {})

    @route("DELETE", r"/2/tweets/(?P<id>\d+)")
    def delete(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/posts/post-delete-by-post-id
        assert request.match is not None
        with self.lock:
            tweet = self.posts.pop(request.match["id"], None)
            if tweet is not None:
                self.texts.discard(tweet["text"])
            deleted = tweet is not None
        return FakeResponse(200, {"data": {"deleted": deleted}})

    @route("PUT", r"/2/tweets/(?P<id>\d+)/hidden")
    def hide(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/posts/hide-reply
        assert request.match is not None
        self.hidden[request.match["id"]] = bool(request.json().get("hidden"))
        return FakeResponse(200, {"data": {"hidden": self.hidden[request.match["id"]]}})

    def _paged(self, request: FakeRequest, tweets: list[dict[str, Any]]) -> dict[str, Any]:
        start = request.query.get("start_time")
        if start:
            tweets = [t for t in tweets if t["created_at"] >= start]
        tweets.sort(key=lambda t: int(t["id"]), reverse=True)
        offset = int(request.query.get("pagination_token") or 0)
        size = int(request.query.get("max_results") or 10)
        page = tweets[offset : offset + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if offset + size < len(tweets):
            meta["next_token"] = str(offset + size)
        if not page:
            return {"meta": meta}
        return {"data": [_tweet_view(t, request) for t in page], "meta": meta}

    @route("GET", r"/2/users/(?P<id>\d+)/tweets")
    def timeline(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/users/get-posts: newest first, meta.next_token
        if problem := _check_params(request, "timeline"):
            return problem
        with self.lock:
            tweets = list(self.posts.values())
        return FakeResponse(200, self._paged(request, tweets))

    @route("GET", r"/2/users/(?P<id>\d+)/mentions")
    def mentions(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/users/get-mentions: users only with expansions=author_id
        if problem := _check_params(request, "mentions"):
            return problem
        with self.lock:
            tweets = [t for t in self.comments.values() if t.get("_author")]
        body = self._paged(request, tweets)
        if "author_id" in _listed(request, "expansions") and body.get("data"):
            authors = {
                t["author_id"]: {
                    "id": t["author_id"],
                    "username": t["_author"],
                    "name": t["_author"].title(),
                }
                for t in tweets
            }
            body["includes"] = {"users": [_user_view(u, request) for u in authors.values()]}
        return FakeResponse(200, body)

    @route("GET", r"/2/users/(?P<id>\w+)")
    def user(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/x-api/users/get-user-by-id: public_metrics only when asked
        if problem := _check_params(request, "user"):
            return problem
        user = {
            "id": self.external_id,
            "username": self.handle,
            "name": "Pemkot Bontang",
            "public_metrics": {
                "followers_count": self.followers,
                "following_count": 12,
                "tweet_count": len(self.posts),
                "listed_count": 3,
            },
        }
        return FakeResponse(200, {"data": _user_view(user, request)})

    @route("POST", r"/2/oauth2/token")
    def token(self, request: FakeRequest) -> FakeResponse:
        # https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token
        form = request.form
        if (
            form.get("grant_type") == "refresh_token"
            and form.get("refresh_token") != self.refresh_token
        ):
            return FakeResponse(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                },
            )
        if form.get("grant_type") == "authorization_code" and form.get("code") != "good-code":
            return FakeResponse(
                400, {"error": "invalid_grant", "error_description": "Invalid authorization code"}
            )
        access, refresh = self.issue_token()
        return FakeResponse(
            200,
            {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": access,
                "scope": "tweet.read tweet.write users.read offline.access",
                "refresh_token": refresh,
            },
        )


def _public(tweet: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in tweet.items() if not k.startswith("_")}
