"""X (Twitter) through API v2 with an OAuth 2.0 user token.

Quirks: media go through the v2 chunked upload (initialize, append, finalize, then poll
STATUS while videos process) before the post; X rejects a post whose text repeats a
recent one with 403 "duplicate content" (a PermanentError with platform_code
"duplicate"); links come back shortened to t.co, so find_post compares text without
links; refresh tokens rotate: store the new one from `refresh_token()` at once, the old
one is dead; the weighted 280-character count is content's check, not this module's.
"""

import base64
import logging
import math
from datetime import UTC, datetime
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
    ConnectorError,
    MediaFile,
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
from warta.connectors.ratelimits import ACCOUNT, APP, RateObservation
from warta.lib import clock
from warta.lib.platforms import Platform

logger = logging.getLogger(__name__)

CHUNK_BYTES = 4 * 1024 * 1024
_TWEET_FIELDS = "created_at,text,conversation_id,author_id,in_reply_to_user_id,referenced_tweets"


def media_category(media: MediaFile) -> str:
    if media.mime_type == "image/gif":
        return "tweet_gif"
    return "tweet_video" if media.kind == "video" else "tweet_image"


@register(Platform.X)
class XConnector(HttpConnector):
    default_base_url = "https://api.x.com"
    label = "X"
    find_post_conclusive = True

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        if response.status_code == 429:
            self._raise_for_daily_cap(response)
        detail = ""
        if isinstance(body, dict):
            detail = str(
                body.get("detail") or body.get("error_description") or body.get("title") or ""
            )
            errors = body.get("errors") or []
            if not detail and errors:
                detail = str(errors[0].get("message") or errors[0].get("detail") or "")
        status = response.status_code
        if isinstance(body, dict) and body.get("errors"):
            detail = "; ".join(
                [detail, *(str(e.get("message") or "") for e in body["errors"])]
            ).strip("; ")
        if status == 403 and "duplicate" in detail.lower():
            raise PermanentError(
                gettext_noop("X menolak postingan: isinya sama dengan postingan sebelumnya."),
                platform_code="duplicate",
            )
        if status == 403 and ("suspended" in detail.lower() or "locked" in detail.lower()):
            raise AuthError(m.X_ACCOUNT_UNUSABLE(detail=detail), platform_code="403")
        if status == 400 and isinstance(body, dict) and body.get("error") == "invalid_grant":
            raise AuthError(
                gettext_noop("Izin X dicabut atau kedaluwarsa; sambungkan ulang."),
                platform_code="invalid_grant",
            )
        if status == 400 and "token" in detail.lower() and "invalid" in detail.lower():
            raise AuthError(m.X_TOKEN_INVALID(detail=detail), platform_code="invalid_token")
        if 400 <= status < 500 and status not in (401, 429):
            raise PermanentError(
                m.REQUEST_REFUSED(platform="X", status=status, detail=detail),
                platform_code=str(status),
            )

    def _observe_rate(self, method: str, path: str, response: httpx.Response) -> None:
        """POST /2/tweets answers tell the 15-minute window (x-rate-limit-*) and the 24-hour
        caps per user and per app (x-user-limit-24hour-*, x-app-limit-24hour-*), as client
        libraries recorded them (node-twitter-api-v2 `rateLimit.day` / `userDay`).
        https://docs.x.com/x-api/fundamentals/rate-limits
        """
        if method != "POST" or not path.endswith("/2/tweets"):
            return
        for prefix, scope, name in (
            ("x-rate-limit", ACCOUNT, "posts_15m"),
            ("x-user-limit-24hour", ACCOUNT, "posts_24h"),
            ("x-app-limit-24hour", APP, "posts_24h"),
        ):
            remaining = response.headers.get(f"{prefix}-remaining", "").strip()
            reset = response.headers.get(f"{prefix}-reset", "").strip()
            limit = response.headers.get(f"{prefix}-limit", "").strip()
            if not remaining.isdigit():
                continue
            self.rate_observations.add(
                RateObservation(
                    scope=scope,
                    name=name,
                    remaining=int(remaining),
                    limit=int(limit) if limit.isdigit() else None,
                    resets_at=datetime.fromtimestamp(int(reset), tz=UTC)
                    if reset.isdigit()
                    else None,
                )
            )

    def _raise_for_daily_cap(self, response: httpx.Response) -> None:
        """A 429 from the 24-hour cap on posts (per user, or per app) holds until it resets.

        The message names no time: the publisher adds when it tries again, in the
        agency's own zone (the connector knows only UTC).

        X announces it in x-user-limit-24hour-remaining / -reset (x-app-limit-24hour-*
        for the app); x-rate-limit-reset is then only the 15-minute window's, and
        retrying by it would knock every ~10 minutes for a day.
        https://docs.x.com/x-api/fundamentals/rate-limits
        """
        for who, reason in (("user", m.X_DAILY_CAP), ("app", m.X_APP_DAILY_CAP)):
            remaining = response.headers.get(f"x-{who}-limit-24hour-remaining", "").strip()
            reset = response.headers.get(f"x-{who}-limit-24hour-reset", "").strip()
            if remaining != "0" or not reset.isdigit():
                continue
            when = datetime.fromtimestamp(int(reset), tz=UTC)
            raise TransientError(
                reason(),
                retry_after=max(0.0, (when - clock.now()).total_seconds()),
                platform_code="daily_limit",
            )

    # --- media ---------------------------------------------------------------------------
    def _upload(self, media: MediaFile) -> str:
        size = media.path.stat().st_size
        init = self._request(
            "POST",
            "/2/media/upload/initialize",
            json={
                "media_type": media.mime_type,
                "total_bytes": size,
                "media_category": media_category(media),
            },
        )
        media_id = str(init["data"]["id"])
        with media.path.open("rb") as handle:
            for index in range(max(1, math.ceil(size / CHUNK_BYTES))):
                chunk = handle.read(CHUNK_BYTES)
                self._request(
                    "POST",
                    f"/2/media/upload/{media_id}/append",
                    data={"segment_index": str(index)},
                    files={"media": (media.path.name, chunk, "application/octet-stream")},
                )
        final = self._request("POST", f"/2/media/upload/{media_id}/finalize")
        info = (final.get("data") or {}).get("processing_info")
        waited = 0.0
        while info and info.get("state") in ("pending", "in_progress"):
            if waited > self.poll_timeout:
                raise TransientError(m.VIDEO_PENDING(platform="X"))
            self._wait()
            waited += self.poll_interval
            status = self._request(
                "GET", "/2/media/upload", params={"media_id": media_id, "command": "STATUS"}
            )
            info = (status.get("data") or {}).get("processing_info")
        if info and info.get("state") == "failed":
            error = info.get("error") or {}
            raise PermanentError(
                m.X_MEDIA_REJECTED(
                    detail=error.get("message")
                    or error.get("name")
                    or gettext_noop("gagal diproses")
                ),
                platform_code="media_failed",
            )
        if media.alt_text and media.kind == "image":
            self._request(
                "POST",
                "/2/media/metadata",
                json={
                    "id": media_id,
                    "metadata": {"alt_text": {"text": media.alt_text[:1000]}},
                },
            )
        return media_id

    # --- publishing ----------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> PublishResult:
        payload: dict[str, Any] = {"text": request.caption}
        if request.media:
            payload["media"] = {"media_ids": [self._upload(m) for m in request.media]}
        body = self._request("POST", "/2/tweets", commit=True, json=payload)
        post_id = str(body["data"]["id"])
        if request.first_comment:
            self._first_reply(post_id, request.first_comment)
        return PublishResult(
            platform_post_id=post_id, url=self._post_url(post_id), published_at=clock.now()
        )

    def _first_reply(self, post_id: str, text: str) -> None:
        try:
            self._request(
                "POST", "/2/tweets", json={"text": text, "reply": {"in_reply_to_tweet_id": post_id}}
            )
        except ConnectorError as exc:
            # The post itself is out: failing now would make publishing try it again.
            logger.warning("X first reply to %s failed: %s", post_id, exc.message)

    def _post_url(self, post_id: str) -> str:
        return f"https://x.com/{self.account.handle.lstrip('@') or 'i'}/status/{post_id}"

    def _remote(self, tweet: dict[str, Any]) -> RemotePost:
        return RemotePost(
            platform_post_id=str(tweet["id"]),
            url=self._post_url(str(tweet["id"])),
            caption=str(tweet.get("text") or ""),
            published_at=parse_time(tweet.get("created_at")),
        )

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        if request is None:
            return None
        start = since.astimezone(UTC).replace(microsecond=0) - CLOCK_SKEW
        params: dict[str, Any] = {
            "start_time": start.isoformat().replace("+00:00", "Z"),
            "max_results": 100,
            "tweet.fields": _TWEET_FIELDS,
            "exclude": "retweets,replies",
        }
        candidates: list[RemotePost] = []
        for _ in range(FIND_MAX_PAGES):
            body = self._request(
                "GET", f"/2/users/{self.account.external_id}/tweets", params=params
            )
            candidates += [self._remote(t) for t in body.get("data") or []]
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                break
            params["pagination_token"] = token
        else:
            raise search_incomplete(self.label)
        return match_post(candidates, request=request, since=since)

    def fetch_post(self, platform_post_id: str) -> RemotePost:
        body = self._request(
            "GET", f"/2/tweets/{platform_post_id}", params={"tweet.fields": _TWEET_FIELDS}
        )
        if not body.get("data"):
            # v2 answers 200 with only "errors" for a deleted or unknown post.
            return RemotePost(platform_post_id=platform_post_id, deleted=True)
        return self._remote(body["data"])

    def delete(self, platform_post_id: str) -> None:
        self._request("DELETE", f"/2/tweets/{platform_post_id}")

    def refresh_token(self) -> TokenSet:
        client_id, client_secret = client_credentials(self.account, "x")
        refresh = str(self.account.credentials.get("refresh_token") or "")
        if not refresh:
            raise AuthError(m.NO_REFRESH_TOKEN(platform="X"))
        body = self._request(
            "POST",
            "/2/oauth2/token",
            auth=False,
            data={"grant_type": "refresh_token", "refresh_token": refresh, "client_id": client_id},
            headers=_basic(client_id, client_secret),
        )
        return token_set(body, previous_refresh=refresh)

    # --- numbers -------------------------------------------------------------------------
    def fetch_metrics(self, platform_post_ids: list[str]) -> list[PostMetrics]:
        now = clock.now()
        results = []
        for start in range(0, len(platform_post_ids), 100):
            ids = ",".join(platform_post_ids[start : start + 100])
            body = self._request(
                "GET", "/2/tweets", params={"ids": ids, "tweet.fields": "public_metrics"}
            )
            for tweet in body.get("data") or []:
                m = tweet.get("public_metrics") or {}
                results.append(
                    PostMetrics(
                        platform_post_id=str(tweet["id"]),
                        captured_at=now,
                        impressions=m.get("impression_count"),
                        likes=int(m.get("like_count") or 0),
                        comments=int(m.get("reply_count") or 0),
                        shares=int(m.get("retweet_count") or 0) + int(m.get("quote_count") or 0),
                        saves=int(m.get("bookmark_count") or 0),
                    )
                )
        return results

    def fetch_followers(self) -> int:
        body = self._request(
            "GET", f"/2/users/{self.account.external_id}", params={"user.fields": "public_metrics"}
        )
        return int(
            ((body.get("data") or {}).get("public_metrics") or {}).get("followers_count") or 0
        )

    # --- conversation --------------------------------------------------------------------
    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        params: dict[str, Any] = {
            "max_results": 100,
            "tweet.fields": _TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if since:
            params["start_time"] = (
                since.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            )
        if cursor:
            params["pagination_token"] = cursor
        body = self._request("GET", f"/2/users/{self.account.external_id}/mentions", params=params)
        users = {u["id"]: u for u in (body.get("includes") or {}).get("users") or []}
        items = []
        for tweet in body.get("data") or []:
            author = users.get(tweet.get("author_id"), {})
            replied = [
                r["id"]
                for r in tweet.get("referenced_tweets") or []
                if r.get("type") == "replied_to"
            ]
            conversation = str(tweet.get("conversation_id") or "")
            items.append(
                RemoteComment(
                    platform_item_id=str(tweet["id"]),
                    text=str(tweet.get("text") or ""),
                    author_name=str(author.get("name") or ""),
                    author_handle=str(author.get("username") or ""),
                    created_at=parse_time(tweet.get("created_at")) or clock.now(),
                    platform_post_id=conversation if replied else "",
                    parent_id=replied[0] if replied and replied[0] != conversation else "",
                    kind="comment" if replied else "mention",
                )
            )
        return Page(items=items, cursor=str((body.get("meta") or {}).get("next_token") or ""))

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        body = self._request(
            "POST",
            "/2/tweets",
            commit=True,
            json={"text": text, "reply": {"in_reply_to_tweet_id": platform_item_id}},
        )
        return RemoteComment(
            platform_item_id=str(body["data"]["id"]),
            text=text,
            author_name=self.account.handle,
            author_handle=self.account.handle,
            created_at=clock.now(),
            parent_id=platform_item_id,
            kind="reply",
        )

    def hide_comment(self, platform_item_id: str, *, hidden: bool = True) -> None:
        self._request("PUT", f"/2/tweets/{platform_item_id}/hidden", json={"hidden": hidden})


def _basic(client_id: str, client_secret: str) -> dict[str, str]:
    """Confidential clients authenticate with HTTP Basic; public clients send only client_id."""
    if not client_secret:
        return {}
    raw = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}
