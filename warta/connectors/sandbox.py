"""Sandbox/latihan channels: the real connectors, aimed at warta's own sandbox platforms.

A channel in sandbox mode talks to `python -m warta.connectors.fakes.sandbox` (see
docs/sandbox.md), whose address is the setting `WARTA_SANDBOX_URL` and nothing else:
whatever a channel's credentials say (a `base_url` among them), a sandbox channel never
reaches a real platform, so a demo or training token cannot leak to one. Each channel
has its own account in the sandbox, under `/<platform>/<external id>/`, and the link
stored for a post opens the sandbox's copy of it.
"""

import functools
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

from warta.connectors.base import (
    MODE_WRAPPERS,
    Account,
    Connector,
    PublishRequest,
    PublishResult,
    RemotePost,
)

# With the sandbox unset, sandbox channels fail to connect (and say so, and retry later)
# instead of falling back to the platform's real address: nothing leaves the process.
_NOWHERE = "http://sandbox.invalid"


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("WARTA_SANDBOX_URL is not set", request=request)


def practice_credentials(platform: str) -> dict[str, Any]:
    """Tokens for a sandbox account (the sandbox accepts any; these look like the real)."""
    from warta.connectors.fakes import FAKE_PLATFORMS, fake_class

    return fake_class(platform)().credentials() if platform in FAKE_PLATFORMS else {}


def sandbox_url() -> str:
    return str(getattr(settings, "WARTA_SANDBOX_URL", "") or "").rstrip("/")


def account_url(platform: str, external_id: str) -> str:
    """The API root of one channel's account in the sandbox ("" when no sandbox is set)."""
    root = sandbox_url()
    return f"{root}/{platform}/{quote(external_id or '-', safe='')}" if root else ""


def post_url(platform: str, external_id: str, post_id: str) -> str:
    """The sandbox's page for a post: its text, comments and replies, marked as practice."""
    root = account_url(platform, external_id)
    return f"{root}/_sandbox/posts/{quote(post_id, safe='')}" if root else ""


def is_sandbox_url(url: str) -> bool:
    root = sandbox_url()
    return bool(root) and url.startswith(root + "/")


@functools.cache
def sandboxed(cls: type[Connector]) -> type[Connector]:
    """`cls` aimed at the sandbox: its base URL from settings, its links to sandbox pages."""

    class Sandboxed(cls):  # type: ignore[valid-type,misc]
        sandbox = True

        def __init__(self, account: Account, **kwargs: Any) -> None:
            base = account_url(account.platform, account.external_id)
            if not base:
                kwargs["http"] = httpx.Client(transport=httpx.MockTransport(_refuse))
            super().__init__(replace(account, base_url=base or _NOWHERE), **kwargs)
            self._owns_http: bool = self._owns_http or not base

        def publish(self, request: PublishRequest) -> PublishResult:
            result = super().publish(request)
            return replace(result, url=self._link(result.platform_post_id))

        def find_post(
            self,
            idempotency_key: str,
            *,
            since: datetime,
            request: PublishRequest | None = None,
        ) -> RemotePost | None:
            found = super().find_post(idempotency_key, since=since, request=request)
            return found and replace(found, url=self._link(found.platform_post_id))

        def _link(self, post_id: str) -> str:
            return post_url(self.account.platform, self.account.external_id, post_id)

    Sandboxed.__name__ = Sandboxed.__qualname__ = f"Sandbox{cls.__name__}"
    return Sandboxed


MODE_WRAPPERS["sandbox"] = sandboxed  # type: ignore[assignment]  # functools.cache keeps the call
