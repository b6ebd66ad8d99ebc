"""Mastodon (any instance): statuses with Idempotency-Key, media through /api/v2/media.

Quirks: the account's instance URL is `Account.base_url` (there is no default); the
server keeps an Idempotency-Key for about an hour, so publishing again with the same key
returns the first status instead of a second one (`publish_idempotent`); media uploads
may answer 202 and finish processing later (polled on /api/v1/media/:id); status text
comes back as HTML and is turned into plain text here; tokens do not expire, so there is
nothing to refresh; there is no "hide reply" in the API.
"""

import html
import re
from datetime import datetime
from typing import Any

import httpx
from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors._http import (
    CLOCK_SKEW,
    FIND_MAX_PAGES,
    HttpConnector,
    match_post,
    normalize_text,
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
    TransientError,
    register,
)
from warta.connectors.ratelimits import ACCOUNT, RateObservation
from warta.lib import clock
from warta.lib.platforms import Platform

_TAG = re.compile(r"<[^>]+>")
_NEXT_MAX_ID = re.compile(r"max_id=([^&>]+)[^>]*>;\s*rel=\"next\"")


def html_to_text(content: str) -> str:
    """Mastodon's status HTML as the plain text a person wrote (still untrusted)."""
    content = re.sub(r"<br\s*/?>", "\n", content)
    content = re.sub(r"</p>\s*<p>", "\n\n", content)
    return html.unescape(_TAG.sub("", content)).strip()


@register(Platform.MASTODON)
class MastodonConnector(HttpConnector):
    label = "Mastodon"
    publish_idempotent = True
    find_post_conclusive = True

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        message = str(body.get("error", "")) if isinstance(body, dict) else ""
        if response.status_code == 403:
            # Missing scope or a suspended account: reconnecting is the remedy.
            raise AuthError(
                m.ACCESS_REFUSED(platform="Mastodon", detail=message), platform_code="403"
            )
        if response.status_code == 422:
            raise PermanentError(
                m.CONTENT_REFUSED(platform="Mastodon", detail=message), platform_code="422"
            )

    def _observe_rate(self, method: str, path: str, response: httpx.Response) -> None:
        """Every answer carries X-RateLimit-Limit/-Remaining/-Reset (ISO 8601) of the
        account's 300 calls per 5 minutes. https://docs.joinmastodon.org/api/rate-limits/"""
        remaining = response.headers.get("x-ratelimit-remaining", "").strip()
        if not remaining.isdigit():
            return
        limit = response.headers.get("x-ratelimit-limit", "").strip()
        self.rate_observations.add(
            RateObservation(
                scope=ACCOUNT,
                name="calls_5m",
                remaining=int(remaining),
                limit=int(limit) if limit.isdigit() else None,
                resets_at=parse_time(response.headers.get("x-ratelimit-reset", "").strip()),
            )
        )

    # --- publishing ----------------------------------------------------------------------
    def _upload(self, media: MediaFile) -> str:
        with media.path.open("rb") as handle:
            response = self._request(
                "POST",
                "/api/v2/media",
                raw=True,
                ok_statuses=(202,),
                files={"file": (media.path.name, handle, media.mime_type)},
                data={"description": media.alt_text} if media.alt_text else {},
            )
        body = response.json()
        media_id = str(body["id"])
        if response.status_code == 202 or body.get("url") is None:
            self._wait_processed(media_id)
        return media_id

    def _wait_processed(self, media_id: str) -> None:
        waited = 0.0
        while waited <= self.poll_timeout:
            response = self._request(
                "GET", f"/api/v1/media/{media_id}", raw=True, ok_statuses=(206,)
            )
            if response.status_code == 200 and response.json().get("url"):
                return
            self._wait()
            waited += self.poll_interval
        raise TransientError(m.MEDIA_PENDING(platform="Mastodon"))

    def publish(self, request: PublishRequest) -> PublishResult:
        media_ids = [self._upload(media) for media in request.media]
        payload: dict[str, Any] = {
            "status": request.caption,
            "visibility": "public",
            "language": "id",
        }
        if media_ids:
            payload["media_ids"] = media_ids
        if request.title:
            payload["spoiler_text"] = ""  # a title is not a content warning; left out
        status = self._request(
            "POST",
            "/api/v1/statuses",
            commit=True,
            json=payload,
            headers={"Idempotency-Key": request.idempotency_key},
        )
        if request.first_comment:
            # Safe to raise from here: publishing again returns the same status.
            self._request(
                "POST",
                "/api/v1/statuses",
                json={
                    "status": request.first_comment,
                    "in_reply_to_id": status["id"],
                    "visibility": "public",
                    "language": "id",
                },
                headers={"Idempotency-Key": f"{request.idempotency_key}:first-comment"},
            )
        return PublishResult(
            platform_post_id=str(status["id"]),
            url=str(status.get("url") or ""),
            published_at=parse_time(status.get("created_at")),
        )

    def _remote(self, status: dict[str, Any]) -> RemotePost:
        return RemotePost(
            platform_post_id=str(status["id"]),
            url=str(status.get("url") or ""),
            caption=html_to_text(str(status.get("content") or "")),
            published_at=parse_time(status.get("created_at")),
            edited_at=parse_time(status.get("edited_at")),
        )

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        if request is None:
            return None
        candidates: list[RemotePost] = []
        params: dict[str, Any] = {"limit": 40, "exclude_reblogs": "true"}
        for _ in range(FIND_MAX_PAGES):
            statuses = self._request(
                "GET", f"/api/v1/accounts/{self.account.external_id}/statuses", params=params
            )
            candidates += [self._remote(s) for s in statuses if not s.get("in_reply_to_id")]
            oldest = parse_time(statuses[-1].get("created_at")) if statuses else None
            if not statuses or (oldest and oldest < since - CLOCK_SKEW):
                break
            params["max_id"] = statuses[-1]["id"]
        else:
            raise search_incomplete(self.label)
        return match_post(candidates, request=request, since=since)

    def fetch_post(self, platform_post_id: str) -> RemotePost:
        try:
            return self._remote(self._request("GET", f"/api/v1/statuses/{platform_post_id}"))
        except PermanentError as exc:
            if exc.platform_code == "404":
                return RemotePost(platform_post_id=platform_post_id, deleted=True)
            raise

    def delete(self, platform_post_id: str) -> None:
        try:
            self._request("DELETE", f"/api/v1/statuses/{platform_post_id}")
        except PermanentError as exc:
            if exc.platform_code != "404":  # already gone is what we wanted
                raise

    def fetch_metrics(self, platform_post_ids: list[str]) -> list[PostMetrics]:
        now = clock.now()
        metrics = []
        for post_id in platform_post_ids:
            try:
                status = self._request("GET", f"/api/v1/statuses/{post_id}")
            except PermanentError as exc:
                if exc.platform_code == "404":
                    continue  # deleted: no metrics any more
                raise
            metrics.append(
                PostMetrics(
                    platform_post_id=post_id,
                    captured_at=now,
                    likes=int(status.get("favourites_count") or 0),
                    comments=int(status.get("replies_count") or 0),
                    shares=int(status.get("reblogs_count") or 0),
                )
            )
        return metrics

    def fetch_followers(self) -> int:
        return int(self.validate().get("followers_count") or 0)

    def validate(self) -> dict[str, Any]:
        """verify_credentials: the token works; returns the account (id, acct, ...)."""
        account: dict[str, Any] = self._request("GET", "/api/v1/accounts/verify_credentials")
        return account

    # --- conversation --------------------------------------------------------------------
    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        params: dict[str, Any] = {"types[]": "mention", "limit": 40}
        if cursor:
            params["max_id"] = cursor
        response = self._request("GET", "/api/v1/notifications", params=params, raw=True)
        notes = response.json()
        items, done = [], False
        for note in notes:
            status = note.get("status") or {}
            created = parse_time(status.get("created_at") or note.get("created_at")) or clock.now()
            if since and created < since:
                done = True  # newest first: everything after this is older still
                break
            items.append(self._comment(status, created))
        next_cursor = ""
        if not done and notes:
            found = _NEXT_MAX_ID.search(response.headers.get("link", ""))
            next_cursor = found.group(1) if found else ""
        return Page(items=items, cursor=next_cursor)

    def _comment(self, status: dict[str, Any], created: datetime) -> RemoteComment:
        author = status.get("account") or {}
        parent = str(status.get("in_reply_to_id") or "")
        return RemoteComment(
            platform_item_id=str(status["id"]),
            text=html_to_text(str(status.get("content") or "")),
            author_name=str(author.get("display_name") or author.get("username") or ""),
            author_handle=str(author.get("acct") or ""),
            created_at=created,
            platform_post_id=parent,
            kind="comment" if parent else "mention",
            deleted=False,
        )

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        parent = self._request("GET", f"/api/v1/statuses/{platform_item_id}")
        acct = str((parent.get("account") or {}).get("acct") or "")
        # Mastodon only notifies people who are mentioned: address the author.
        body = text if not acct or f"@{acct}" in text else f"@{acct} {text}"
        status = self._request(
            "POST",
            "/api/v1/statuses",
            commit=True,
            json={
                "status": body,
                "in_reply_to_id": platform_item_id,
                "visibility": parent.get("visibility") or "public",
            },
            headers={"Idempotency-Key": idempotency_key},
        )
        return RemoteComment(
            platform_item_id=str(status["id"]),
            text=body,
            author_name=self.account.handle,
            author_handle=self.account.handle,
            created_at=parse_time(status.get("created_at")) or clock.now(),
            platform_post_id=str(parent.get("in_reply_to_id") or platform_item_id),
            parent_id=platform_item_id,
            kind="reply",
        )

    def hide_comment(self, platform_item_id: str, *, hidden: bool = True) -> None:
        raise NotSupported(gettext_noop("Mastodon tidak bisa menyembunyikan balasan orang lain."))


__all__ = ["MastodonConnector", "html_to_text", "normalize_text"]
