"""What Facebook and Instagram share: Graph API errors, token refresh, paging.

Graph errors come as {"error": {"code", "error_subcode", "message", "is_transient"}} with
HTTP 400/403/500 that say little; the code decides (see _CODES below). Rate-limit answers
carry X-Business-Use-Case-Usage / X-App-Usage headers with the minutes until access
returns, used as retry_after.
"""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from warta.connectors import messages as m
from warta.connectors._http import (
    CLOCK_SKEW,
    FIND_MAX_PAGES,
    HttpConnector,
    parse_time,
    search_incomplete,
)
from warta.connectors.base import (
    AuthError,
    ConnectorError,
    PermanentError,
    TokenSet,
    TransientError,
)
from warta.connectors.oauth import client_credentials, token_set
from warta.connectors.ratelimits import ACCOUNT, APP, USAGE, RateObservation
from warta.lib import clock

# Graph error codes: throttling ("posting too fast" is 368; 4/17/32/613 are call limits;
# 80001-80014 business use case limits) is transient; 190/102 and the permission codes
# mean the channel has to be reconnected.
_THROTTLE = {4, 17, 32, 613, *range(80001, 80015)}
_AUTH = {102, 190, 10, *range(200, 300)}
_TRANSIENT = {1, 2}
_DEFAULT_WAIT = {368: 900.0, 4: 300.0, 17: 300.0, 32: 300.0, 613: 60.0}
# Instagram's "content publishing limit reached" (25-100 posts per 24 hours).
_IG_PUBLISH_LIMIT = 2207042


def _usage_wait(response: httpx.Response) -> float | None:
    """Minutes-until-regained-access from Meta's usage headers, in seconds."""
    raw = response.headers.get("x-business-use-case-usage") or ""
    try:
        usage = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return None
    waits = [
        float(entry.get("estimated_time_to_regain_access") or 0)
        for entries in usage.values()
        for entry in entries
    ]
    return max(waits) * 60 if waits and max(waits) > 0 else None


def usage_percent(entry: Any) -> int | None:
    """The highest of call count, CPU time and total time, in percent of the allowance."""
    if not isinstance(entry, dict):
        return None
    values = [entry.get(k) for k in ("call_count", "total_cputime", "total_time")]
    numbers = [int(v) for v in values if isinstance(v, int | float)]
    return max(numbers) if numbers else None


class GraphConnector(HttpConnector):
    default_base_url = "https://graph.facebook.com/v21.0"
    find_post_conclusive = True

    def _observe_rate(self, method: str, path: str, response: httpx.Response) -> None:
        """Meta tells use in percent: x-app-usage for the app (user-token calls) and
        X-Business-Use-Case-Usage per business object (Page-token and Instagram calls),
        each with `estimated_time_to_regain_access` in minutes once throttled.
        https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
        """
        now = clock.now()
        app = response.headers.get("x-app-usage", "")
        if app:
            used = usage_percent(json.loads(app))
            if used is not None:
                self.rate_observations.add(
                    RateObservation(scope=APP, name=USAGE, remaining=max(0, 100 - used))
                )
        raw = response.headers.get("x-business-use-case-usage", "")
        usage = json.loads(raw) if raw else {}
        mine = usage.get(self.account.external_id) if isinstance(usage, dict) else None
        for entry in mine or []:
            used = usage_percent(entry)
            if used is None:
                continue
            regain = float(entry.get("estimated_time_to_regain_access") or 0)
            self.rate_observations.add(
                RateObservation(
                    scope=ACCOUNT,
                    name=USAGE,
                    remaining=0 if regain > 0 else max(0, 100 - used),
                    limit=100,
                    resets_at=now + timedelta(minutes=regain) if regain > 0 else None,
                )
            )

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return
        code = int(error.get("code") or 0)
        subcode = int(error.get("error_subcode") or 0)
        message = str(error.get("error_user_msg") or error.get("message") or "")
        platform_code = f"{code}/{subcode}" if subcode else str(code)
        if code in _THROTTLE or code == 368 or subcode == _IG_PUBLISH_LIMIT:
            wait = _usage_wait(response) or _DEFAULT_WAIT.get(code, 3600.0)
            raise TransientError(
                m.SLOW_DOWN(platform=self.label, detail=message),
                retry_after=wait,
                platform_code=platform_code,
            )
        if code in _AUTH or response.status_code == 401:
            raise AuthError(
                m.ACCESS_REVOKED(platform=self.label, detail=message),
                platform_code=platform_code,
            )
        if code in _TRANSIENT or error.get("is_transient") or response.status_code >= 500:
            raise TransientError(
                m.TROUBLE(platform=self.label, detail=message),
                platform_code=platform_code,
                outcome_unknown=commit,
            )
        if code == 506:
            raise PermanentError(
                m.DUPLICATE(platform=self.label, detail=message), platform_code="duplicate"
            )
        if code == 100 and subcode == 33:
            raise PermanentError(
                m.NOT_FOUND(platform=self.label, detail=message), platform_code="404"
            )
        raise PermanentError(
            m.REFUSED(platform=self.label, detail=message), platform_code=platform_code
        )

    def _gone(self, exc: ConnectorError) -> bool:
        return exc.platform_code in ("404", "100/33")

    def refresh_token(self) -> TokenSet:
        """Exchange the long-lived user token for a fresh one and re-read the Page token.

        Page tokens made from a long-lived user token do not expire, so this mainly keeps
        the user token (60 days) alive; TokenSet.extra["user_access_token"] is the new
        user token to store next to the page token.
        """
        client_id, client_secret = client_credentials(self.account, "meta")
        user_token = str(
            self.account.credentials.get("user_access_token")
            or self.account.credentials.get("access_token")
            or ""
        )
        body = self._request(
            "GET",
            "/oauth/access_token",
            auth=False,
            params={
                "grant_type": "fb_exchange_token",
                "client_id": client_id,
                "client_secret": client_secret,
                "fb_exchange_token": user_token,
            },
        )
        user = token_set(body)
        page_id = self._page_id()
        page = self._request(
            "GET",
            f"/{page_id}",
            auth=False,
            params={"fields": "access_token"},
            headers={"Authorization": f"Bearer {user.access_token}"},
        )
        return TokenSet(
            access_token=str(page.get("access_token") or user.access_token),
            expires_at=None,
            extra={
                "user_access_token": user.access_token,
                "user_token_expires_at": user.expires_at.isoformat() if user.expires_at else "",
            },
        )

    def _page_id(self) -> str:
        return str(self.account.credentials.get("page_id") or self.account.external_id)

    def _all_since(
        self, path: str, params: dict[str, Any], *, since: datetime, time_field: str
    ) -> list[dict[str, Any]]:
        """Every item of a newest-first edge made since `since` (for find_post).

        Publishing trusts a None from find_post as "not there", so this reads on until
        Graph has no `next` page (or the pages are older than `since`): an empty page
        may still have one, and time-paged answers have no cursors at all.
        """
        items: list[dict[str, Any]] = []
        earliest = since - CLOCK_SKEW
        for _ in range(FIND_MAX_PAGES):
            body = self._request("GET", path, params=params)
            page = body.get("data") or []
            items += page
            following = next_page(body)
            if following is None:
                return items
            oldest = parse_time(page[-1].get(time_field)) if page else None
            if oldest is not None and oldest < earliest:
                return items
            params = {**params, **following}
        raise search_incomplete(self.label)


# What a `next` link may carry that we send back (the rest is our own request again).
_PAGING_KEYS = ("after", "before", "until", "since", "__paging_token", "__previous", "offset")


def next_page(body: Any) -> dict[str, str] | None:
    """The paging parameters of the answer's `next` link; None on the last page.

    Graph pages by cursor (`cursors.after`) or by time (`until`/`since` and a paging
    token, no cursors); a page may be empty and still have `next`, and only a missing
    `next` ends the list (https://developers.facebook.com/docs/graph-api/results). Only
    the paging parameters are kept, never the link itself: it carries the access token
    and is not ours to follow anywhere else.
    """
    paging = (body.get("paging") if isinstance(body, dict) else None) or {}
    link = paging.get("next")
    if not link:
        return None
    query = dict(parse_qsl(urlsplit(str(link)).query))
    found = {k: query[k] for k in _PAGING_KEYS if k in query}
    after = (paging.get("cursors") or {}).get("after")
    if after and "after" not in found:
        found["after"] = str(after)
    return found or None


def page_cursor(body: Any) -> str:
    """`next_page` as a short string to store between syncs ("" on the last page)."""
    following = next_page(body)
    return urlencode(following) if following else ""


def cursor_params(cursor: str) -> dict[str, str]:
    """The parameters a stored cursor stands for (older cursors were a bare `after`)."""
    if not cursor:
        return {}
    if "=" not in cursor:
        return {"after": cursor}
    return {k: v for k, v in parse_qsl(cursor) if k in _PAGING_KEYS}


def graph_time(value: Any) -> datetime | None:
    return parse_time(value)


def unix(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp())
