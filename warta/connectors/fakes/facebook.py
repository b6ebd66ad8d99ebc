"""Fake Graph API endpoints of Facebook Pages: feed posts, photos, videos, comments.

Mixed into the fakes in meta.py (each fake answers every Graph endpoint, as one Graph
host does).
"""

import re
from datetime import datetime
from typing import Any

from warta.connectors.fakes.graph import _graph_error, _public
from warta.connectors.fakes.graph_base import FakeGraphBase
from warta.connectors.fakes.server import FakeRequest, FakeResponse, Fault, route

_SINCE = re.compile(r"\.since\((\d+)\)")


class FacebookRoutes(FakeGraphBase):
    @route("POST", r"/(?P<page>\d+)/feed")
    def feed_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/page/feed/
        form = request.form
        attached = [v for k, v in form.items() if k.startswith("attached_media[")]
        if not form.get("message") and not attached and not form.get("link"):
            return _graph_error(400, 100, "(#100) Missing message or attachment")
        with self.lock:
            message = form.get("message", "")
            if message and not attached:
                if message in self.messages:
                    return self.error(Fault.DUPLICATE)
                self.messages.add(message)
        post = self._post(form.get("message", ""), attached_media=attached)
        return FakeResponse(200, {"id": post["id"]})

    @route("POST", r"/(?P<page>\d+)/photos")
    def photo_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/page/photos/
        if "source" not in request.files and not request.form.get("url"):
            return _graph_error(400, 324, "(#324) Requires upload file")
        photo = self._add({"id": self.new_id(), "type": "photo"})
        if request.form.get("published", "true") == "false":
            return FakeResponse(200, {"id": photo["id"]})
        post = self._post(request.form.get("message", ""), photo=photo["id"])
        return FakeResponse(200, {"id": photo["id"], "post_id": post["id"]})

    @route("POST", r"/(?P<page>\d+)/videos")
    def video_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/video-api/guides/publishing
        if "source" not in request.files:
            return _graph_error(
                400, 6000, "There was a problem uploading your video file.", 1363030
            )
        video_id = self.new_id()
        post = self._post(
            request.form.get("description", ""), video=video_id, title=request.form.get("title")
        )
        with self.lock:
            self.objects[video_id] = post
        return FakeResponse(200, {"id": video_id})

    @route("GET", r"/(?P<page>\d+)/published_posts")
    def published_posts(self, request: FakeRequest) -> FakeResponse:
        since = int(request.query.get("since") or 0)
        with self.lock:
            posts = [
                p
                for p in self.posts.values()
                if datetime.strptime(p["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp() >= since
            ]
        posts.reverse()
        # https://developers.facebook.com/docs/graph-api/reference/page/published_posts/
        return self._paged(request, posts, _public, "post")

    @route("GET", r"/(?P<page>\d+)/feed")
    def feed_list(self, request: FakeRequest) -> FakeResponse:
        found = _SINCE.search(request.query.get("fields", ""))
        since = int(found.group(1)) if found else 0

        def render(post: dict[str, Any]) -> dict[str, Any]:
            comments = [
                _public(c)
                for c in reversed(post["comments"])
                if datetime.strptime(c["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp() >= since
            ]
            return {"id": post["id"], "comments": {"data": comments}}

        with self.lock:
            posts = list(reversed(self.posts.values()))
        # https://developers.facebook.com/docs/graph-api/reference/page/feed/
        return self._paged(request, posts, render, "post")

    @route("POST", r"/(?P<id>[\w]+)/comments")
    def comment_create(self, request: FakeRequest) -> FakeResponse:
        # https://developers.facebook.com/docs/graph-api/reference/object/comments/
        assert request.match is not None
        target = self.objects.get(request.match["id"])
        if target is None:
            return self.not_found()
        if target["type"] == "comment":
            comment = self.add_comment(
                target["post"],
                request.form.get("message", ""),
                author=self.handle,
                reply_to=target["id"],
            )
        else:
            comment = self.add_comment(
                target["id"], request.form.get("message", ""), author=self.handle
            )
        return FakeResponse(200, {"id": comment["id"]})
