"""TikTok Content Posting API: direct post of a video by FILE_UPLOAD, then status polling.

Quirks: the creator's allowed privacy levels are read first (creator_info) and the post is
public only when the account allows it (unaudited apps may only post privately:
`credentials["privacy_level"]` overrides); the video is PUT in chunks of 5-64 MB (smaller
files in one) to the upload_url TikTok returns, and the last chunk is what makes the post;
TikTok then processes it and `status/fetch` reports PUBLISH_COMPLETE with the post id in
`publicaly_available_post_id` (TikTok's spelling). A private post has no public id: its
platform_post_id is then the publish_id ("v_pub_..."). Photo posts can only be pulled
from public URLs (MediaFile.url). The API cannot delete posts nor read or answer comments.
"""

import math
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors._http import (
    CLOCK_SKEW,
    FIND_MAX_PAGES,
    HttpConnector,
    match_post,
    parse_time,
    search_incomplete,
)
from warta.connectors.base import (
    AuthError,
    MediaFile,
    NotSupported,
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
from warta.connectors.ratelimits import ACCOUNT, RateObservation
from warta.lib import clock
from warta.lib.platforms import Platform

MB = 1024 * 1024
_AUTH = {
    "access_token_invalid",
    "scope_not_authorized",
    "scope_permission_missed",
    "invalid_grant",
    "auth_removed",
    "token_expired",
}
_TRANSIENT = {
    "rate_limit_exceeded",
    "spam_risk_too_many_posts",
    "spam_risk_too_many_pending_share",
    "reached_active_user_cap",
    "internal_error",
    "internal",
}
_WAIT = {
    "spam_risk_too_many_posts": 6 * 3600.0,
    "reached_active_user_cap": 3600.0,
    "spam_risk_too_many_pending_share": 3600.0,
    "rate_limit_exceeded": 60.0,
}
_VIDEO_FIELDS = "id,title,video_description,create_time,share_url"
# The requests that start a post: 6 per minute per user access token, in a one-minute
# sliding window (ratelimits.DOCUMENTED["tiktok"]).
_POST_INITS = ("/v2/post/publish/video/init/", "/v2/post/publish/content/init/")


def chunk_plan(size: int, chunk: int = 10 * MB) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) by TikTok's rules: the last chunk takes the rest.

    https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide: the count
    is floor(video_size / chunk_size); chunks are 5-64 MB, the last up to 128 MB; a file
    under 5 MB (or one that fits one chunk, up to 64 MB) goes whole with chunk_size equal
    to its size; a file over 64 MB in two chunks at least; at most 1000 chunks.
    """
    chunk = min(max(chunk, 5 * MB), 64 * MB)
    if size <= chunk:
        return size, 1
    chunk = max(chunk, math.ceil(size / 1000))
    if size // chunk < 2 and size > 64 * MB:
        chunk = size // 2
    return chunk, size // chunk


@register(Platform.TIKTOK)
class TikTokConnector(HttpConnector):
    default_base_url = "https://open.tiktokapis.com"
    label = "TikTok"
    chunk_bytes = 10 * MB

    def _observe_rate(self, method: str, path: str, response: httpx.Response) -> None:
        """A 429 on a post's init spends the account's minute: later posts wait for it.

        TikTok tells no reset (no header, https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit);
        in a sliding minute the whole minute is the longest wait.
        """
        if response.status_code == 429 and path.endswith(_POST_INITS):
            self.rate_observations.add(
                RateObservation(
                    scope=ACCOUNT,
                    name="posts_1m",
                    remaining=0,
                    resets_at=clock.now() + timedelta(seconds=_WAIT["rate_limit_exceeded"]),
                )
            )

    def _raise_for_body(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        if isinstance(body, dict):
            error = body.get("error")
            if (isinstance(error, dict) and error.get("code") not in (None, "", "ok")) or (
                isinstance(error, str) and error
            ):
                self._raise_for_error(response, body, commit=commit)

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        if not isinstance(body, dict):
            return
        error = body.get("error")
        if isinstance(error, dict):
            code, message = str(error.get("code") or ""), str(error.get("message") or "")
        else:
            code, message = str(error or ""), str(body.get("error_description") or "")
        self._raise_code(code, message, response.status_code, commit=commit)

    def _raise_code(
        self, code: str, message: str, status: int = 400, *, commit: bool = False
    ) -> None:
        if code in _AUTH or status == 401:
            raise AuthError(
                m.ACCESS_REVOKED(platform="TikTok", detail=message or code), platform_code=code
            )
        if code in _TRANSIENT or status == 429 or status >= 500:
            raise TransientError(
                m.TIKTOK_WAIT(detail=message or code),
                platform_code=code,
                retry_after=_WAIT.get(code),
                outcome_unknown=commit and status >= 500,
            )
        raise PermanentError(
            m.REJECTED(platform="TikTok", detail=message or code), platform_code=code
        )

    def _api(
        self,
        path: str,
        payload: dict[str, Any],
        *,
        params: dict[str, Any] | None = None,
        commit: bool = False,
    ) -> dict[str, Any]:
        body = self._request(
            "POST",
            path,
            json=payload,
            params=params,
            commit=commit,
            headers={"Content-Type": "application/json; charset=UTF-8"},
        )
        data: dict[str, Any] = body.get("data") or {}
        return data

    # --- publishing ----------------------------------------------------------------------
    def _privacy(self, video: MediaFile | None) -> str:
        info = self._api("/v2/post/publish/creator_info/query/", {})
        options = list(info.get("privacy_level_options") or [])
        wanted = str(self.account.credentials.get("privacy_level") or "PUBLIC_TO_EVERYONE")
        if wanted not in options:
            raise PermanentError(m.TIKTOK_PRIVACY(wanted=wanted, options=", ".join(options)))
        limit = info.get("max_video_post_duration_sec")
        if (
            video is not None
            and video.duration_seconds
            and limit
            and video.duration_seconds > limit
        ):
            raise PermanentError(m.TIKTOK_TOO_LONG(limit=limit))
        return wanted

    def publish(self, request: PublishRequest) -> PublishResult:
        videos = [m for m in request.media if m.kind == "video"]
        images = [m for m in request.media if m.kind == "image"]
        if videos and (len(videos) > 1 or images):
            raise PermanentError(gettext_noop("TikTok: satu video, atau foto saja (maks. 35)."))
        if not videos and not images:
            raise PermanentError(gettext_noop("TikTok butuh video atau foto."))
        privacy = self._privacy(videos[0] if videos else None)
        if videos:
            publish_id = self._post_video(videos[0], request, privacy)
        else:
            publish_id = self._post_photos(images, request, privacy)
        return self._await_publish(publish_id)

    def _post_video(self, video: MediaFile, request: PublishRequest, privacy: str) -> str:
        size = video.path.stat().st_size
        chunk_size, count = chunk_plan(size, self.chunk_bytes)
        data = self._api(
            "/v2/post/publish/video/init/",
            {
                "post_info": {
                    "title": request.caption,
                    "privacy_level": privacy,
                    "disable_comment": False,
                    "disable_duet": False,
                    "disable_stitch": False,
                    "video_cover_timestamp_ms": 1000,
                },
                "source_info": {
                    "source": "FILE_UPLOAD",
                    "video_size": size,
                    "chunk_size": chunk_size,
                    "total_chunk_count": count,
                },
            },
        )
        upload_url = str(data["upload_url"])
        with video.path.open("rb") as handle:
            for index in range(count):
                first = index * chunk_size
                length = size - first if index == count - 1 else chunk_size
                chunk = handle.read(length)
                self._request(
                    "PUT",
                    upload_url,
                    auth=False,
                    raw=True,
                    commit=index == count - 1,
                    content=chunk,
                    headers={
                        "Content-Type": video.mime_type,
                        "Content-Range": f"bytes {first}-{first + length - 1}/{size}",
                    },
                )
        return str(data["publish_id"])

    def _post_photos(self, images: list[MediaFile], request: PublishRequest, privacy: str) -> str:
        urls = [m.url for m in images]
        if not all(u.startswith("https://") for u in urls):
            raise PermanentError(
                gettext_noop(
                    "TikTok mengambil foto dari alamat publik (https); unggah sebagai video."
                )
            )
        data = self._api(
            "/v2/post/publish/content/init/",
            {
                "post_info": {
                    "title": (request.title or request.caption)[:90],
                    "description": request.caption,
                    "privacy_level": privacy,
                    "disable_comment": False,
                    "auto_add_music": True,
                },
                "source_info": {
                    "source": "PULL_FROM_URL",
                    "photo_cover_index": 0,
                    "photo_images": urls,
                },
                "post_mode": "DIRECT_POST",
                "media_type": "PHOTO",
            },
            commit=True,
        )
        return str(data["publish_id"])

    def _await_publish(self, publish_id: str) -> PublishResult:
        waited = 0.0
        while True:
            data = self._api("/v2/post/publish/status/fetch/", {"publish_id": publish_id})
            status = data.get("status")
            if status == "PUBLISH_COMPLETE":
                ids = data.get("publicaly_available_post_id") or []
                post_id = str(ids[0]) if ids else publish_id
                url = (
                    f"https://www.tiktok.com/@{self.account.handle}/video/{post_id}" if ids else ""
                )
                return PublishResult(platform_post_id=post_id, url=url, published_at=clock.now())
            if status == "FAILED":
                reason = str(data.get("fail_reason") or "")
                self._raise_code(reason, m.TIKTOK_NOT_PUBLISHED(code=reason))
            if waited > self.poll_timeout:
                # The upload is complete, so TikTok may still publish it: outcome unknown.
                raise TransientError(
                    m.VIDEO_PENDING(platform="TikTok"),
                    outcome_unknown=True,
                    platform_code=f"pending:{publish_id}",
                )
            self._wait()
            waited += self.poll_interval

    # --- reading -------------------------------------------------------------------------
    def _remote(self, video: dict[str, Any]) -> RemotePost:
        return RemotePost(
            platform_post_id=str(video["id"]),
            url=str(video.get("share_url") or ""),
            caption=str(video.get("video_description") or video.get("title") or ""),
            published_at=parse_time(video.get("create_time")),
        )

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        """The post among the account's public videos since `since`.

        video/list lists public videos only (https://developers.tiktok.com/doc/
        display-api-overview/), and unaudited apps may post only privately: for such an
        account nothing could ever be found, so say so instead of answering "not there".
        """
        if request is None:
            return None
        privacy = str(self.account.credentials.get("privacy_level") or "PUBLIC_TO_EVERYONE")
        if privacy != "PUBLIC_TO_EVERYONE":
            raise NotSupported(
                gettext_noop(
                    "TikTok tidak menampilkan video privat lewat API; periksa di aplikasi TikTok."
                )
            )
        earliest = since - CLOCK_SKEW
        videos: list[dict[str, Any]] = []
        payload: dict[str, Any] = {"max_count": 20}
        for _ in range(FIND_MAX_PAGES):
            data = self._api("/v2/video/list/", payload, params={"fields": _VIDEO_FIELDS})
            page = data.get("videos") or []
            videos += page
            oldest = parse_time(page[-1].get("create_time")) if page else None
            if not data.get("has_more") or (oldest is not None and oldest < earliest):
                return match_post([self._remote(v) for v in videos], request=request, since=since)
            payload = {**payload, "cursor": data.get("cursor")}
        raise search_incomplete(self.label)

    def _query(self, ids: list[str], fields: str) -> list[dict[str, Any]]:
        videos: list[dict[str, Any]] = []
        for start in range(0, len(ids), 20):
            data = self._api(
                "/v2/video/query/",
                {"filters": {"video_ids": ids[start : start + 20]}},
                params={"fields": fields},
            )
            videos += data.get("videos") or []
        return videos

    def fetch_post(self, platform_post_id: str) -> RemotePost:
        videos = self._query([platform_post_id], _VIDEO_FIELDS)
        if not videos:
            return RemotePost(platform_post_id=platform_post_id, deleted=True)
        return self._remote(videos[0])

    def delete(self, platform_post_id: str) -> None:
        raise NotSupported(
            gettext_noop("API TikTok tidak bisa menghapus video; hapus dari aplikasinya.")
        )

    def refresh_token(self) -> TokenSet:
        client_key, client_secret = client_credentials(self.account, "tiktok")
        refresh = str(self.account.credentials.get("refresh_token") or "")
        if not refresh:
            raise AuthError(m.NO_REFRESH_TOKEN(platform="TikTok"))
        body = self._request(
            "POST",
            "/v2/oauth/token/",
            auth=False,
            data={
                "client_key": client_key,
                "client_secret": client_secret,
                "grant_type": "refresh_token",
                "refresh_token": refresh,
            },
        )
        return token_set(body, previous_refresh=refresh)

    def fetch_metrics(self, platform_post_ids: list[str]) -> list[PostMetrics]:
        now = clock.now()
        ids = [i for i in platform_post_ids if not i.startswith("v_pub")]
        fields = "id,like_count,comment_count,share_count,view_count"
        return [
            PostMetrics(
                platform_post_id=str(v["id"]),
                captured_at=now,
                views=int(v.get("view_count") or 0),
                likes=int(v.get("like_count") or 0),
                comments=int(v.get("comment_count") or 0),
                shares=int(v.get("share_count") or 0),
            )
            for v in self._query(ids, fields)
        ]

    def fetch_followers(self) -> int:
        body = self._request("GET", "/v2/user/info/", params={"fields": "follower_count"})
        return int(((body.get("data") or {}).get("user") or {}).get("follower_count") or 0)

    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        raise NotSupported(
            gettext_noop("API TikTok tidak memberi komentar; pakai impor berkas ekspor.")
        )

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        raise NotSupported(gettext_noop("API TikTok tidak bisa membalas komentar."))
