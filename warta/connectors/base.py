"""The one small interface every platform connector implements.

A connector is a module `warta/connectors/<platform>/` with a class derived from
`Connector`, registered with `@register(Platform.X)`. It speaks HTTP through the
`http` client it is given (so tests point it at a local fake server) and turns the
platform's answers into the plain results and errors below. It never touches models.
"""

import functools
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import certifi
import httpx

from warta.connectors.ratelimits import Observations
from warta.core.reasons import localize


class ConnectorError(Exception):
    """Base of every error a connector raises; `message` is safe to show to an officer.

    `message` is Indonesian source text (a gettext_noop msgid or a filled-in
    `warta.core.reasons.Reason`), whatever language is active, because callers store it;
    `localized` is the same message in the active language, for showing it right away.
    """

    def __init__(self, message: str, *, platform_code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.platform_code = platform_code

    @property
    def localized(self) -> str:
        return localize(self.message)


class TransientError(ConnectorError):
    """Try again later: timeouts, 5xx, rate limits. `retry_after` in seconds when known.

    `outcome_unknown` is true when the request that creates the post may have reached the
    platform (a read timeout, a 5xx or a garbled answer to it): the post may exist, so
    ask `find_post` before publishing again (unless the connector's `publish_idempotent`).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        platform_code: str = "",
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message, platform_code=platform_code)
        self.retry_after = retry_after
        self.outcome_unknown = outcome_unknown


class PermanentError(ConnectorError):
    """Retrying will not help: invalid media, rejected content, duplicate, not found."""


class AuthError(PermanentError):
    """The token expired or was revoked: the channel needs reconnecting."""


class PostSearchIncomplete(PermanentError):
    """find_post could not look through every post since `since` (too many to page
    through): it cannot tell, so a person must verify on the platform."""


class NotSupported(ConnectorError):
    """The platform (or this connection mode) offers no such operation."""


class ManualPublishRequired(NotSupported):
    """The channel has no API: a person posts by hand and pastes the post's URL.

    Raised by the `manual` connector's `publish`; content turns it into a reminder.
    """


@dataclass(frozen=True)
class Account:
    """What a connector needs to act for a channel (credentials already decrypted)."""

    platform: str
    external_id: str
    handle: str
    credentials: dict[str, Any] = field(repr=False)  # tokens: never in logs or tracebacks
    base_url: str = ""  # API root; tests and self-hosted platforms (Mastodon) override it


@dataclass(frozen=True)
class MediaFile:
    path: Path
    mime_type: str
    kind: str  # image / video / document
    size_bytes: int
    alt_text: str = ""
    sha256: str = ""
    # A public https URL of the same file, for platforms that fetch media themselves
    # (Instagram images, TikTok photos); empty when the media root is not public.
    url: str = ""
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


@dataclass(frozen=True)
class PublishRequest:
    idempotency_key: str
    caption: str
    title: str = ""
    first_comment: str = ""
    media: tuple[MediaFile, ...] = ()
    link: str = ""


@dataclass(frozen=True)
class PublishResult:
    platform_post_id: str
    url: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True)
class RemotePost:
    platform_post_id: str
    url: str = ""
    caption: str = ""
    published_at: datetime | None = None
    deleted: bool = False
    edited_at: datetime | None = None


@dataclass(frozen=True)
class PostMetrics:
    platform_post_id: str
    captured_at: datetime
    impressions: int | None = None
    reach: int | None = None
    views: int | None = None
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0


@dataclass(frozen=True)
class RemoteComment:
    platform_item_id: str
    text: str
    author_name: str
    author_handle: str
    created_at: datetime
    platform_post_id: str = ""  # the post it is on; empty for direct messages
    parent_id: str = ""
    kind: str = "comment"  # comment / reply / mention / message
    hidden: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    cursor: str = ""  # pass back to get the next page; empty when done


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Connector:
    platform: ClassVar[str]
    default_base_url: ClassVar[str] = ""
    # True when publishing again with the same idempotency key cannot make a second post
    # (Mastodon's Idempotency-Key): after a crash, publishing may simply retry.
    publish_idempotent: ClassVar[bool] = False
    # True when `find_post` returning None means "searched the account's posts since
    # `since` and it is not there" (retry is safe); False: None means "cannot tell",
    # so the variant goes to a person to verify on the platform.
    find_post_conclusive: ClassVar[bool] = False

    def __init__(self, account: Account, *, http: httpx.Client | None = None) -> None:
        self.account = account
        self.base_url = (account.base_url or self.default_base_url).rstrip("/")
        self._owns_http = http is None
        self.http = http or connector_http(getattr(self, "platform", ""))
        # What the platform's answers said of its rate limits (warta/connectors/ratelimits.py).
        self.rate_observations = Observations()

    def close(self) -> None:
        """Close the HTTP client if this connector made it."""
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> "Connector":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Publishing (issue: plan and publish)
    def publish(self, request: PublishRequest) -> PublishResult:
        raise NotSupported("publish")

    def find_post(
        self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
    ) -> RemotePost | None:
        """After a crash mid-publish: the post this key produced, if the platform has it.

        Most platforms know nothing of our key, so pass the `request` that was being
        published: connectors match its caption/title among the account's posts since
        `since`. None: not found or ambiguous (see `find_post_conclusive`).
        Raises PostSearchIncomplete when there were too many posts to look through,
        TransientError when the platform cannot answer now.
        """
        raise NotSupported("find_post")

    def fetch_post(self, platform_post_id: str) -> RemotePost:
        raise NotSupported("fetch_post")

    def delete(self, platform_post_id: str) -> None:
        raise NotSupported("delete")

    def refresh_token(self) -> TokenSet:
        raise NotSupported("refresh_token")

    # Analytics
    def fetch_metrics(self, platform_post_ids: list[str]) -> list[PostMetrics]:
        raise NotSupported("fetch_metrics")

    def fetch_followers(self) -> int:
        raise NotSupported("fetch_followers")

    # Engagement
    def fetch_comments(self, *, since: datetime | None, cursor: str = "") -> Page[RemoteComment]:
        raise NotSupported("fetch_comments")

    def reply(self, *, platform_item_id: str, text: str, idempotency_key: str) -> RemoteComment:
        raise NotSupported("reply")

    def hide_comment(self, platform_item_id: str, *, hidden: bool = True) -> None:
        raise NotSupported("hide_comment")


def sandbox_base_url(platform: str) -> str:
    """The API root an operator set for `platform` in settings (a sandbox, tests), or ""."""
    from django.conf import settings

    return str(getattr(settings, "WARTA_CONNECTOR_BASE_URLS", {}).get(platform, "")).rstrip("/")


def connector_http(platform: str, **options: Any) -> httpx.Client:
    """An HTTP client for a platform's connector: every connection vetted by the SSRF guard
    (https, public addresses, pinned), except to the sandbox root set in settings."""
    from django.conf import settings

    from warta.lib.safe_http import guarded_client

    # warta's own sandbox platforms (Sandbox/latihan channels) are an operator's setting
    # too; they are the practice copies of every platform, so each client may reach them.
    return guarded_client(
        trusted=lambda: [sandbox_base_url(platform), getattr(settings, "WARTA_SANDBOX_URL", "")],
        timeout=httpx.Timeout(30.0, connect=10.0),
        verify=_ssl_context(),
        **options,
    )


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~70 ms; one context serves every connector's client.
    return ssl.create_default_context(cafile=certifi.where())


_REGISTRY: dict[str, type[Connector]] = {}
# Connection modes that wrap the platform's connector: "sandbox" (sandbox.py registers it).
MODE_WRAPPERS: dict[str, Callable[[type[Connector]], type[Connector]]] = {}


def register(platform: str) -> Callable[[type[Connector]], type[Connector]]:
    def decorator(cls: type[Connector]) -> type[Connector]:
        cls.platform = platform
        _REGISTRY[platform] = cls
        return cls

    return decorator


def connector_class(platform: str, mode: str = "api") -> type[Connector]:
    """The connector for a platform; channels in manual or export mode get `manual`,
    sandbox channels the platform's connector aimed at warta's sandbox (sandbox.py)."""
    if mode in ("manual", "export"):
        platform = "manual"
    try:
        cls = _REGISTRY[platform]
    except KeyError:
        raise NotSupported(f"no connector for platform {platform!r}") from None
    wrap = MODE_WRAPPERS.get(mode)
    return wrap(cls) if wrap else cls


def registered_platforms() -> list[str]:
    return sorted(_REGISTRY)
