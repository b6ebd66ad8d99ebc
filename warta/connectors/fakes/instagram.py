"""Fake Graph API endpoints of Instagram professional accounts: containers, publishing.

`container_polls`: IN_PROGRESS answers before a video container is FINISHED;
`fail_container = True` makes the next container end in ERROR; `publish_limit_24h`.
Mixed into the fakes in meta.py.
"""

from typing import Any

from warta.connectors.fakes.graph import (
    IG_MEDIA_METRICS,
    POST_METRICS,
    _graph_error,
    _invalid_metric,
    _public,
)
from warta.connectors.fakes.graph_base import FakeGraphBase
from warta.connectors.fakes.server import FakeRequest, FakeResponse, route


class InstagramRoutes(FakeGraphBase):
    @route("POST", r"/(?P<ig>\d+)/media_publish")
    def media_publish(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-user/media_publish
        container = self.objects.get(request.form.get("creation_id", ""))
        now = self.now().timestamp()
        with self.lock:
            self._published_at = [t for t in self._published_at if t > now - 24 * 3600]
            if len(self._published_at) >= self.publish_limit_24h:
                self.throttled += 1
                return _graph_error(400, 9, "Application request limit reached", 2207042)
        if container is None or container.get("status_code") != "FINISHED":
            return _graph_error(
                400,
                9007,
                "The media is not ready for publishing, please wait for a moment",
                2207027,
            )
        media_id = self.new_id()
        container["status_code"] = "PUBLISHED"
        with self.lock:
            self._published_at.append(now)
        caption = container.get("caption", "")
        self.record_publish(caption=caption)
        media = self._add(
            {
                "id": media_id,
                "type": "media",
                "caption": caption,
                "timestamp": self._time(),
                "permalink": f"https://www.instagram.com/p/C{media_id}/",
                "comments": [],
                "media_type": container.get("media_type", "IMAGE"),
                "stats": {},
            }
        )
        self.posts[media_id] = media
        return FakeResponse(200, {"id": media_id})

    @route("POST", r"/(?P<ig>\d+)/media")
    def container_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-user/media
        form = request.form
        kind = form.get("media_type", "IMAGE")
        if kind == "IMAGE" and not form.get("image_url", "").startswith("https://"):
            return _graph_error(
                400, 9004, "Only photo or video can be accepted as media type.", 2207052
            )
        if kind == "CAROUSEL":
            children = form.get("children", "").split(",")
            if not 2 <= len(children) <= 10 or any(c not in self.objects for c in children):
                return _graph_error(400, 100, "Invalid children", 2207028)
        container_id = self.new_id()
        status = "IN_PROGRESS" if kind in ("REELS", "VIDEO") else "FINISHED"
        if self.fail_container:
            self.fail_container, status = False, "ERROR"
        self._add(
            {
                "id": container_id,
                "type": "container",
                "media_type": kind,
                "status_code": status,
                "caption": form.get("caption", ""),
                "uploaded": kind not in ("REELS", "VIDEO"),
                "polls": self.container_polls,
            }
        )
        # https://developers.facebook.com/documentation/instagram-platform/content-publishing/resumable-uploads
        # A resumable container answers with the `uri` to send the video to (rupload host).
        body: dict[str, Any] = {"id": container_id}
        if form.get("upload_type") == "resumable":
            body["uri"] = f"{self.base_url}/ig-api-upload/{container_id}"
            self.objects[container_id]["uri_path"] = f"/ig-api-upload/{container_id}"
        return FakeResponse(200, body)

    @route("POST", r"/ig-api-upload/(?P<rest>.+)")
    def rupload(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        container = next(
            (o for o in self.objects.values() if o.get("uri_path") == request.path), None
        )
        if container is None or int(request.headers.get("file_size", -1)) != len(request.body):
            return FakeResponse(
                400, {"debug_info": {"type": "ProcessingFailedError", "message": "bad upload"}}
            )
        container["uploaded"] = True
        return FakeResponse(200, {"success": True, "message": "Upload successful."})

    @route("GET", r"/(?P<ig>\d+)/media")
    def media_list(self, request: FakeRequest) -> FakeResponse:
        def render(media: dict[str, Any]) -> dict[str, Any]:
            out = _public(media)
            out["comments"] = {
                "data": [
                    {**_public(c), "replies": {"data": [_public(r) for r in c["replies"]]}}
                    for c in media["comments"]
                ]
            }
            return out

        with self.lock:
            items = list(reversed(self.posts.values()))
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-user/media
        return self._paged(request, items, render, "media")

    @route("GET", r"/(?P<id>\d+)/insights")
    def insights(self, request: FakeRequest) -> FakeResponse:
        assert request.match is not None
        media = self.objects.get(request.match["id"])
        if media is None:
            return self.not_found()
        names = [n for n in request.query.get("metric", "").split(",") if n]
        known = IG_MEDIA_METRICS if self.platform == "instagram" else set(POST_METRICS)
        if not names or any(n not in known for n in names):
            return _invalid_metric()
        # https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
        return FakeResponse(
            200,
            {
                "data": [
                    {
                        "name": n,
                        "period": "lifetime",
                        "total_value": {"value": media["stats"].get(n, 0)},
                    }
                    for n in names
                ]
            },
        )

    @route("POST", r"/(?P<id>[\w]+)/replies")
    def reply_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/instagram-platform/reference/ig-comment/replies
        assert request.match is not None
        parent = self.objects.get(request.match["id"])
        if parent is None or parent["type"] != "comment":
            return self.not_found()
        comment = self.add_comment(
            parent["post"],
            request.form.get("message", ""),
            author=self.handle,
            reply_to=parent["id"],
        )
        return FakeResponse(200, {"id": comment["id"]})
