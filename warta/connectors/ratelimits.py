"""The platforms' documented rate limits on publishing, and what their answers say of them.

Publishing draws on these budgets before it calls a platform (warta/channels/budgets.py
keeps them in the database, shared by every worker): per account, and per app where the
platform counts per app. A budget starts from the documented figure named here with its
source, and is corrected by the headers the platform sends: each connector turns them
into `RateObservation`s (`Connector.rate_observations`), which publishing stores.

Figures that depend on what the operator pays for or how large the account is (X's access
tier, Meta's engaged-user multiplier) are set in `WARTA_RATE_BUDGETS`, e.g.
``{"x": {"posts_24h:app": 10000}}``; the headers then correct them at the first answer.
"""

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

ACCOUNT = "account"
APP = "app"
# A "usage" budget counts percent of an allowance the platform does not tell in numbers
# (Meta's x-app-usage and X-Business-Use-Case-Usage): publishing stops drawing on it at
# this much use, so the calls that follow a post (polls, first comment) still fit.
USAGE = "usage"
USAGE_CEILING = 90


@dataclass(frozen=True)
class Budget:
    """One documented limit: `limit` units per `window`, counted per account or per app.

    `cost` units per post, plus `first_comment_cost` when the post has a first comment
    (X counts that reply against the same cap). `reset_zone`: the window is a calendar
    day in that zone (YouTube's quota) instead of running from the first use.
    """

    name: str
    scope: str
    limit: int
    window: timedelta
    docs: str
    cost: int = 1
    first_comment_cost: int = 0
    reset_zone: str = ""

    @property
    def key(self) -> str:
        return f"{self.name}:{self.scope}"


@dataclass(frozen=True)
class RateObservation:
    """What one answer said of a budget: units left, the window's size and its reset."""

    scope: str
    name: str
    remaining: int
    limit: int | None = None
    resets_at: datetime | None = None


DAY = timedelta(hours=24)

# Graph's Business Use Case and app usage, told only in percent (both Meta platforms).
# https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
GRAPH_USAGE = (
    Budget(
        USAGE,
        ACCOUNT,
        100,
        timedelta(hours=1),
        "https://developers.facebook.com/docs/graph-api/overview/rate-limiting/",
        cost=0,
    ),
    Budget(
        USAGE,
        APP,
        100,
        timedelta(hours=1),
        "https://developers.facebook.com/docs/graph-api/overview/rate-limiting/",
        cost=0,
    ),
)


DOCUMENTED: dict[str, tuple[Budget, ...]] = {
    # POST /2/tweets: 100 requests / 15 min per user; per 24 hours 100 per user and
    # 1,667 per app on the Basic tier (Free: 17 and 17; Pro: 10,000 per app). Answers
    # carry x-rate-limit-* (the 15-minute window) and x-user-limit-24hour-* /
    # x-app-limit-24hour-* (the caps), which correct these at once.
    # https://docs.x.com/x-api/fundamentals/rate-limits
    "x": (
        Budget(
            "posts_15m",
            ACCOUNT,
            100,
            timedelta(minutes=15),
            "https://docs.x.com/x-api/fundamentals/rate-limits",
            first_comment_cost=1,
        ),
        Budget(
            "posts_24h",
            ACCOUNT,
            100,
            DAY,
            "https://docs.x.com/x-api/fundamentals/rate-limits",
            first_comment_cost=1,
        ),
        Budget(
            "posts_24h",
            APP,
            1667,
            DAY,
            "https://docs.x.com/x-api/fundamentals/rate-limits",
            first_comment_cost=1,
        ),
    ),
    # Page-token calls count against the Page's Business Use Case allowance, user-token
    # calls against the app's (200 calls per user per hour); both are told only in percent,
    # in X-Business-Use-Case-Usage and x-app-usage, with the minutes until access returns.
    # https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
    "facebook": GRAPH_USAGE,
    # 100 API-published posts per account in a moving 24 hours (a carousel is one),
    # enforced on media_publish; plus the Business Use Case usage as for Pages.
    # https://developers.facebook.com/docs/instagram-platform/content-publishing/#rate-limit
    # https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit
    "instagram": (
        Budget(
            "posts_24h",
            ACCOUNT,
            100,
            DAY,
            "https://developers.facebook.com/docs/instagram-platform/content-publishing/",
        ),
        *GRAPH_USAGE,
    ),
    # 250 posts per profile in a moving 24 hours (threads_publishing_limit; the connector
    # also asks it before each post). https://developers.facebook.com/docs/threads/overview#rate-limiting
    "threads": (
        Budget(
            "posts_24h",
            ACCOUNT,
            250,
            DAY,
            "https://developers.facebook.com/docs/threads/overview#rate-limiting",
        ),
    ),
    # /v2/post/publish/video/init/ and content/init: 6 requests per minute per user token.
    # https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit
    "tiktok": (
        Budget(
            "posts_1m",
            ACCOUNT,
            6,
            timedelta(minutes=1),
            "https://developers.tiktok.com/doc/tiktok-api-v2-rate-limit",
        ),
    ),
    # Per project and day, reset at midnight Pacific Time: videos.insert has its own bucket
    # of 100 calls (1 per call), every other method draws on 10,000 units (a first comment,
    # commentThreads.insert, costs 50). https://developers.google.com/youtube/v3/determine_quota_cost
    "youtube": (
        Budget(
            "uploads_day",
            APP,
            100,
            DAY,
            "https://developers.google.com/youtube/v3/determine_quota_cost",
            reset_zone="America/Los_Angeles",
        ),
        Budget(
            "units_day",
            APP,
            10_000,
            DAY,
            "https://developers.google.com/youtube/v3/determine_quota_cost",
            cost=0,
            first_comment_cost=50,
            reset_zone="America/Los_Angeles",
        ),
    ),
    # "no more than 20 messages per minute to the same group" (a channel counts alike).
    # https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
    "telegram": (
        Budget(
            "posts_1m",
            ACCOUNT,
            20,
            timedelta(minutes=1),
            "https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this",
        ),
    ),
    # 300 requests per 5 minutes per account (X-RateLimit-* headers on every answer).
    # https://docs.joinmastodon.org/api/rate-limits/
    "mastodon": (
        Budget(
            "calls_5m",
            ACCOUNT,
            300,
            timedelta(minutes=5),
            "https://docs.joinmastodon.org/api/rate-limits/",
        ),
    ),
}


def budgets_for(platform: str, overrides: dict[str, dict[str, Any]] | None = None) -> list[Budget]:
    """The platform's documented budgets, with the operator's figures where set."""
    mine = (overrides or {}).get(platform, {})
    out = []
    for budget in DOCUMENTED.get(platform, ()):
        limit = mine.get(budget.key)
        if limit is not None:
            budget = Budget(**{**budget.__dict__, "limit": int(limit)})
        out.append(budget)
    return out


def app_key(credentials: dict[str, Any]) -> str:
    """Which app a channel's token belongs to: its OAuth client, else warta's one app."""
    return str(credentials.get("client_id") or credentials.get("client_key") or "warta")[:200]


class Observations:
    """Thread-safe inbox of observations a connector made (pool threads add, one drains)."""

    def __init__(self) -> None:
        self._items: deque[RateObservation] = deque()

    def add(self, observation: RateObservation) -> None:
        self._items.append(observation)

    def drain(self) -> list[RateObservation]:
        out = []
        while self._items:
            out.append(self._items.popleft())
        return out
