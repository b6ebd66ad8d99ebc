"""Fake TikTok Content Posting API (FILE_UPLOAD and PULL_FROM_URL), Display API, OAuth.

`privacy_level_options` (what creator_info returns), `processing_polls` (status/fetch
answers PROCESSING_UPLOAD this many times), `fail_reason` (the next post ends FAILED with
it), `followers`. Posts live in `posts` (video id -> dict with like_count, ...).

Rate limits as documented (`RATE_LIMITS`, per user access token and endpoint in a
one-minute sliding window; `rate_limits` holds the windows, `throttled` counts refusals):
over one, HTTP 429 with error code `rate_limit_exceeded` and no header telling the reset.

What a fake cannot know: whether TikTok's processing accepts the video (codec, duration,
resolution) or the photo URLs (domain verification): `fail_reason` stands in for it.
"""

import re
from typing import Any

from warta.connectors.fakes.limits import SlidingWindow
from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route

MB = 1024 * 1024

# Requests per minute per user access token, "based on a one minute sliding window"; a
# request over it is answered 429 with error code rate_limit_exceeded.
# https://developers.tiktok.com/doc/content-posting-api-reference-direct-post (video/init: 6)
# https://developers.tiktok.com/doc/content-posting-api-reference-photo-post (content/init: 6)
# https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info (20)
# https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status (30)
# https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit (user/info, video/query,
# video/list: 600) and https://developers.tiktok.com/doc/tiktok-api-v2-error-handling
RATE_LIMITS = {
    "/v2/post/publish/video/init/": 6,
    "/v2/post/publish/content/init/": 6,
    "/v2/post/publish/creator_info/query/": 20,
    "/v2/post/publish/status/fetch/": 30,
    "/v2/user/info/": 600,
    "/v2/video/query/": 600,
    "/v2/video/list/": 600,
}
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")

# https://developers.tiktok.com/doc/tiktok-api-v2-video-object
VIDEO_FIELDS = {
    "id",
    "create_time",
    "cover_image_url",
    "share_url",
    "video_description",
    "duration",
    "height",
    "width",
    "title",
    "embed_html",
    "embed_link",
    "like_count",
    "comment_count",
    "share_count",
    "view_count",
}


def chunk_problem(size: int, chunk: int, count: int) -> str:
    """Why TikTok refuses this chunk plan ("" when it accepts it).

    https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide
    ("Chunk restrictions"): total_chunk_count = floor(video_size / chunk_size); chunks of
    5-64 MB, the last may be larger (up to 128 MB) to take the trailing bytes; files under
    5 MB in one chunk of their own size, files over 64 MB in several; 1-1000 chunks.
    """
    if size <= 0 or chunk <= 0:
        return "video_size and chunk_size must be positive"
    if size < 5 * MB:
        return "" if (chunk, count) == (size, 1) else "Videos under 5 MB go in one chunk"
    if not 5 * MB <= chunk <= 64 * MB:
        return "chunk_size must be between 5 MB and 64 MB"
    if count != size // chunk:
        return "The total chunk count is invalid"
    if not 1 <= count <= 1000:
        return "total_chunk_count must be between 1 and 1000"
    if size > 64 * MB and count < 2:
        return "Videos over 64 MB must be uploaded in several chunks"
    if size - (count - 1) * chunk > 128 * MB:
        return "The final chunk may be at most 128 MB"
    return ""


def _envelope(data: Any, code: str = "ok", message: str = "", status: int = 200) -> FakeResponse:
    return FakeResponse(
        status,
        {"data": data, "error": {"code": code, "message": message, "log_id": "202611260001"}},
    )


class FakeTikTok(FakePlatform):
    platform = "tiktok"
    token_prefix = "act"  # noqa: S105
    external_id = "-000bontangopenid"
    handle = "pemkotbontang"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.privacy_level_options = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
        self.processing_polls = 2
        self.fail_reason = ""
        self.followers = 5400
        self.publishes: dict[str, dict[str, Any]] = {}
        self.rate_limits = {path: SlidingWindow(n, 60) for path, n in RATE_LIMITS.items()}
        self.throttled = 0  # requests refused for a rate limit, injected faults aside

    def dispatch(self, request: FakeRequest) -> tuple[str, FakeResponse | None]:
        window = self.rate_limits.get(request.path)
        if window is not None and self.rate_limits_on and self.authorized(request):
            with self.lock:
                wait = window.take(request.bearer(), self.now().timestamp())
                self.throttled += bool(wait)
            if wait:
                return "", _envelope(
                    {},
                    "rate_limit_exceeded",
                    "The API rate limit was exceeded. Please try again later.",
                    429,
                )
        return super().dispatch(request)

    def authorized(self, request: FakeRequest) -> bool:
        return request.path.startswith(("/v2/oauth/token/", "/upload/")) or super().authorized(
            request
        )

    def error(self, kind: str) -> FakeResponse:
        return {
            Fault.RATE_LIMIT: _envelope(
                {},
                "rate_limit_exceeded",
                "The API rate limit was exceeded. Please try again later.",
                429,
            ),
            Fault.THROTTLED: _envelope({}, "spam_risk_too_many_posts", "Too many posts today", 403),
            Fault.EXPIRED_TOKEN: _envelope(
                {}, "access_token_invalid", "The access token is invalid or not found", 401
            ),
            Fault.INVALID_MEDIA: _envelope({}, "invalid_params", "video_size is invalid", 400),
            Fault.DUPLICATE: _envelope({}, "spam_risk_text", "Duplicate post", 403),
        }.get(kind) or _envelope({}, "internal_error", "Something went wrong", 500)

    @route("POST", r"/v2/post/publish/creator_info/query/")
    def creator_info(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info
        return _envelope(
            {
                "creator_username": self.handle,
                "creator_nickname": "Pemkot Bontang",
                "privacy_level_options": self.privacy_level_options,
                "comment_disabled": False,
                "duet_disabled": False,
                "stitch_disabled": False,
                "max_video_post_duration_sec": 600,
            }
        )

    def _new_publish(
        self, caption: str, privacy: str, size: int, chunk: int, count: int
    ) -> dict[str, Any]:
        publish_id = f"v_pub_file~v2-1.{self.new_id()}"
        item = {
            "id": publish_id,
            "caption": caption,
            "privacy": privacy,
            "size": size,
            "chunk": chunk,
            "count": count,
            "received": 0,
            "polls": self.processing_polls,
            "video_id": "",
        }
        with self.lock:
            self.publishes[publish_id] = item
        return item

    @route("POST", r"/v2/post/publish/video/init/")
    def video_init(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/content-posting-api-reference-direct-post
        data = request.json()
        source, info = data.get("source_info") or {}, data.get("post_info") or {}
        if source.get("source") != "FILE_UPLOAD":
            return _envelope({}, "invalid_params", "source must be FILE_UPLOAD here", 400)
        if info.get("privacy_level") not in self.privacy_level_options:
            return _envelope(
                {}, "privacy_level_option_mismatch", "privacy_level is not allowed", 400
            )
        size, chunk, count = (
            int(source["video_size"]),
            int(source["chunk_size"]),
            int(source["total_chunk_count"]),
        )
        problem = chunk_problem(size, chunk, count)
        if problem:
            return _envelope({}, "invalid_params", problem, 400)
        item = self._new_publish(
            str(info.get("title") or ""), info["privacy_level"], size, chunk, count
        )
        return _envelope(
            {
                "publish_id": item["id"],
                "upload_url": f"{self.base_url}/upload/?upload_id={item['id']}",
            }
        )

    @route("POST", r"/v2/post/publish/content/init/")
    def content_init(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/content-posting-api-reference-photo-post
        data = request.json()
        source = data.get("source_info") or {}
        if source.get("source") != "PULL_FROM_URL" or not source.get("photo_images"):
            return _envelope({}, "invalid_params", "photo_images required", 400)
        item = self._new_publish(
            str((data.get("post_info") or {}).get("description") or ""),
            data["post_info"]["privacy_level"],
            0,
            0,
            0,
        )
        self._complete(item)
        return _envelope({"publish_id": item["id"]})

    def _complete(self, item: dict[str, Any]) -> None:
        self.record_publish(caption=item["caption"])
        video_id = str(7_300_000_000_000_000_000 + int(self.new_id()))
        item["video_id"] = video_id
        with self.lock:
            self.posts[video_id] = {
                "id": video_id,
                "title": item["caption"][:90],
                "video_description": item["caption"],
                "create_time": int(self.now().timestamp()),
                # Strictly increasing, so list cursors (milliseconds) never tie.
                "_created_ms": max(
                    int(self.now().timestamp() * 1000),
                    max((v["_created_ms"] + 1 for v in self.posts.values()), default=0),
                ),
                "privacy": item["privacy"],
                "share_url": f"https://www.tiktok.com/@{self.handle}/video/{video_id}",
                "like_count": 0,
                "comment_count": 0,
                "share_count": 0,
                "view_count": 0,
            }

    @route("PUT", r"/upload/")
    def upload(self, request: FakeRequest) -> FakeResponse:
        # TikTok's media transfer guide:
        # chunks in order, each exactly chunk_size but the last (which takes the rest),
        # Content-Range "bytes first-last/total"; 206 until the last, then 201. The
        # guide gives no error body for a wrong chunk: these are the fake's own.
        # https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide
        item = self.publishes.get(request.query.get("upload_id", ""))
        if item is None:
            return FakeResponse(404, {"error": {"code": "not_found"}})
        found = _RANGE.fullmatch(request.headers.get("content-range", ""))
        if found is None:
            return FakeResponse(400, {"error": {"code": "invalid_content_range"}})
        first, last, total = (int(g) for g in found.groups())
        with self.lock:
            index = item["received"] // item["chunk"] if item["chunk"] else 0
            final = index == item["count"] - 1
            expected = item["size"] - index * item["chunk"] if final else item["chunk"]
            if (
                first != item["received"]
                or total != item["size"]
                or last - first + 1 != len(request.body)
                or len(request.body) != expected
            ):
                return FakeResponse(416, {"error": {"code": "range_mismatch"}})
            item["received"] += len(request.body)
            done = item["received"] >= item["size"]
        if done:
            self._complete(item)
            return FakeResponse(201, None)
        return FakeResponse(206, None)

    @route("POST", r"/v2/post/publish/status/fetch/")
    def status(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status
        item = self.publishes.get(request.json().get("publish_id", ""))
        if item is None:
            return _envelope({}, "invalid_publish_id", "publish_id not found", 400)
        with self.lock:
            if not item["video_id"] or item["polls"] > 0:
                item["polls"] -= 1
                return _envelope(
                    {"status": "PROCESSING_UPLOAD", "uploaded_bytes": item["received"]}
                )
            if self.fail_reason:
                reason, self.fail_reason = self.fail_reason, ""
                return _envelope({"status": "FAILED", "fail_reason": reason})
        public = [int(item["video_id"])] if item["privacy"] == "PUBLIC_TO_EVERYONE" else []
        return _envelope(
            {
                "status": "PUBLISH_COMPLETE",
                "publicaly_available_post_id": public,
                "uploaded_bytes": item["received"],
            }
        )

    def _fields(self, request: FakeRequest) -> list[str] | FakeResponse:
        fields = [f for f in request.query.get("fields", "").split(",") if f]
        unknown = [f for f in fields if f not in VIDEO_FIELDS]
        if not fields or unknown:
            return _envelope({}, "invalid_params", f"Invalid fields: {','.join(unknown)}", 400)
        return fields

    @route("POST", r"/v2/video/list/")
    def video_list(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/display-api-overview/ ("video.list: Read a
        # user's public videos"): private (SELF_ONLY, friends) posts are never listed;
        # newest first, at most 20 a page, `cursor` is a UTC time in milliseconds: the
        # next page holds videos created before it. Only the requested `fields` come back.
        fields = self._fields(request)
        if isinstance(fields, FakeResponse):
            return fields
        data = request.json()
        size = int(data.get("max_count") or 10)
        if not 1 <= size <= 20:
            return _envelope({}, "invalid_params", "max_count must be 1-20", 400)
        before = int(data.get("cursor") or 2**62)
        with self.lock:
            videos = sorted(
                (
                    v
                    for v in self.posts.values()
                    if v["privacy"] == "PUBLIC_TO_EVERYONE" and v["_created_ms"] < before
                ),
                key=lambda v: v["_created_ms"],
                reverse=True,
            )
        page = videos[:size]
        cursor = page[-1]["_created_ms"] if page else before
        return _envelope(
            {
                "videos": [{f: v[f] for f in fields if f in v} for v in page],
                "cursor": cursor,
                "has_more": len(videos) > size,
            }
        )

    @route("POST", r"/v2/video/query/")
    def video_query(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/tiktok-api-v2-video-query
        fields = self._fields(request)
        if isinstance(fields, FakeResponse):
            return fields
        ids = (request.json().get("filters") or {}).get("video_ids") or []
        if len(ids) > 20:
            return _envelope({}, "invalid_params", "at most 20 video_ids", 400)
        videos = [self.posts[i] for i in ids if i in self.posts]
        return _envelope({"videos": [{f: v[f] for f in fields if f in v} for v in videos]})

    @route("GET", r"/v2/user/info/")
    def user_info(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info
        return _envelope(
            {
                "user": {
                    "open_id": self.external_id,
                    "username": self.handle,
                    "display_name": "Pemkot Bontang",
                    "follower_count": self.followers,
                }
            }
        )

    @route("POST", r"/v2/oauth/token/")
    def token(self, request: FakeRequest) -> FakeResponse:
        # https://developers.tiktok.com/doc/oauth-user-access-token-management
        form = request.form
        if form.get("client_secret") != "client-secret":
            return FakeResponse(
                200, {"error": "invalid_client", "error_description": "Client secret is invalid"}
            )
        grant = form.get("grant_type")
        if (grant == "refresh_token" and form.get("refresh_token") != self.refresh_token) or (
            grant == "authorization_code" and form.get("code") != "good-code"
        ):
            return FakeResponse(
                200,
                {
                    "error": "invalid_grant",
                    "error_description": "Refresh token is invalid or expired",
                },
            )
        access, refresh = self.issue_token()
        return FakeResponse(
            200,
            {
                "access_token": access,
                "expires_in": 86400,
                "open_id": self.external_id,
                "refresh_expires_in": 31536000,
                "refresh_token": refresh,
                "scope": "user.info.basic,video.publish",
                "token_type": "Bearer",
            },
        )
