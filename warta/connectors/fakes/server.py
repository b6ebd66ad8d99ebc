"""The threaded fake-platform HTTP server every platform fake is built on.

A fake keeps state (posts, comments, metrics, tokens), answers in the platform's own
shapes, and can be told to misbehave: see `Fault` and `FakePlatform.fail_next`. It counts
how often each caption and each Idempotency-Key was published so duplicates are visible
(`publish_counts`, `key_counts`, `duplicates()`), also over HTTP at `/_fake/stats` for a
benchmark whose workers run in other processes.
"""

import email.parser
import email.policy
import itertools
import json
import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs, urlsplit

import httpx

from warta.connectors.base import Account, Connector, connector_class
from warta.lib import clock


class Fault:
    """Kinds of misbehaviour a fake can be told to show (`fail_next(kind)`)."""

    TIMEOUT = "timeout"  # hang past the client's timeout, then drop the connection
    SERVER_ERROR = "server_error"  # 503
    RATE_LIMIT = "rate_limit"  # 429 with the platform's retry hint
    THROTTLED = "throttled"  # the platform's own "posting too fast" (Meta code 368, ...)
    EXPIRED_TOKEN = "expired_token"  # noqa: S105  # the platform's expired/revoked-token answer
    INVALID_MEDIA = "invalid_media"
    DUPLICATE = "duplicate"  # duplicate content (X 403, Facebook 506, ...)
    MALFORMED_JSON = "malformed_json"  # 200 with a truncated body
    COMMIT_THEN_TIMEOUT = "commit_then_timeout"  # do the work, then never answer
    COMMIT_THEN_SERVER_ERROR = "commit_then_server_error"  # do the work, answer 502
    CONNECTION_RESET = "connection_reset"  # close the socket without answering

    TRANSPORT = frozenset({TIMEOUT, MALFORMED_JSON, CONNECTION_RESET})


@dataclass
class FakeRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    match: re.Match[str] | None = None
    _form: dict[str, str] | None = None
    _files: dict[str, tuple[str, str, bytes]] | None = None

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def _parse_body(self) -> None:
        self._form, self._files = {}, {}
        ctype = self.headers.get("content-type", "")
        if ctype.startswith("application/x-www-form-urlencoded"):
            self._form = {k: v[-1] for k, v in parse_qs(self.body.decode()).items()}
        elif ctype.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + self.body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition") or ""
                filename = part.get_filename()
                raw = part.get_payload(decode=True)
                payload = raw if isinstance(raw, bytes) else b""
                if filename is not None:
                    self._files[str(name)] = (filename, part.get_content_type(), payload)
                else:
                    self._form[str(name)] = payload.decode()
        elif ctype.startswith("application/json") and self.body:
            data = self.json()
            if isinstance(data, dict):
                self._form = {
                    k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()
                }

    @property
    def form(self) -> dict[str, str]:
        if self._form is None:
            self._parse_body()
        assert self._form is not None
        return self._form

    @property
    def files(self) -> dict[str, tuple[str, str, bytes]]:
        if self._files is None:
            self._parse_body()
        assert self._files is not None
        return self._files

    def param(self, name: str, default: str = "") -> str:
        """A parameter from the query, form or JSON body (Graph API accepts all three)."""
        if name in self.query:
            return self.query[name]
        return self.form.get(name, default)

    def bearer(self) -> str:
        value = self.headers.get("authorization", "")
        return value.split(" ", 1)[1] if " " in value else ""


@dataclass
class FakeResponse:
    status: int = 200
    body: Any = None  # dict/list: JSON; bytes: as is; None: empty
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Any, FakeRequest], FakeResponse]


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Mark a FakePlatform method as the handler of METHOD requests whose path matches."""

    def decorator(fn: Handler) -> Handler:
        fn._fake_route = (method, re.compile(f"^{pattern}$"))  # type: ignore[attr-defined]
        return fn

    return decorator


@dataclass
class _PendingFault:
    kind: str
    times: int
    path: str  # substring of the path (and method, e.g. "POST /2/tweets"); "" matches any


class FakePlatform:
    """Base of the platform fakes; subclasses add `@route` handlers and `error(kind)`."""

    platform: ClassVar[str]
    token_prefix: ClassVar[str] = "tok"  # noqa: S105

    def __init__(
        self,
        *,
        latency: float = 0.0,
        transient_error_rate: float = 0.0,
        transient_kinds: tuple[str, ...] = (Fault.SERVER_ERROR,),
        hang_seconds: float = 2.0,
        seed: int = 0,
        rate_limits: bool = True,
    ) -> None:
        self.latency = latency
        # The platform's documented rate limits and quotas (TikTok, YouTube, Telegram);
        # off only for a throughput benchmark that measures the fake, not the platform.
        self.rate_limits_on = rate_limits
        self.transient_error_rate = transient_error_rate
        self.transient_kinds = transient_kinds
        self.hang_seconds = hang_seconds
        self.lock = threading.RLock()
        self._random = random.Random(seed)
        self._ids = itertools.count(1001)
        self._faults: list[_PendingFault] = []
        self._server: ThreadingHTTPServer | None = None
        self.mounted_at = ""  # base URL when another server serves this fake (the sandbox)
        self.access_token = f"{self.token_prefix}-valid-1"
        self.refresh_token = "refresh-1"  # noqa: S105
        self.valid_tokens = {self.access_token}
        self.publish_counts: Counter[str] = Counter()
        self.key_counts: Counter[str] = Counter()
        self.request_log: list[tuple[str, str]] = []
        self.injected: Counter[str] = Counter()
        self.posts: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self._routes = [
            (*fn._fake_route, getattr(self, name))
            for name, fn in vars_of(type(self)).items()
            if hasattr(fn, "_fake_route")
        ]

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> Self:
        handler = type("_Handler", (_RequestHandler,), {"platform_fake": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        server.daemon_threads = True
        server.block_on_close = False  # a hanging handler must not block stop()
        server.request_queue_size = 256  # the benchmark opens many connections at once
        server.server_bind()
        server.server_activate()
        self._server = server
        threading.Thread(
            target=server.serve_forever, args=(0.05,), daemon=True, name=f"fake-{self.platform}"
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self.mounted_at:
            return self.mounted_at
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- for tests -----------------------------------------------------------------------
    def fail_next(self, kind: str, *, times: int = 1, path: str = "") -> None:
        """Answer the next `times` requests whose "METHOD /path" contains `path` with `kind`."""
        with self.lock:
            self._faults.append(_PendingFault(kind, times, path))

    def expire_token(self) -> None:
        """Every access token issued so far stops working (refresh still works)."""
        with self.lock:
            self.valid_tokens.clear()

    def credentials(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "client_id": "client-id",
            "client_secret": "client-secret",
        }

    def account(self, **overrides: Any) -> Account:
        credentials = {**self.credentials(), **overrides.pop("credentials", {})}
        fields: dict[str, Any] = {
            "platform": self.platform,
            "external_id": self.external_id,
            "handle": self.handle,
            "credentials": credentials,
            "base_url": self.base_url,
        }
        return Account(**{**fields, **overrides})

    def connector(self, *, timeout: float = 1.0, **overrides: Any) -> Connector:
        """A connector for this fake's account, with a short timeout for fault tests."""
        # Plain http on 127.0.0.1: no certificates to load (that alone costs ~70 ms).
        # Every connection kept alive: with fewer kept than the threads a test runs,
        # httpcore 1.0.9 can close a connection it has just handed to a waiting request,
        # which then hangs until its timeout (encode/httpcore#1110; publishing's client
        # avoids it the same way, content/publishing/sending.py).
        http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            verify=False,  # noqa: S501
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=100),
        )
        connector = connector_class(self.platform)(self.account(**overrides), http=http)
        # Media "processing" in the fakes is instant or a few polls: do not sleep.
        connector.poll_interval = 0.001  # type: ignore[attr-defined]
        connector.poll_timeout = 5.0  # type: ignore[attr-defined]
        return connector

    def duplicates(self) -> dict[str, int]:
        """Captions (and Idempotency-Keys) published more than once."""
        with self.lock:
            found = {k: n for k, n in self.publish_counts.items() if n > 1}
            found.update({f"key:{k}": n for k, n in self.key_counts.items() if n > 1})
            return found

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "platform": self.platform,
                "published": sum(self.publish_counts.values()),
                "distinct_captions": len(self.publish_counts),
                "duplicates": self.duplicates(),
                "requests": len(self.request_log),
                "injected": dict(self.injected),
            }

    # --- for subclasses ------------------------------------------------------------------
    external_id: ClassVar[str] = "1000"
    handle: ClassVar[str] = "pemkot_bontang"

    def new_id(self) -> str:
        with self.lock:
            return str(next(self._ids))

    def now(self) -> datetime:
        # The fake's own clock: time-machine moves it in tests (a `clock.fixed_at` block
        # does not reach the server's threads).
        return clock.now()

    def record_publish(self, *, caption: str, key: str = "") -> None:
        with self.lock:
            self.publish_counts[caption] += 1
            if key:
                self.key_counts[key] += 1

    def issue_token(self) -> tuple[str, str]:
        """A new access token and refresh token (the old refresh token stops working)."""
        with self.lock:
            n = next(self._ids)
            self.access_token = f"{self.token_prefix}-valid-{n}"
            self.refresh_token = f"refresh-{n}"
            self.valid_tokens.add(self.access_token)
            return self.access_token, self.refresh_token

    def authorized(self, request: FakeRequest) -> bool:
        return request.bearer() in self.valid_tokens

    def error(self, kind: str) -> FakeResponse:
        """The platform's answer for an injected fault `kind`."""
        if kind == Fault.RATE_LIMIT:
            return FakeResponse(429, {"error": "rate limited"}, {"Retry-After": "7"})
        if kind == Fault.EXPIRED_TOKEN:
            return FakeResponse(401, {"error": "invalid token"})
        if kind in (Fault.INVALID_MEDIA, Fault.DUPLICATE):
            return FakeResponse(400, {"error": kind})
        return FakeResponse(503, {"error": "service unavailable"})

    def not_found(self) -> FakeResponse:
        return FakeResponse(404, {"error": "not found"})

    # --- dispatch ------------------------------------------------------------------------
    def _take_fault(self, signature: str) -> str:
        with self.lock:
            for fault in self._faults:
                if fault.path in signature:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    self.injected[fault.kind] += 1
                    return fault.kind
            if self.transient_error_rate and self._random.random() < self.transient_error_rate:
                kind = self._random.choice(self.transient_kinds)
                self.injected[kind] += 1
                return kind
        return ""

    def dispatch(self, request: FakeRequest) -> tuple[str, FakeResponse | None]:
        """(fault applied, response); response None means: drop the connection."""
        if request.path.startswith("/_fake/"):
            return "", self._control(request)
        if self.latency:
            time.sleep(self.latency)
        signature = f"{request.method} {request.path}"
        with self.lock:
            self.request_log.append((request.method, request.path))
        handler = None
        for method, pattern, candidate in self._routes:
            if method == request.method and (found := pattern.match(request.path)):
                request.match, handler = found, candidate
                break
        if handler is None:
            return "", self.not_found()
        fault = self._take_fault(signature)
        if fault in (Fault.TIMEOUT, Fault.CONNECTION_RESET, Fault.MALFORMED_JSON):
            return fault, None
        if fault and fault not in (Fault.COMMIT_THEN_TIMEOUT, Fault.COMMIT_THEN_SERVER_ERROR):
            return fault, self.error(fault)
        if not self.authorized(request):
            return "", self.error(Fault.EXPIRED_TOKEN)
        response = handler(request)
        if fault == Fault.COMMIT_THEN_TIMEOUT:
            return Fault.TIMEOUT, None
        if fault == Fault.COMMIT_THEN_SERVER_ERROR:
            return fault, FakeResponse(
                502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"}
            )
        return "", response

    def _control(self, request: FakeRequest) -> FakeResponse:
        if request.path == "/_fake/stats":
            return FakeResponse(200, self.stats())
        if request.path == "/_fake/fail" and request.method == "POST":
            data = request.json()
            self.fail_next(data["kind"], times=int(data.get("times", 1)), path=data.get("path", ""))
            return FakeResponse(200, {"ok": True})
        return FakeResponse(404, {"error": "unknown control"})


def vars_of(cls: type) -> dict[str, Any]:
    """Class attributes including inherited ones, nearest class first."""
    found: dict[str, Any] = {}
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            found.setdefault(name, value)
    return found


class _RequestHandler(BaseHTTPRequestHandler):
    platform_fake: ClassVar[FakePlatform]
    protocol_version = "HTTP/1.1"  # keep-alive, so clients reuse connections

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without NODELAY, Nagle and delayed ACKs
        # add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and benchmarks would drown in access logs

    def _handle(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = FakeRequest(
            method=self.command,
            path=split.path,
            query={k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()},
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        fake = self.platform_fake
        try:
            fault, response = fake.dispatch(request)
        except Exception as exc:  # a bug in a fake must show up as a 500, not a hang
            fault, response = "", FakeResponse(500, {"error": f"fake crashed: {exc!r}"})
        if response is None:
            if fault == Fault.MALFORMED_JSON:
                self._send(
                    FakeResponse(200, b'{"data": {"id": "12', {"Content-Type": "application/json"})
                )
                return
            if fault == Fault.TIMEOUT:
                time.sleep(fake.hang_seconds)
            self.close_connection = True
            return
        self._send(response)

    def _send(self, response: FakeResponse) -> None:
        if isinstance(response.body, bytes):
            payload = response.body
            ctype = "application/octet-stream"
        elif response.body is None:
            payload, ctype = b"", "application/json"
        else:
            payload, ctype = json.dumps(response.body).encode(), "application/json; charset=utf-8"
        self.send_response(response.status)
        headers = {"Content-Type": ctype, **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle
