"""What every HTTP connector shares: one request helper that maps failures to our errors.

Platforms differ in how they say "slow down" or "token expired", so each connector
overrides `_raise_for_error(response, body)`; the transport failures (timeouts, refused
connections, garbled answers) are the same everywhere and handled here once.
Tokens travel in headers or bodies and are never put into an error message or a log.
"""

import email.utils
import html
import json
import logging
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from django.utils.translation import gettext_noop

from warta.connectors.base import (
    AuthError,
    Connector,
    PermanentError,
    PostSearchIncomplete,
    PublishRequest,
    RemotePost,
    TransientError,
)
from warta.connectors.messages import (
    CONNECTION_LOST,
    GARBLED,
    RATE_LIMITED,
    REQUEST_REFUSED,
    SEARCH_INCOMPLETE,
    SERVER_TROUBLE,
    TIMED_OUT,
    TOKEN_REVOKED,
    UNREACHABLE,
)
from warta.core.reasons import Reason
from warta.lib import clock
from warta.lib.safe_http import FetchError, UnsafeURLError

# The SSRF guard refused the address (internal, plain http): retrying cannot help.
ADDRESS_REFUSED = Reason(
    gettext_noop("Alamat %(platform)s ditolak: hanya https ke alamat publik yang diizinkan.")
)

# Clocks of our server and the platform's disagree a little; a post made just before the
# claim time recorded by publishing is still ours.
CLOCK_SKEW = timedelta(minutes=2)
# How many pages of an account's posts find_post reads at most; past that it cannot tell.
FIND_MAX_PAGES = 50


logger = logging.getLogger(__name__)


def _log_transport(label: str, method: str, exc: Exception) -> None:
    # The technical cause is for whoever runs warta; officers read the message instead.
    logger.info("%s %s: %s: %s", label, method, type(exc).__name__, exc)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds to wait, from Retry-After (seconds or HTTP date) or a rate-limit reset."""
    raw = response.headers.get("retry-after", "").strip()
    if raw:
        if raw.replace(".", "", 1).isdigit():
            return float(raw)
        try:
            when = email.utils.parsedate_to_datetime(raw)
            return max(0.0, (when - clock.now()).total_seconds())
        except (TypeError, ValueError):
            pass
    remaining = (
        response.headers.get("x-rate-limit-remaining")
        or response.headers.get("x-ratelimit-remaining")
        or ""
    ).strip()
    if remaining and remaining != "0":
        # Platforms send their window's reset on every answer: it is a wait only once the
        # window is spent, not for a 5xx that happens to carry it.
        return None
    reset = (
        response.headers.get("x-rate-limit-reset") or response.headers.get("x-ratelimit-reset")
    ) or ""
    reset = reset.strip()
    if reset.isdigit():  # X: epoch seconds
        return max(0.0, int(reset) - clock.now().timestamp())
    if reset:  # Mastodon: ISO 8601 timestamp
        try:
            return max(0.0, (datetime.fromisoformat(reset) - clock.now()).total_seconds())
        except ValueError:
            return None
    return None


class HttpConnector(Connector):
    """A connector that speaks JSON over HTTP through `_request`."""

    # Name shown in messages ("Instagram menolak ...").
    label = "platform"
    # Seconds between checks of media processing, and how long to wait at most before
    # giving up with a TransientError (nothing was published yet, so a retry is safe).
    poll_interval = 2.0
    poll_timeout = 300.0

    def _wait(self) -> None:
        time.sleep(self.poll_interval)

    def _auth_headers(self) -> dict[str, str]:
        token = self.account.credentials.get("access_token", "")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def _request(
        self,
        method: str,
        path: str,
        *,
        commit: bool = False,
        auth: bool = True,
        raw: bool = False,
        ok_statuses: Iterable[int] = (),
        **kwargs: Any,
    ) -> Any:
        """Send one request; return its JSON (or the response when `raw`).

        `commit`: this request creates the post, so a lost answer leaves the outcome
        unknown (see TransientError.outcome_unknown).
        """
        headers = {**(self._auth_headers() if auth else {}), **kwargs.pop("headers", {})}
        try:
            response = self.http.request(method, self._url(path), headers=headers, **kwargs)
        except (UnsafeURLError, httpx.InvalidURL):
            raise PermanentError(
                ADDRESS_REFUSED(platform=self.label), platform_code="address_refused"
            ) from None
        except FetchError:  # the guard's DNS look-up failed: nothing was sent
            raise TransientError(UNREACHABLE(platform=self.label, error="DNS")) from None
        except (httpx.ConnectTimeout, httpx.ConnectError, httpx.PoolTimeout) as exc:
            # The request never left: nothing can have been created.
            _log_transport(self.label, method, exc)
            raise TransientError(UNREACHABLE(platform=self.label)) from None
        except httpx.TimeoutException as exc:
            _log_transport(self.label, method, exc)
            raise TransientError(TIMED_OUT(platform=self.label), outcome_unknown=commit) from None
        except httpx.TransportError as exc:
            _log_transport(self.label, method, exc)
            raise TransientError(
                CONNECTION_LOST(platform=self.label), outcome_unknown=commit
            ) from None
        try:
            self._observe_rate(method, path, response)
        except (ValueError, TypeError, AttributeError):
            logger.info("%s: unreadable rate-limit headers", self.label)
        if raw and (response.is_success or response.status_code in ok_statuses):
            return response
        body = self._parse(response, commit=commit)
        if response.is_success or response.status_code in ok_statuses:
            self._raise_for_body(response, body, commit=commit)
            return response if raw else body
        self._raise_for_error(response, body, commit=commit)
        # A connector's mapping must raise; this is the fallback for anything it left.
        raise self._default_error(response, body, commit=commit)

    def _observe_rate(self, method: str, path: str, response: httpx.Response) -> None:
        """Note what the answer's headers say of a publishing budget; connectors override."""

    def _parse(self, response: httpx.Response, *, commit: bool) -> Any:
        if not response.content:
            return {}
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            if response.is_success:
                raise TransientError(GARBLED(platform=self.label), outcome_unknown=commit) from None
            # Error pages from proxies are HTML; the status code says enough.
            return {}

    def _raise_for_body(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        """Some platforms report errors inside a 200 answer; connectors override."""

    def _raise_for_error(self, response: httpx.Response, body: Any, *, commit: bool) -> None:
        """Raise the error a non-success answer means; connectors override."""

    def _default_error(self, response: httpx.Response, body: Any, *, commit: bool) -> Exception:
        status = response.status_code
        detail = _short_detail(body) or response.reason_phrase
        code = str(status)
        if status == 429:
            return TransientError(
                RATE_LIMITED(platform=self.label, detail=detail),
                retry_after=retry_after_seconds(response),
                platform_code=code,
            )
        if status >= 500:
            return TransientError(
                SERVER_TROUBLE(platform=self.label, status=status, detail=detail),
                retry_after=retry_after_seconds(response),
                platform_code=code,
                outcome_unknown=commit,
            )
        if status == 401:
            return AuthError(TOKEN_REVOKED(platform=self.label, detail=detail), platform_code=code)
        return PermanentError(
            REQUEST_REFUSED(platform=self.label, status=status, detail=detail), platform_code=code
        )


def _short_detail(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("detail", "error_description", "message", "description", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
            if isinstance(value, dict):
                return _short_detail(value)
    return ""


# --- finding a post after a crash -------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Text as platforms echo it back: without HTML, links (shortened by X), case, spacing."""
    text = html.unescape(_TAG.sub(" ", text.replace("<br>", "\n").replace("</p>", "\n")))
    text = _URL.sub(" ", text)
    return _SPACE.sub(" ", text).strip().casefold()


def match_post(
    candidates: Iterable[RemotePost],
    *,
    request: PublishRequest | None,
    since: datetime,
    title: bool = False,
) -> RemotePost | None:
    """The one candidate made since `since` whose caption (or title) is the request's.

    Two matches mean we cannot tell which one is ours (an officer may post the same text
    twice), so the answer is None and a person decides.
    """
    if request is None:
        return None
    wanted = normalize_text(request.title if title and request.title else request.caption)
    if not wanted:
        return None
    earliest = since - CLOCK_SKEW
    found = [
        post
        for post in candidates
        if not post.deleted
        and (post.published_at is None or post.published_at >= earliest)
        and normalize_text(post.caption) == wanted
    ]
    return found[0] if len(found) == 1 else None


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 strings (with Z or +0000) and epoch seconds, as aware UTC datetimes."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return datetime.fromtimestamp(int(value), tz=UTC)
    text = str(value).replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):  # Graph API: 2026-01-02T03:04:05+0000
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def search_incomplete(label: str) -> PostSearchIncomplete:
    return PostSearchIncomplete(
        SEARCH_INCOMPLETE(platform=label),
        platform_code="search_incomplete",
    )
