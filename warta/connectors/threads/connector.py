"""Threads (Meta's Threads API): containers, then threads_publish; replies, hide, insights.

https://developers.facebook.com/docs/threads/posts/: a post is a media container (TEXT,
IMAGE or VIDEO; a CAROUSEL of 2-20 items) made with POST /{user}/threads, then published
with POST /{user}/threads_publish (only that call creates the post). Threads fetches
media itself, so images and videos need `MediaFile.url` (public https). Text is at most
500 characters. https://developers.facebook.com/docs/threads/overview/: a profile may
publish 250 posts and 1,000 replies per moving 24 hours, read from
/{user}/threads_publishing_limit before each post or reply; a spent quota holds the post
(TransientError, platform_code "daily_limit") instead of failing it. Errors are Graph's
(`GraphConnector`). Replies: /{post}/conversation; hide: /{reply}/manage_reply.

A channel platform (`Platform.THREADS`); the OAuth exchange is
`oauth.exchange_code("threads", ...)` with the app in WARTA_THREADS_CLIENT_ID / _SECRET.
"""

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors._http import match_post, parse_time
from warta.connectors.base import (
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
from warta.connectors.meta.graph import GraphConnector, cursor_params, page_cursor, unix
from warta.connectors.oauth import token_set
from warta.lib import clock

PLATFORM = "threads"
TEXT_LIMIT = 500
_POST_FIELDS = "id,text,timestamp,permalink"
_REPLY_FIELDS = "id,text,username,timestamp,hide_status,replied_to,root_post"
_INSIGHTS = "views,likes,replies,reposts,quotes,shares"
# Replies may arrive on older posts; look this far back for posts with new replies.
REPLY_LOOKBACK = timedelta(days=30)


@register(PLATFORM)
class ThreadsConnector(GraphConnector):
    default_base_url = "https://graph.threads.net/v1.0"
    label = "Threads"
    find_post_conclusive = True

    @property
    def _user(self) -> str:
        return self.account.external_id

    # --- quota ---------------------------------------------------------------------------
    def _check_quota(self, *, reply: bool) -> None:
        """Hold the post when the profile's 24-hour quota is spent (250 posts, 1,000 replies)."""
        usage_field, config_field = (
            ("reply_quota_usage", "reply_config") if reply else ("quota_usage", "config")
        )
        body = self._request(
            "GET",
            f"/{self._user}/threads_publishing_limit",
            params={"fields": f"{usage_field},{config_field}"},
        )
        data = (body.get("data") or [{}])[0]
        config = data.get(config_field) or {}
        total = int(config.get("quota_total") or 0)
        if total and int(data.get(usage_field) or 0) >= total:
            # A moving window: the oldest post of the last 24 hours leaves it some time
            # within the next day; an hour between checks is a fair guess.
            reason = m.THREADS_REPLY_QUOTA if reply else m.THREADS_POST_QUOTA
            raise TransientError(
                reason(limit=total), retry_after=3600.0, platform_code="daily_limit"
            )

    # --- publishing ----------------------------------------------------------------------
    def _container(self, media: MediaFile | None, **fields: Any) -> str:
        if media is not None:
            if not media.url.startswith("https://"):
                raise PermanentError(
                    gettext_noop("Threads butuh alamat publik (https) untuk setiap media.")
                )
            if media.kind == "video":
                fields.update(media_type="VIDEO", video_url=media.url)
            elif media.kind == "image":
                fields.update(media_type="IMAGE", image_url=media.url)
                if media.alt_text:
                    fields["alt_text"] = media.alt_text
            else:
                raise PermanentError(gettext_noop("Threads hanya menerima foto dan video."))
        body = self._request(
            "POST", f"/{self._user}/threads", data={k: str(v) for k, v in fields.items()}
        )
        return str(body["id"])

    def _wait_finished(self, container: str) -> None:
        # https://developers.facebook.com/docs/threads/troubleshooting#publishing-does-not-return-a-media-id
        waited = 0.0
        while True:
            body = self._request(
                "GET", f"/{container}", params={"fields": "id,status,error_message"}
            )
            state = body.get("status")
            if state in ("FINISHED", "PUBLISHED"):
                return
            if state in ("ERROR", "EXPIRED"):
                raise PermanentError(
                    m.REJECTED(platform="Threads", detail=body.get("error_message") or state),
                    platform_code=str(state),
                )
            if waited > self.poll_timeout:
                raise TransientError(m.MEDIA_PENDING(platform="Threads"))
            self._wait()
            waited += self.poll_interval

    def _publish_container(self, container: str) -> str:
        self._wait_finished(container)
        body = self._request(
            "POST",
            f"/{self._user}/threads_publish",
            commit=True,
            data={"creation_id": container},
        )
        return str(body["id"])

    def publish(self, request: PublishRequest) -> PublishResult:
        text = request.caption or request.title
        if len(text) > TEXT_LIMIT:
            raise PermanentError(gettext_noop("Teks Threads paling banyak 500 karakter."))
        media = request.media
        if len(media) > 20:
            raise PermanentError(gettext_noop("Carousel Threads paling banyak 20 media."))
        if not media and not text:
            raise PermanentError(gettext_noop("Threads butuh teks atau media."))
        self._check_quota(reply=False)
        if not media:
            container = self._container(None, media_type="TEXT", text=text)
        elif len(media) == 1:
            container = self._container(media[0], text=text)
        else:
            children = [self._container(item, is_carousel_item="true") for item in media]
            for child in children:
                self._wait_finished(child)
            container = self._container(
                None, media_type="CAROUSEL", children=",".join(children), text=text
            )
        post_id = self._publish_container(container)
        try:
            post = self.fetch_post(post_id)
        except (PermanentError, TransientError):
            post = RemotePost(platform_post_id=post_id)  # published; the link can come later
        return PublishResult(
            platform_post_id=post_id,
            url=post.url,
            published_at=post.published_at or clock.now(),
        )

    # --- reading -------------------------------------------------------------------------
    def _remote(self, item: dict[str, Any]) -> RemotePost:
        return RemotePost(
            platform_post_id=str(item["id"]),
            url=str(item.get("permalink") or ""),
            caption=str(item.get("text") or ""),
            published_at=parse_time(item.get("timestamp")),
        )

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        if request is None:
            return None
        items = self._all_since(
            f"/{self._user}/threads",
            {"fields": _POST_FIELDS, "since": unix(since) - 120, "limit": 100},
            since=since,
            time_field="timestamp",
        )
        return match_post([self._remote(i) for i in items], request=request, since=since)

    def fetch_post(self, platform_post_id: str) -> RemotePost:
        try:
            body = self._request("GET", f"/{platform_post_id}", params={"fields": _POST_FIELDS})
        except PermanentError as exc:
            if self._gone(exc):
                return RemotePost(platform_post_id=platform_post_id, deleted=True)
            raise
        return self._remote(body)

    def delete(self, platform_post_id: str) -> None:
        # https://developers.facebook.com/docs/threads/posts/delete-posts
        try:
            self._request("DELETE", f"/{platform_post_id}")
        except PermanentError as exc:
            if not self._gone(exc):
                raise

    def refresh_token(self) -> TokenSet:
        # https://developers.facebook.com/docs/threads/get-started/long-lived-tokens
        body = self._request(
            "GET",
            "/refresh_access_token",
            auth=False,
            params={
                "grant_type": "th_refresh_token",
                "access_token": str(self.account.credentials.get("access_token") or ""),
            },
        )
        return token_set(body)

    def fetch_metrics(self, platform_post_ids: list[str]) -> list[PostMetrics]:
        # https://developers.facebook.com/docs/threads/insights
        now = clock.now()
        results = []
        for post_id in platform_post_ids:
            try:
                body = self._request("GET", f"/{post_id}/insights", params={"metric": _INSIGHTS})
            except PermanentError as exc:
                if self._gone(exc):
                    continue
                raise
            values: dict[str, int] = {}
            for metric in body.get("data") or []:
                total = (metric.get("total_value") or {}).get("value")
                if total is None:
                    total = (metric.get("values") or [{}])[0].get("value")
                values[str(metric.get("name"))] = int(total or 0)
            results.append(
                PostMetrics(
                    platform_post_id=post_id,
                    captured_at=now,
                    views=values.get("views"),
                    likes=values.get("likes", 0),
                    comments=values.get("replies", 0),
                    shares=values.get("reposts", 0)
                    + values.get("quotes", 0)
                    + values.get("shares", 0),
                )
            )
        return results

    def fetch_followers(self) -> int:
        # https://developers.facebook.com/docs/threads/insights#user-insights
        body = self._request(
            "GET", f"/{self._user}/threads_insights", params={"metric": "followers_count"}
        )
        for metric in body.get("data") or []:
            if metric.get("name") == "followers_count":
                return int((metric.get("total_value") or {}).get("value") or 0)
        return 0

    # --- replies -------------------------------------------------------------------------
    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        """Replies on the profile's recent posts, a page of posts at a time."""
        params: dict[str, Any] = {"fields": "id,timestamp", "limit": 25}
        if since:
            params["since"] = unix(since - REPLY_LOOKBACK)
        params.update(cursor_params(cursor))
        body = self._request("GET", f"/{self._user}/threads", params=params)
        items: list[RemoteComment] = []
        for post in body.get("data") or []:
            post_id = str(post["id"])
            replies = self._request(
                "GET",
                f"/{post_id}/conversation",
                params={"fields": _REPLY_FIELDS, "reverse": "false"},
            )
            for reply in replies.get("data") or []:
                created = parse_time(reply.get("timestamp")) or clock.now()
                if since and created < since:
                    continue
                parent = str((reply.get("replied_to") or {}).get("id") or "")
                username = str(reply.get("username") or "")
                items.append(
                    RemoteComment(
                        platform_item_id=str(reply["id"]),
                        text=str(reply.get("text") or ""),
                        author_name=username,
                        author_handle=username,
                        created_at=created,
                        platform_post_id=post_id,
                        parent_id="" if parent in ("", post_id) else parent,
                        kind="comment" if parent in ("", post_id) else "reply",
                        hidden=str(reply.get("hide_status") or "").upper() == "HIDDEN",
                    )
                )
        return Page(items=items, cursor=page_cursor(body))

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        if len(text) > TEXT_LIMIT:
            raise PermanentError(gettext_noop("Teks Threads paling banyak 500 karakter."))
        self._check_quota(reply=True)
        container = self._container(
            None, media_type="TEXT", text=text, reply_to_id=platform_item_id
        )
        reply_id = self._publish_container(container)
        return RemoteComment(
            platform_item_id=reply_id,
            text=text,
            author_name=self.account.handle,
            author_handle=self.account.handle,
            created_at=clock.now(),
            parent_id=platform_item_id,
            kind="reply",
        )

    def hide_comment(self, platform_item_id: str, *, hidden: bool = True) -> None:
        # https://developers.facebook.com/docs/threads/reply-management
        self._request(
            "POST",
            f"/{platform_item_id}/manage_reply",
            data={"hide": "true" if hidden else "false"},
        )
