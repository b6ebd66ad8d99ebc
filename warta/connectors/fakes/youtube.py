"""Fake YouTube Data API v3 with resumable uploads, plus Google's token endpoint.

`videos` (id -> resource with `statistics`), `threads` (comment threads), `channel`
(with `subscriberCount`). Faults `quota` (403 quotaExceeded) besides the common ones.

The project's daily quota as documented (`QUOTA_COSTS`): `upload_quota` videos.insert
calls and `unit_quota` units for the other methods per Pacific day; `uploads_used` and
`units_used` count them. A call over either is refused 403 quotaExceeded until midnight
Pacific Time (Google sends no header telling it).
Use `fail_next(Fault.COMMIT_THEN_TIMEOUT, path="PUT /upload")` to lose a chunk's answer
after the bytes arrived, as a flaky link does.
"""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from warta.connectors.fakes.server import FakePlatform, FakeRequest, FakeResponse, Fault, route

# "Daily quotas reset at midnight Pacific Time"; videos.insert has "its own quota bucket"
# of 100 calls a day (1 per call), every other method draws on 10,000 units a day at the
# table's cost, and "all API requests, including invalid requests, incur a quota cost of
# at least one point". https://developers.google.com/youtube/v3/determine_quota_cost
PACIFIC = ZoneInfo("America/Los_Angeles")
UPLOAD = ("POST", "/upload/youtube/v3/videos")  # videos.insert; its chunk PUTs are the same call
QUOTA_COSTS = {
    ("GET", "/youtube/v3/videos"): 1,  # videos.list
    ("DELETE", "/youtube/v3/videos"): 50,  # videos.delete
    ("GET", "/youtube/v3/playlistItems"): 1,
    ("GET", "/youtube/v3/channels"): 1,
    ("GET", "/youtube/v3/commentThreads"): 1,
    ("POST", "/youtube/v3/commentThreads"): 50,
    ("POST", "/youtube/v3/comments"): 50,
    ("POST", "/youtube/v3/comments/setModerationStatus"): 50,
}
# quotaExceeded (403), domain youtube.quota, in Google's error shape.
# https://developers.google.com/youtube/v3/docs/errors ("Core API errors")
QUOTA_MESSAGE = (
    "The request cannot be completed because you have exceeded your "
    '<a href="/youtube/v3/getting-started#quota">quota</a>.'
)


def _error(status: int, reason: str, message: str, domain: str = "youtube") -> FakeResponse:
    return FakeResponse(
        status,
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
            }
        },
    )


class FakeYouTube(FakePlatform):
    platform = "youtube"
    token_prefix = "ya29"  # noqa: S105
    external_id = "UCbontang0000000000000001"
    handle = "pemkotbontang"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.sessions: dict[str, dict[str, Any]] = {}
        self.threads: list[dict[str, Any]] = []
        self.subscribers = 3100
        self.moderation: dict[str, str] = {}
        self.upload_quota = 100
        self.unit_quota = 10_000
        self.uploads_used = 0
        self.units_used = 0
        self.throttled = 0  # calls refused for the quota, injected faults aside
        self._quota_day: date | None = None

    def dispatch(self, request: FakeRequest) -> tuple[str, FakeResponse | None]:
        if (
            not self.rate_limits_on
            or request.path.startswith(("/_fake/", "/token"))
            or not self.authorized(request)
        ):
            return super().dispatch(request)
        call = (request.method, request.path)
        if call == UPLOAD or request.path.startswith("/youtube/v3/"):
            with self.lock:
                today = self.now().astimezone(PACIFIC).date()
                if today != self._quota_day:
                    self._quota_day, self.uploads_used, self.units_used = today, 0, 0
                if call == UPLOAD:
                    spent = self.uploads_used + 1 > self.upload_quota
                    self.uploads_used += 0 if spent else 1
                else:
                    cost = QUOTA_COSTS.get(call, 1)
                    spent = self.units_used + cost > self.unit_quota
                    self.units_used += 0 if spent else cost
                self.throttled += spent
            if spent:
                return "", self.error("quota")
        return super().dispatch(request)

    def authorized(self, request: FakeRequest) -> bool:
        return request.path == "/token" or super().authorized(request)

    def error(self, kind: str) -> FakeResponse:
        return {
            Fault.RATE_LIMIT: _error(429, "rateLimitExceeded", "Too many requests"),
            "quota": _error(403, "quotaExceeded", QUOTA_MESSAGE, "youtube.quota"),
            Fault.EXPIRED_TOKEN: _error(
                401, "authError", "Request had invalid authentication credentials."
            ),
            Fault.INVALID_MEDIA: _error(
                400, "badContent", "Media type 'text/plain' is not supported."
            ),
            Fault.DUPLICATE: _error(
                400, "invalidVideoMetadata", "The request metadata is invalid."
            ),
        }.get(kind) or _error(503, "backendError", "Backend Error")

    def _video(self, metadata: dict[str, Any]) -> dict[str, Any]:
        video_id = f"vid{self.new_id()}"
        snippet = {
            **metadata.get("snippet", {}),
            "channelId": self.external_id,
            "publishedAt": self.now().isoformat().replace("+00:00", "Z"),
        }
        video = {
            "kind": "youtube#video",
            "id": video_id,
            "snippet": snippet,
            "status": {**metadata.get("status", {}), "uploadStatus": "uploaded"},
            "statistics": {"viewCount": "0", "likeCount": "0", "commentCount": "0"},
        }
        self.record_publish(caption=snippet.get("title", ""))
        with self.lock:
            self.posts[video_id] = video
        return video

    def add_comment(
        self, post_id: str, text: str, *, author: str = "Warga", reply_to: str = ""
    ) -> dict[str, Any]:
        comment_id = f"Ug{self.new_id()}"
        snippet = {
            "videoId": post_id,
            "textOriginal": text,
            "textDisplay": text,
            "authorDisplayName": author,
            "authorChannelId": {"value": f"UC{author}"},
            "publishedAt": self.now().isoformat().replace("+00:00", "Z"),
        }
        comment: dict[str, Any] = {"id": comment_id, "snippet": snippet}
        with self.lock:
            if reply_to:
                snippet["parentId"] = reply_to
                comment["id"] = f"{reply_to}.{comment_id}"
                for thread in self.threads:
                    if thread["id"] == reply_to:
                        thread.setdefault("replies", {"comments": []})["comments"].append(comment)
            else:
                self.threads.insert(
                    0,
                    {
                        "id": comment_id,
                        "snippet": {
                            "videoId": post_id,
                            "topLevelComment": comment,
                            "channelId": self.external_id,
                        },
                    },
                )
            self.comments[comment["id"]] = comment
        return comment

    @route("POST", r"/upload/youtube/v3/videos")
    def upload_start(self, request: FakeRequest) -> FakeResponse:
        metadata = request.json()
        title = (metadata.get("snippet") or {}).get("title", "")
        if not title or len(title) > 100:
            return _error(
                400, "invalidTitle", "The request metadata specifies an invalid video title."
            )
        if request.query.get("uploadType") != "resumable":
            return _error(400, "invalidUploadType", "uploadType must be resumable")
        session = f"up{self.new_id()}"
        with self.lock:
            self.sessions[session] = {
                "total": int(request.headers.get("x-upload-content-length") or 0),
                "received": 0,
                "metadata": metadata,
                "video": None,
            }
        location = (
            f"{self.base_url}/upload/youtube/v3/videos?uploadType=resumable&upload_id={session}"
        )
        return FakeResponse(200, None, {"Location": location})

    @route("PUT", r"/upload/youtube/v3/videos")
    def upload_put(self, request: FakeRequest) -> FakeResponse:
        session = self.sessions.get(request.query.get("upload_id", ""))
        if session is None:
            return _error(404, "notFound", "Upload session not found")
        content_range = request.headers.get("content-range", "")
        with self.lock:
            if session["video"] is None and not content_range.startswith("bytes */"):
                first = int(content_range.split(" ")[1].split("-")[0])
                if first != session["received"]:
                    return _error(400, "badRequest", "Content-Range does not continue the upload")
                session["received"] += len(request.body)
                if session["received"] >= session["total"]:
                    session["video"] = self._video(session["metadata"])
            if session["video"] is not None:
                return FakeResponse(200, session["video"])
            headers = {"Range": f"bytes=0-{session['received'] - 1}"} if session["received"] else {}
            return FakeResponse(308, None, headers)

    @route("GET", r"/youtube/v3/videos")
    def videos_list(self, request: FakeRequest) -> FakeResponse:
        ids = request.query.get("id", "").split(",")
        return FakeResponse(200, {"items": [self.posts[i] for i in ids if i in self.posts]})

    @route("DELETE", r"/youtube/v3/videos")
    def videos_delete(self, request: FakeRequest) -> FakeResponse:
        with self.lock:
            found = self.posts.pop(request.query.get("id", ""), None)
        return FakeResponse(204) if found else _error(404, "videoNotFound", "Video not found")

    @route("GET", r"/youtube/v3/playlistItems")
    def playlist_items(self, request: FakeRequest) -> FakeResponse:
        if request.query.get("playlistId") != "UU" + self.external_id[2:]:
            return _error(404, "playlistNotFound", "Playlist not found")
        with self.lock:
            videos = list(reversed(self.posts.values()))
        return FakeResponse(
            200,
            {
                "items": [
                    {"snippet": v["snippet"], "contentDetails": {"videoId": v["id"]}}
                    for v in videos[:50]
                ]
            },
        )

    @route("GET", r"/youtube/v3/channels")
    def channels(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(
            200,
            {
                "items": [
                    {
                        "id": self.external_id,
                        "snippet": {"title": "Pemkot Bontang", "customUrl": "@pemkotbontang"},
                        "statistics": {"subscriberCount": str(self.subscribers)},
                    }
                ]
            },
        )

    @route("GET", r"/youtube/v3/commentThreads")
    def threads_list(self, request: FakeRequest) -> FakeResponse:
        offset = int(request.query.get("pageToken") or 0)
        size = int(request.query.get("maxResults") or 20)
        with self.lock:
            page = self.threads[offset : offset + size]
            body: dict[str, Any] = {"items": page}
            if offset + size < len(self.threads):
                body["nextPageToken"] = str(offset + size)
        return FakeResponse(200, body)

    @route("POST", r"/youtube/v3/commentThreads")
    def threads_insert(self, request: FakeRequest) -> FakeResponse:
        snippet = request.json()["snippet"]
        text = snippet["topLevelComment"]["snippet"]["textOriginal"]
        comment = self.add_comment(snippet["videoId"], text, author=self.handle)
        return FakeResponse(200, {"id": comment["id"], "snippet": {"topLevelComment": comment}})

    @route("POST", r"/youtube/v3/comments/setModerationStatus")
    def moderate(self, request: FakeRequest) -> FakeResponse:
        self.moderation[request.query["id"]] = request.query["moderationStatus"]
        return FakeResponse(204)

    @route("POST", r"/youtube/v3/comments")
    def comments_insert(self, request: FakeRequest) -> FakeResponse:
        snippet = request.json()["snippet"]
        parent = self.comments.get(snippet.get("parentId", ""))
        if parent is None:
            return _error(404, "commentNotFound", "The parent comment could not be found.")
        reply = self.add_comment(
            parent["snippet"]["videoId"],
            snippet["textOriginal"],
            author=self.handle,
            reply_to=snippet["parentId"],
        )
        return FakeResponse(200, reply)

    @route("POST", r"/token")
    def token(self, request: FakeRequest) -> FakeResponse:
        form = request.form
        if form.get("client_secret") != "client-secret":
            return FakeResponse(
                401, {"error": "invalid_client", "error_description": "Unauthorized"}
            )
        grant = form.get("grant_type")
        if (grant == "refresh_token" and form.get("refresh_token") != self.refresh_token) or (
            grant == "authorization_code" and form.get("code") != "good-code"
        ):
            return FakeResponse(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        access = self.issue_token()[0] if grant == "authorization_code" else self._fresh_access()
        body = {
            "access_token": access,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/youtube.upload",
        }
        if grant == "authorization_code":
            body["refresh_token"] = self.refresh_token
        return FakeResponse(200, body)

    def _fresh_access(self) -> str:
        with self.lock:
            token = f"{self.token_prefix}-valid-{self.new_id()}"
            self.valid_tokens.add(token)
            self.access_token = token
            return token
