"""The platform conversation: one connector per channel, over one HTTP client per platform."""

import threading

import httpx

from warta.channels.models import Channel
from warta.channels.services import channel_account
from warta.connectors.base import (
    Connector,
    NotSupported,
    PostSearchIncomplete,
    PublishRequest,
    connector_class,
    connector_http,
)
from warta.content.publishing.config import concurrency
from warta.content.publishing.jobs import Job, _Unverifiable
from warta.content.services import is_manual

_HTTP: dict[str, httpx.Client] = {}
_HTTP_LOCK = threading.Lock()


def _http(platform: str) -> httpx.Client:
    """One HTTP client per platform and worker process: its connection pool and TLS set-up
    are reused across batches instead of costing a certificate load each time. Each is
    SSRF-guarded (connector_http); the sandbox root it trusts is its own platform's."""
    with _HTTP_LOCK:
        client = _HTTP.get(platform)
        if client is None or client.is_closed:
            client = _HTTP[platform] = connector_http(platform, limits=_limits())
        return client


def _limits() -> httpx.Limits:
    """More connections than the window has requests, every one of them kept alive.

    httpcore 1.0.9 can close an idle connection it has just handed to a waiting request,
    which then hangs until its read timeout (encode/httpcore#1110, open): it closes
    surplus keep-alive connections, and idle ones to make room at max_connections. With
    as many kept alive as allowed, and no request ever waiting for one, neither happens.
    """
    most = max(20, concurrency() * 2)
    return httpx.Limits(max_connections=most, max_keepalive_connections=most)


def _connector_for(channel: Channel) -> Connector | Exception:
    if is_manual(channel):
        return NotSupported("manual")
    try:
        return connector_class(channel.platform, mode=channel.mode)(
            channel_account(channel), http=_http(channel.platform)
        )
    except Exception as exc:  # no connector, unreadable credentials: recorded per variant
        return exc


def _call_platform(job: Job, connector: Connector | Exception) -> object:
    """Runs on a pool thread: only the platform conversation, no database."""
    if isinstance(connector, Exception):
        return connector
    variant = job.variant
    request = PublishRequest(
        idempotency_key=str(variant.idempotency_key),
        caption=variant.full_caption,
        title=variant.title,
        first_comment=variant.first_comment,
        media=job.media,
    )
    try:
        # Sending again is safe only when the platform dedupes by our key, or says the
        # post is not there; else a person verifies (a post may exist that we cannot see).
        if job.verify_first and not connector.publish_idempotent:
            try:
                found = connector.find_post(
                    request.idempotency_key, since=job.since, request=request
                )
                conclusive = connector.find_post_conclusive
            except (NotSupported, PostSearchIncomplete):
                found, conclusive = None, False
            if found is not None:
                return found
            if not conclusive:
                return _Unverifiable()
            job.verified = True
        return connector.publish(request)
    except Exception as exc:
        return exc
