"""Graph API pieces every Meta fake shares: its error shape, insights metrics, fields.

Used by the Facebook/Instagram fake (graph_base.py, facebook.py, instagram.py, meta.py)
and by the Threads and WhatsApp fakes, which speak the same Graph dialect.
"""

import re
from typing import Any

from warta.connectors.fakes.server import FakeResponse

_METRIC = re.compile(r"insights\.metric\(([^)]*)\)")

# Page post insights metrics the fake knows, and the `stats` key each reads. Meta retired
# post_impressions / post_impressions_unique (Nov 2025) for post_media_view ("Views") and
# post_total_media_view_unique ("Viewers"); a retired or unknown name fails the whole call.
# https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics
# https://developers.facebook.com/docs/graph-api/reference/page-post/insights/
POST_METRICS = {
    "post_media_view": "impressions",
    "post_total_media_view_unique": "reach",
    "post_clicks": "clicks",
    "post_reactions_by_type_total": "reactions",
    "post_video_views": "video_views",
}

# Instagram media insights metrics (impressions, plays and video_views are retired).
# https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
IG_MEDIA_METRICS = {
    "reach",
    "views",
    "likes",
    "comments",
    "shares",
    "saved",
    "total_interactions",
    "follows",
    "profile_visits",
}


def _invalid_metric() -> FakeResponse:
    # What Graph answers for a retired or unknown insights metric (seen in client libraries'
    # recorded exchanges; the deprecation notice says "an invalid metric error").
    return _graph_error(400, 100, "(#100) The value must be a valid insights metric")


def _graph_error(
    status: int, code: int, message: str, subcode: int = 0, **extra: Any
) -> FakeResponse:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf",
    }
    if subcode:
        error["error_subcode"] = subcode
    return FakeResponse(status, {"error": {**error, **extra}})


# Fields each node type has (what a `fields` request may name); Graph answers only the
# named ones (plus id) and refuses a name the node does not have with (#100).
# https://developers.facebook.com/docs/graph-api/reference/page/feed,
# /docs/graph-api/reference/post, /docs/graph-api/reference/comment,
# /docs/instagram-platform/reference/instagram-media, .../ig-container, .../ig-comment
NODE_FIELDS = {
    "page": {"id", "name", "username", "followers_count", "fan_count", "access_token", "link"},
    "post": {
        "id",
        "message",
        "created_time",
        "updated_time",
        "permalink_url",
        "shares",
        "reactions",
        "comments",
        "insights",
        "attachments",
        "from",
        "full_picture",
        "status_type",
        "is_hidden",
        "is_published",
    },
    "comment": {
        "id",
        "message",
        "from",
        "created_time",
        "parent",
        "is_hidden",
        "like_count",
        "comment_count",
        "attachment",
    },
    "ig_comment": {"id", "text", "username", "timestamp", "hidden", "replies", "like_count"},
    "media": {
        "id",
        "caption",
        "timestamp",
        "permalink",
        "media_type",
        "media_url",
        "comments",
        "comments_count",
        "like_count",
        "username",
        "insights",
    },
    "container": {"id", "status_code", "status"},
}
NODE_FIELDS["photo"] = NODE_FIELDS["post"] | {"images", "link"}
NODE_FIELDS["ig_user"] = NODE_FIELDS["page"] | {"media_count", "profile_picture_url"}
_NODE_NAME = {
    "page": "Page",
    "post": "Post",
    "photo": "Photo",
    "comment": "Comment",
    "ig_comment": "IGComment",
    "media": "IGMedia",
    "container": "IGContainer",
    "ig_user": "IGUser",
}
# The node type of an edge's items, by the edge's name and the node it hangs from.
_EDGE_NODE = {
    ("post", "comments"): "comment",
    ("photo", "comments"): "comment",
    ("media", "comments"): "ig_comment",
    ("ig_comment", "replies"): "ig_comment",
}


def _split_fields(spec: str) -> list[str]:
    """Top-level items of a Graph `fields` value (commas inside () and {} stay)."""
    items, depth, start = [], 0, 0
    for index, char in enumerate(spec):
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(spec[start:index])
            start = index + 1
    items.append(spec[start:])
    return [i.strip() for i in items if i.strip()]


class _NoSuchField(Exception):
    def __init__(self, field: str, node: str) -> None:
        self.field, self.node = field, node


def select_fields(full: dict[str, Any], spec: str, node: str) -> dict[str, Any]:
    """What Graph answers for `fields=spec` on a node whose every field is in `full`."""
    out: dict[str, Any] = {"id": full["id"]} if "id" in full else {}
    for item in _split_fields(spec):
        name = re.match(r"[\w]+", item)
        if name is None:
            continue
        field = name.group(0)
        if field not in NODE_FIELDS.get(node, set()):
            raise _NoSuchField(field, node)
        if field not in full:
            continue
        value = full[field]
        brace = item.find("{")
        if brace >= 0:
            sub = item[brace + 1 : item.rfind("}")]
            child = _EDGE_NODE.get((node, field), node)
            if isinstance(value, dict) and isinstance(value.get("data"), list):
                value = {
                    **value,
                    "data": [select_fields(v, sub, child) for v in value["data"]],
                }
            elif isinstance(value, dict):
                value = {k: value[k] for k in _split_fields(sub) if k in value}
        out[field] = value
    return out


def _no_such_field(exc: _NoSuchField) -> FakeResponse:
    return _graph_error(
        400,
        100,
        f"(#100) Tried accessing nonexisting field ({exc.field}) on node type "
        f"({_NODE_NAME.get(exc.node, exc.node)})",
    )


def _requested_metrics(fields: str) -> list[str]:
    found = _METRIC.search(fields)
    return [n.strip() for n in found.group(1).split(",") if n.strip()] if found else []


def _public(obj: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in obj.items()
        if k not in ("type", "stats", "comments", "replies", "post", "polls", "uri_path")
    }
