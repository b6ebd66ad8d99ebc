"""Fake Graph API for Facebook Pages and Instagram professional accounts.

State lives in `objects` (id -> dict): pages, posts, photos, videos, IG containers and
media, comments. Post/media dicts carry `stats` you may set for metrics, e.g.
`fake.objects[post_id]["stats"].update(reactions=5, impressions=900)` (Facebook) or
`update(reach=50, likes=3, saved=1)` (Instagram). `container_polls`: IN_PROGRESS answers
before a video container is FINISHED; `fail_container = True` makes the next container
end in ERROR. `add_comment(post_id, text, reply_to="")`.

What a fake cannot know: whether Meta's media processing accepts a file (format, codec,
aspect ratio, size) - any bytes are taken; `fail_container` and Fault.INVALID_MEDIA stand
in for a refusal. Insights values are whatever a test puts in `stats`.
"""

from typing import Any

from warta.connectors.fakes.facebook import FacebookRoutes
from warta.connectors.fakes.instagram import InstagramRoutes


class FakeGraph(FacebookRoutes, InstagramRoutes):
    """One Graph host: the Facebook and Instagram endpoints both (graph_base.py, facebook.py,
    instagram.py)."""


class FakeFacebook(FakeGraph):
    platform = "facebook"


class FakeInstagram(FakeGraph):
    platform = "instagram"
    external_id = "17841400000000001"

    def credentials(self) -> dict[str, Any]:
        return {**super().credentials(), "page_id": "1000"}

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.objects["1000"] = {
            "id": "1000",
            "type": "page",
            "name": "Pemkot Bontang",
            "followers_count": 4100,
        }
        self.objects[self.external_id]["followers_count"] = 2900
