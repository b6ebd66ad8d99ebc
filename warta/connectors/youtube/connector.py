"""YouTube Data API v3: resumable video upload, comments, statistics.

Quirks: a post is one video (title from `PublishRequest.title`, else the caption's first
100 characters; the caption is the description); the upload is resumable: initiate,
PUT chunks (multiples of 256 KiB), and when a chunk's answer is lost, ask the upload URL
how far it got (`Content-Range: bytes */N`) and continue from there, so a flaky link
does not start the upload over; only the last chunk creates the video. Daily quota
exhaustion (403 quotaExceeded) is a TransientError until the quota resets at midnight
Pacific time. find_post looks in the channel's uploads playlist by title, which can lag
behind, so None there means "cannot tell". Google refresh tokens do not rotate.
"""

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors._http import HttpConnector, match_post, parse_time
from warta.connectors.base import (
    AuthError,
    ConnectorError,
    Page,
    PermanentError,
    PostMetrics,
    PublishRequest,
    PublishResult,
    RemoteComment,
    RemotePost,
    TokenSet,
    TransientError,
    register,
)
from warta.connectors.oauth import client_credentials, token_set
from warta.connectors.ratelimits import APP, RateObservation
from warta.lib import clock
from warta.lib.platforms import Platform

logger = logging.getLogger(__name__)

GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105
_QUOTA_RESET_ZONE = ZoneInfo("America/Los_Angeles")
_TRANSIENT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "backendError", "internalError"}
_AUTH_REASONS = {
    "authError",
    "youtubeSignupRequired",
    "insufficientPermissions",
    "accountClosed",
    "accountSuspended",
    "invalid_grant",
}


def quota_resets_at(now: datetime | None = None) -> datetime:
    """The next midnight Pacific Time, when the project's daily quota resets."""
    now = (now or clock.now()).astimezone(_QUOTA_RESET_ZONE)
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def seconds_until_quota_reset(now: datetime | None = None) -> float:
    now = now or clock.now()
    return (quota_resets_at(now) - now).total_seconds() + 60


@register(Platform.YOUTUBE)
class YouTubeConnector(HttpConnector):
    default_base_url = "https://www.googleapis.com"
    label = "YouTube"
    chunk_bytes = 8 * 1024 * 1024  # must be a multiple of 256 KiB
    resume_attempts = 5

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token" if self.account.base_url else GOOGLE_TOKEN_URL

    def _observe_rate(self, method: str, path: str, response: httpx.Response) -> None:
        """A quotaExceeded spends the day's bucket it came from until midnight Pacific:
        videos.insert's own for the upload, the units for any other call.
        https://developers.google.com/youtube/v3/determine_quota_cost
        """
        if response.status_code != 403:
            return
        error = response.json().get("error") or {}
        reasons = {str(e.get("reason") or "") for e in error.get("errors") or []}
        if "quotaExceeded" not in reasons:
            return
        name = "uploads_day" if method == "POST" and "/upload/" in path else "units_day"
        self.rate_observations.add(
            RateObservation(scope=APP, name=name, remaining=0, resets_at=quota_resets_at())
        )

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        if not isinstance(body, dict):
            return
        error = body.get("error")
        if isinstance(error, str):  # the OAuth token endpoint
            message = str(body.get("error_description") or error)
            if error in ("invalid_grant", "unauthorized_client", "invalid_client"):
                raise AuthError(m.YOUTUBE_PERMISSION_REVOKED(detail=message), platform_code=error)
            raise PermanentError(m.GOOGLE_TOKEN_REJECTED(detail=message), platform_code=error)
        if not isinstance(error, dict):
            return
        reasons = [str(e.get("reason") or "") for e in error.get("errors") or []]
        reason = reasons[0] if reasons else ""
        message = str(error.get("message") or reason)
        if reason == "quotaExceeded" or reason == "uploadLimitExceeded":
            raise TransientError(
                m.YOUTUBE_QUOTA(detail=message),
                retry_after=seconds_until_quota_reset(),
                platform_code=reason,
            )
        if reason in _TRANSIENT_REASONS:
            raise TransientError(
                m.SLOW_DOWN(platform="YouTube", detail=message),
                retry_after=60.0,
                platform_code=reason,
                outcome_unknown=commit and response.status_code >= 500,
            )
        if response.status_code == 401 or reason in _AUTH_REASONS:
            raise AuthError(
                m.ACCESS_REVOKED(platform="YouTube", detail=message),
                platform_code=reason or "401",
            )
        if 400 <= response.status_code < 500 and response.status_code != 429:
            raise PermanentError(
                m.REJECTED(platform="YouTube", detail=message),
                platform_code=reason or str(response.status_code),
            )

    # --- upload --------------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> PublishResult:
        videos = [m for m in request.media if m.kind == "video"]
        if len(videos) != 1 or len(request.media) != 1:
            raise PermanentError(gettext_noop("YouTube butuh tepat satu video."))
        video = videos[0]
        size = video.path.stat().st_size
        title = (request.title or request.caption.split("\n")[0])[:100]
        metadata = {
            "snippet": {
                "title": title,
                "description": request.caption,
                "defaultLanguage": "id",
                "categoryId": str(self.account.credentials.get("category_id") or "25"),
            },
            "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
        }
        start = self._request(
            "POST",
            "/upload/youtube/v3/videos",
            raw=True,
            json=metadata,
            params={"uploadType": "resumable", "part": "snippet,status"},
            headers={
                "X-Upload-Content-Length": str(size),
                "X-Upload-Content-Type": video.mime_type,
            },
        )
        location = start.headers.get("location")
        if not location:
            raise TransientError(gettext_noop("YouTube tidak memberi alamat unggah."))
        body = self._upload(location, video.path, size, video.mime_type)
        video_id = str(body["id"])
        if request.first_comment:
            self._first_comment(video_id, request.first_comment)
        return PublishResult(
            platform_post_id=video_id,
            url=f"https://www.youtube.com/watch?v={video_id}",
            published_at=parse_time((body.get("snippet") or {}).get("publishedAt")),
        )

    def _upload(self, location: str, path: Any, size: int, mime: str) -> dict[str, Any]:
        offset, failures = 0, 0
        with path.open("rb") as handle:
            while True:
                handle.seek(offset)
                chunk = handle.read(self.chunk_bytes)
                last = offset + len(chunk) >= size
                headers = {
                    "Content-Type": mime,
                    "Content-Range": f"bytes {offset}-{offset + len(chunk) - 1}/{size}",
                }
                response: httpx.Response | None = None
                try:
                    response = self._request(
                        "PUT",
                        location,
                        raw=True,
                        commit=last,
                        content=chunk,
                        headers=headers,
                        ok_statuses=(308,),
                    )
                except TransientError as exc:
                    error = exc
                while response is None:
                    # Resume instead of starting over: ask how far the upload got.
                    failures += 1
                    if failures > self.resume_attempts:
                        raise error
                    self._wait()
                    try:
                        response = self._upload_status(location, size, last)
                    except TransientError as exc:
                        if exc.platform_code == "session_expired":
                            raise
                        error = exc
                if response.status_code in (200, 201):
                    result: dict[str, Any] = response.json()
                    return result
                offset = _next_offset(response)

    def _upload_status(self, location: str, size: int, last: bool) -> httpx.Response:
        """Ask an interrupted upload how many bytes arrived (308) or whether it finished."""
        try:
            response: httpx.Response = self._request(
                "PUT",
                location,
                raw=True,
                commit=last,
                content=b"",
                headers={"Content-Range": f"bytes */{size}"},
                ok_statuses=(308,),
            )
        except PermanentError as exc:
            if exc.platform_code in ("404", "410", "notFound"):
                # The session expired: nothing was made, publishing may start over.
                raise TransientError(
                    gettext_noop("Sesi unggah YouTube kedaluwarsa."),
                    platform_code="session_expired",
                ) from None
            raise
        return response

    def _first_comment(self, video_id: str, text: str) -> None:
        try:
            self._request(
                "POST",
                "/youtube/v3/commentThreads",
                params={"part": "snippet"},
                json={
                    "snippet": {
                        "channelId": self.account.external_id,
                        "videoId": video_id,
                        "topLevelComment": {"snippet": {"textOriginal": text}},
                    }
                },
            )
        except ConnectorError as exc:
            logger.warning("YouTube first comment on %s failed: %s", video_id, exc.message)

    # --- reading -------------------------------------------------------------------------
    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        if request is None:
            return None
        playlist = "UU" + self.account.external_id[2:]
        body = self._request(
            "GET",
            "/youtube/v3/playlistItems",
            params={"part": "snippet,contentDetails", "playlistId": playlist, "maxResults": 50},
        )
        candidates = []
        for item in body.get("items") or []:
            snippet = item.get("snippet") or {}
            video_id = str((item.get("contentDetails") or {}).get("videoId") or "")
            candidates.append(
                RemotePost(
                    platform_post_id=video_id,
                    url=f"https://www.youtube.com/watch?v={video_id}",
                    caption=str(
                        snippet.get("title") if request.title else snippet.get("description") or ""
                    ),
                    published_at=parse_time(snippet.get("publishedAt")),
                )
            )
        return match_post(candidates, request=request, since=since, title=bool(request.title))

    def _videos(self, ids: list[str], part: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for start in range(0, len(ids), 50):
            body = self._request(
                "GET",
                "/youtube/v3/videos",
                params={"part": part, "id": ",".join(ids[start : start + 50])},
            )
            items += body.get("items") or []
        return items

    def fetch_post(self, platform_post_id: str) -> RemotePost:
        items = self._videos([platform_post_id], "snippet,status")
        if not items:
            return RemotePost(platform_post_id=platform_post_id, deleted=True)
        snippet = items[0].get("snippet") or {}
        return RemotePost(
            platform_post_id=platform_post_id,
            url=f"https://www.youtube.com/watch?v={platform_post_id}",
            caption=str(snippet.get("description") or ""),
            published_at=parse_time(snippet.get("publishedAt")),
        )

    def delete(self, platform_post_id: str) -> None:
        self._request("DELETE", "/youtube/v3/videos", params={"id": platform_post_id})

    def refresh_token(self) -> TokenSet:
        client_id, client_secret = client_credentials(self.account, "google")
        refresh = str(self.account.credentials.get("refresh_token") or "")
        if not refresh:
            raise AuthError(m.NO_REFRESH_TOKEN(platform="Google"))
        body = self._request(
            "POST",
            self.token_url,
            auth=False,
            data={
                "client_id": client_id,
                "client_secret": client_secret,
                "refresh_token": refresh,
                "grant_type": "refresh_token",
            },
        )
        return token_set(body, previous_refresh=refresh)

    def fetch_metrics(self, platform_post_ids: list[str]) -> list[PostMetrics]:
        now = clock.now()
        results = []
        for item in self._videos(platform_post_ids, "statistics"):
            stats = item.get("statistics") or {}
            results.append(
                PostMetrics(
                    platform_post_id=str(item["id"]),
                    captured_at=now,
                    views=int(stats.get("viewCount") or 0),
                    likes=int(stats.get("likeCount") or 0),
                    comments=int(stats.get("commentCount") or 0),
                )
            )
        return results

    def fetch_followers(self) -> int:
        body = self._request(
            "GET",
            "/youtube/v3/channels",
            params={"part": "statistics", "id": self.account.external_id},
        )
        items = body.get("items") or [{}]
        return int((items[0].get("statistics") or {}).get("subscriberCount") or 0)

    # --- comments ------------------------------------------------------------------------
    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.account.external_id,
            "order": "time",
            "maxResults": 100,
            "textFormat": "plainText",
        }
        if cursor:
            params["pageToken"] = cursor
        body = self._request("GET", "/youtube/v3/commentThreads", params=params)
        items: list[RemoteComment] = []
        older = False
        for thread in body.get("items") or []:
            top = (thread.get("snippet") or {}).get("topLevelComment") or {}
            video_id = str((thread.get("snippet") or {}).get("videoId") or "")
            for comment in [top, *((thread.get("replies") or {}).get("comments") or [])]:
                found = self._comment(comment, video_id)
                if since and found.created_at < since:
                    older = older or comment is top
                    continue
                items.append(found)
        # Threads come newest first: once one starts before `since`, stop paging.
        next_cursor = "" if older else str(body.get("nextPageToken") or "")
        return Page(items=items, cursor=next_cursor)

    def _comment(self, comment: dict[str, Any], video_id: str) -> RemoteComment:
        snippet = comment.get("snippet") or {}
        parent = str(snippet.get("parentId") or "")
        return RemoteComment(
            platform_item_id=str(comment.get("id")),
            text=str(snippet.get("textOriginal") or snippet.get("textDisplay") or ""),
            author_name=str(snippet.get("authorDisplayName") or ""),
            author_handle=str((snippet.get("authorChannelId") or {}).get("value") or ""),
            created_at=parse_time(snippet.get("publishedAt")) or clock.now(),
            platform_post_id=str(snippet.get("videoId") or video_id),
            parent_id=parent,
            kind="reply" if parent else "comment",
            hidden=snippet.get("moderationStatus") in ("heldForReview", "rejected"),
        )

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        body = self._request(
            "POST",
            "/youtube/v3/comments",
            commit=True,
            params={"part": "snippet"},
            json={"snippet": {"parentId": platform_item_id, "textOriginal": text}},
        )
        return self._comment(body, "")

    def hide_comment(self, platform_item_id: str, *, hidden: bool = True) -> None:
        self._request(
            "POST",
            "/youtube/v3/comments/setModerationStatus",
            params={
                "id": platform_item_id,
                "moderationStatus": "heldForReview" if hidden else "published",
            },
        )


def _next_offset(response: httpx.Response) -> int:
    """The byte after the last one the server holds, from a 308's Range header."""
    raw = response.headers.get("range", "")
    if not raw:
        return 0  # nothing arrived yet
    try:
        return int(raw.rsplit("-", 1)[1]) + 1
    except (IndexError, ValueError):
        raise TransientError(m.YOUTUBE_BAD_RANGE(detail=raw)) from None
