"""Instagram professional accounts: containers, then media_publish.

Quirks: Instagram fetches images itself, so every image needs `MediaFile.url` (a public
https URL of the file); videos are sent to rupload.facebook.com ("resumable" upload) and
always become reels; a carousel is 2-10 child containers then a CAROUSEL container;
every container is polled until status_code FINISHED before media_publish (only that
last call creates the post; a crash before it leaves nothing behind); the publishing
limit (error subcode 2207042) is a TransientError with a long retry_after; the API
cannot delete media; a first comment is best effort.
"""

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop

from warta.connectors import messages as m
from warta.connectors._http import match_post
from warta.connectors.base import (
    ConnectorError,
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
from warta.connectors.meta.graph import (
    GraphConnector,
    cursor_params,
    graph_time,
    page_cursor,
)
from warta.lib import clock
from warta.lib.platforms import Platform

logger = logging.getLogger(__name__)

_COMMENT_FIELDS = "id,text,username,timestamp,hidden"
_REPLIES = f"replies{{{_COMMENT_FIELDS}}}"


@register(Platform.INSTAGRAM)
class InstagramConnector(GraphConnector):
    label = "Instagram"

    @property
    def _upload_base(self) -> str:
        if self.account.base_url:
            parts = urlsplit(self.base_url)
            return f"{parts.scheme}://{parts.netloc}"
        return "https://rupload.facebook.com"

    # --- containers ----------------------------------------------------------------------
    def _container(self, media: MediaFile | None, **fields: Any) -> str:
        ig = self.account.external_id
        if media is not None and media.kind == "image":
            if not media.url.startswith("https://"):
                raise PermanentError(
                    gettext_noop("Instagram butuh alamat publik (https) untuk setiap gambar.")
                )
            fields.update(image_url=media.url)
            if media.alt_text:
                fields["alt_text"] = media.alt_text
        elif media is not None:
            fields.update(upload_type="resumable")
            fields.setdefault("media_type", "VIDEO" if fields.get("is_carousel_item") else "REELS")
        body = self._request("POST", f"/{ig}/media", data={k: str(v) for k, v in fields.items()})
        container = str(body["id"])
        if media is not None and media.kind != "image":
            self._rupload(self._upload_uri(container, body.get("uri")), media)
        return container

    def _upload_uri(self, container: str, uri: Any) -> str:
        """Where the video goes: the `uri` the container answer names, on the upload host.

        https://developers.facebook.com/documentation/instagram-platform/content-publishing/resumable-uploads
        A path built by hand breaks when Meta changes it (it once carried the API
        version); an answer naming another host is not followed.
        """
        documented = f"{self._upload_base}/ig-api-upload/{container}"
        if not isinstance(uri, str) or not uri:
            return documented
        parts, base = urlsplit(uri), urlsplit(self._upload_base)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            logger.warning("Instagram named an unexpected upload host %s", parts.netloc)
            return documented
        return uri

    def _rupload(self, uri: str, media: MediaFile) -> None:
        token = str(self.account.credentials.get("access_token") or "")
        size = media.path.stat().st_size
        with media.path.open("rb") as handle:
            self._request(
                "POST",
                uri,
                auth=False,
                content=handle.read(),
                headers={"Authorization": f"OAuth {token}", "offset": "0", "file_size": str(size)},
            )

    def _wait_finished(self, container: str) -> None:
        waited = 0.0
        while True:
            body = self._request("GET", f"/{container}", params={"fields": "status_code,status"})
            state = body.get("status_code")
            if state in ("FINISHED", "PUBLISHED"):
                return
            if state in ("ERROR", "EXPIRED"):
                raise PermanentError(
                    m.INSTAGRAM_MEDIA_FAILED(detail=body.get("status") or state),
                    platform_code=str(state),
                )
            if waited > self.poll_timeout:
                raise TransientError(m.MEDIA_PENDING(platform="Instagram"))
            self._wait()
            waited += self.poll_interval

    def publish(self, request: PublishRequest) -> PublishResult:
        media = request.media
        if not media:
            raise PermanentError(gettext_noop("Instagram butuh minimal satu foto atau video."))
        if len(media) > 10:
            raise PermanentError(gettext_noop("Carousel Instagram paling banyak 10 media."))
        if len(media) == 1:
            extra = {"share_to_feed": "true"} if media[0].kind == "video" else {}
            container = self._container(media[0], caption=request.caption, **extra)
        else:
            children = [self._container(m, is_carousel_item="true") for m in media]
            for child in children:
                self._wait_finished(child)
            container = self._container(
                None, media_type="CAROUSEL", children=",".join(children), caption=request.caption
            )
        self._wait_finished(container)
        body = self._request(
            "POST",
            f"/{self.account.external_id}/media_publish",
            commit=True,
            data={"creation_id": container},
        )
        media_id = str(body["id"])
        if request.first_comment:
            try:
                self._request(
                    "POST", f"/{media_id}/comments", data={"message": request.first_comment}
                )
            except ConnectorError as exc:
                logger.warning("Instagram first comment on %s failed: %s", media_id, exc.message)
        try:
            post = self.fetch_post(media_id)
        except ConnectorError:
            post = RemotePost(platform_post_id=media_id)  # published; the link can come later
        return PublishResult(
            platform_post_id=media_id,
            url=post.url,
            published_at=post.published_at or clock.now(),
        )

    # --- reading -------------------------------------------------------------------------
    def _remote(self, media: dict[str, Any]) -> RemotePost:
        return RemotePost(
            platform_post_id=str(media["id"]),
            url=str(media.get("permalink") or ""),
            caption=str(media.get("caption") or ""),
            published_at=graph_time(media.get("timestamp")),
        )

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        if request is None:
            return None
        items = self._all_since(
            f"/{self.account.external_id}/media",
            {"fields": "id,caption,timestamp,permalink", "limit": 50},
            since=since,
            time_field="timestamp",
        )
        return match_post([self._remote(m) for m in items], request=request, since=since)

    def fetch_post(self, platform_post_id: str) -> RemotePost:
        try:
            body = self._request(
                "GET", f"/{platform_post_id}", params={"fields": "id,caption,timestamp,permalink"}
            )
        except PermanentError as exc:
            if self._gone(exc):
                return RemotePost(platform_post_id=platform_post_id, deleted=True)
            raise
        return self._remote(body)

    def delete(self, platform_post_id: str) -> None:
        raise NotSupported(
            gettext_noop("API Instagram tidak bisa menghapus postingan; hapus dari aplikasinya.")
        )

    def fetch_metrics(self, platform_post_ids: list[str]) -> list[PostMetrics]:
        now = clock.now()
        results = []
        for media_id in platform_post_ids:
            try:
                body = self._request(
                    "GET",
                    f"/{media_id}/insights",
                    params={"metric": "reach,views,likes,comments,shares,saved"},
                )
            except PermanentError as exc:
                if self._gone(exc):
                    continue
                raise
            values: dict[str, int] = {}
            for metric in body.get("data") or []:
                total = (metric.get("total_value") or {}).get("value")
                if total is None:
                    total = (metric.get("values") or [{}])[0].get("value")
                values[metric["name"]] = int(total or 0)
            results.append(
                PostMetrics(
                    platform_post_id=media_id,
                    captured_at=now,
                    reach=values.get("reach"),
                    views=values.get("views"),
                    likes=values.get("likes", 0),
                    comments=values.get("comments", 0),
                    shares=values.get("shares", 0),
                    saves=values.get("saved", 0),
                )
            )
        return results

    def fetch_followers(self) -> int:
        return int(
            self._request(
                "GET", f"/{self.account.external_id}", params={"fields": "followers_count"}
            ).get("followers_count")
            or 0
        )

    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        params: dict[str, Any] = {
            "fields": f"id,timestamp,comments.limit(50){{{_COMMENT_FIELDS},{_REPLIES}}}",
            "limit": 25,
        }
        params.update(cursor_params(cursor))
        body = self._request("GET", f"/{self.account.external_id}/media", params=params)
        items: list[RemoteComment] = []
        for media in body.get("data") or []:
            for comment in (media.get("comments") or {}).get("data") or []:
                items += self._comments(comment, str(media["id"]), "", since)
                for reply in (comment.get("replies") or {}).get("data") or []:
                    items += self._comments(reply, str(media["id"]), str(comment["id"]), since)
        return Page(items=items, cursor=page_cursor(body))

    def _comments(
        self, comment: dict[str, Any], media_id: str, parent: str, since: datetime | None
    ) -> list[RemoteComment]:
        created = graph_time(comment.get("timestamp")) or clock.now()
        if since and created < since:
            return []
        username = str(comment.get("username") or "")
        return [
            RemoteComment(
                platform_item_id=str(comment["id"]),
                text=str(comment.get("text") or ""),
                author_name=username,
                author_handle=username,
                created_at=created,
                platform_post_id=media_id,
                parent_id=parent,
                kind="reply" if parent else "comment",
                hidden=bool(comment.get("hidden")),
            )
        ]

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        body = self._request(
            "POST", f"/{platform_item_id}/replies", commit=True, data={"message": text}
        )
        return RemoteComment(
            platform_item_id=str(body["id"]),
            text=text,
            author_name=self.account.handle,
            author_handle=self.account.handle,
            created_at=clock.now(),
            parent_id=platform_item_id,
            kind="reply",
        )

    def hide_comment(self, platform_item_id: str, *, hidden: bool = True) -> None:
        self._request("POST", f"/{platform_item_id}", data={"hide": "true" if hidden else "false"})
