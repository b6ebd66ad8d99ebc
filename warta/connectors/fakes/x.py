"""Fake X API v2: tweets, v2 chunked media upload, timelines, mentions, OAuth2 refresh.

Like X, it refuses a tweet whose text equals one already posted (403 duplicate content).
`video_processing_polls`: STATUS answers "in_progress" this many times for a video.
`followers`. `add_comment(post_id, text)` adds a reply mentioning the account.
"""

import time
from typing import Any

from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route


def _problem(status: int, title: str, detail: str, kind: str = "about:blank") -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": kind, "status": status}


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

    def authorized(self, request: FakeRequest) -> bool:
        return request.path == "/2/oauth2/token" or super().authorized(request)

    def error(self, kind: str) -> FakeResponse:
        if kind == Fault.RATE_LIMIT:
            reset = str(int(time.time()) + 7)
            return FakeResponse(
                429,
                _problem(429, "Too Many Requests", "Too Many Requests"),
                {"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0"},
            )
        if kind in ("daily_limit", "app_daily_limit"):
            # The per-user (or per-app) 24-hour cap on posts: the 15-minute window still
            # has room, the 24-hour headers say when it resets.
            # https://docs.x.com/x-api/fundamentals/rate-limits
            now = int(time.time())
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
        assert request.match is not None
        item = self.media.get(request.match["id"])
        if item is None or "media" not in request.files:
            return FakeResponse(400, _problem(400, "Invalid Request", "media or media_id missing"))
        with self.lock:
            item["received"] += len(request.files["media"][2])
        return FakeResponse(200, {"data": {"expires_at": int(time.time()) + 86400}})

    @route("POST", r"/2/media/upload/(?P<id>\d+)/finalize")
    def media_finalize(self, request: FakeRequest) -> FakeResponse:
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
        data = request.json()
        item = self.media.get(str(data.get("id")))
        if item is None:
            return FakeResponse(400, _problem(400, "Invalid Request", "media not found"))
        item["alt"] = data["metadata"]["alt_text"]["text"]
        return FakeResponse(200, {"data": {"id": data["id"], "associated_metadata": True}})

    # --- tweets --------------------------------------------------------------------------
    @route("POST", r"/2/tweets")
    def create(self, request: FakeRequest) -> FakeResponse:
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
        tweet = self.posts.get(request.match["id"])
        if tweet is None:
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
        return FakeResponse(200, {"data": _public(tweet)})

    @route("GET", r"/2/tweets")
    def lookup(self, request: FakeRequest) -> FakeResponse:
        ids = request.query.get("ids", "").split(",")
        return FakeResponse(200, {"data": [_public(self.posts[i]) for i in ids if i in self.posts]})

    @route("DELETE", r"/2/tweets/(?P<id>\d+)")
    def delete(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        with self.lock:
            tweet = self.posts.pop(request.match["id"], None)
            if tweet is not None:
                self.texts.discard(tweet["text"])
            deleted = tweet is not None
        return FakeResponse(200, {"data": {"deleted": deleted}})

    @route("PUT", r"/2/tweets/(?P<id>\d+)/hidden")
    def hide(self, request: FakeRequest) -> FakeResponse:
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
        return {"data": [_public(t) for t in page], "meta": meta} if page else {"meta": meta}

    @route("GET", r"/2/users/(?P<id>\d+)/tweets")
    def timeline(self, request: FakeRequest) -> FakeResponse:
        with self.lock:
            tweets = list(self.posts.values())
        return FakeResponse(200, self._paged(request, tweets))

    @route("GET", r"/2/users/(?P<id>\d+)/mentions")
    def mentions(self, request: FakeRequest) -> FakeResponse:
        with self.lock:
            tweets = [t for t in self.comments.values() if t.get("_author")]
        body = self._paged(request, tweets)
        body["includes"] = {
            "users": [
                {"id": "88", "username": t["_author"], "name": t["_author"].title()} for t in tweets
            ]
        }
        return FakeResponse(200, body)

    @route("GET", r"/2/users/(?P<id>\w+)")
    def user(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(
            200,
            {
                "data": {
                    "id": self.external_id,
                    "username": self.handle,
                    "name": "Pemkot Bontang",
                    "public_metrics": {"followers_count": self.followers},
                }
            },
        )

    @route("POST", r"/2/oauth2/token")
    def token(self, request: FakeRequest) -> FakeResponse:
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
