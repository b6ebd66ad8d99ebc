"""A tiny threaded fake platform for the publishing benchmark, and its connector.

The server answers POST /posts (publish) after a fixed latency, failing a share of
requests with 503 before taking the post; GET /posts?key=K answers whether a post with
that idempotency key exists. It counts every post it takes, per key, so the benchmark
can count duplicates and losses on the platform's side.
"""

import atexit
import contextlib
import json
import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx

PLATFORM = "benchfake"


class FakeState:
    def __init__(self, latency: float, error_rate: float, seed: int = 7, cap: int = 0) -> None:
        self.latency = latency
        self.error_rate = error_rate
        self.cap = cap  # posts it takes at most (a daily cap), 0: none; beyond it a 429
        self.refused = 0
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.accepted: dict[str, list[float]] = {}  # key → accept times (epoch seconds)
        self.first_tried: dict[str, float] = {}  # key → its first request, whatever came of it
        self.requests = 0
        self.errors = 0
        self.taken = 0


def make_server(state: FakeState, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm on, the body
        # waits for the client's delayed ACK, about 40 ms added to every request.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, code: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            arrived = time.time()
            time.sleep(state.latency)
            with state.lock:
                state.first_tried.setdefault(payload["key"], arrived)
                state.requests += 1
                fail = state.rng.random() < state.error_rate
                over = bool(state.cap) and state.taken >= state.cap
                if over:
                    state.refused += 1
                elif fail:
                    state.errors += 1
                else:
                    state.accepted.setdefault(payload["key"], []).append(time.time())
                    state.taken += 1
                    n = state.taken
            if over:
                self._send(429, {"error": "daily cap reached"})
            elif fail:
                self._send(503, {"error": "temporarily unavailable"})
            else:
                self._send(200, {"id": f"p{n}", "url": f"https://fake.example/p{n}"})

        def do_GET(self) -> None:
            key = parse_qs(urlparse(self.path).query).get("key", [""])[0]
            time.sleep(state.latency)
            with state.lock:
                hits = state.accepted.get(key, [])
            self._send(200, {"data": [{"id": f"k-{key}"}] if hits else []})

    server = _QuietServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


class _QuietServer(ThreadingHTTPServer):
    """Says nothing of a client that went away (`--kill`: the SIGKILLed worker's sockets
    reset); any other error in a handler is still printed."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def register_connector(cap: int = 0) -> None:
    """The connector, and the fake's cap as a documented budget (per app, 24 hours)."""
    from datetime import timedelta

    from warta.connectors import ratelimits

    cap = cap or int(os.environ.get("BENCH_CAP", "0"))
    if cap:
        ratelimits.DOCUMENTED[PLATFORM] = (
            ratelimits.Budget("posts_24h", ratelimits.APP, cap, timedelta(hours=24), "bench"),
        )
    from warta.connectors.base import (
        Connector,
        PublishRequest,
        PublishResult,
        RemotePost,
        TransientError,
        register,
    )

    stats = _CallStats(os.environ.get("BENCH_STATS_DIR", ""))

    @register(PLATFORM)
    class BenchConnector(Connector):
        # Its search is exact, by our key: None means "not there", so a retry is safe.
        find_post_conclusive = True

        def publish(self, request: PublishRequest) -> PublishResult:
            with stats.call():
                return self._publish(request)

        def _publish(self, request: PublishRequest) -> PublishResult:
            try:
                response = self.http.post(
                    f"{self.base_url}/posts",
                    json={"key": request.idempotency_key, "caption": request.caption},
                )
            except httpx.TransportError as exc:
                raise TransientError(str(exc)) from exc
            if response.status_code >= 500 or response.status_code == 429:
                raise TransientError(f"HTTP {response.status_code}")
            data = response.json()
            return PublishResult(platform_post_id=data["id"], url=data["url"])

        def find_post(
            self, idempotency_key: str, *, since: datetime, request: PublishRequest | None = None
        ) -> RemotePost | None:
            with stats.call():
                return self._find_post(idempotency_key)

        def _find_post(self, idempotency_key: str) -> RemotePost | None:
            try:
                response = self.http.get(f"{self.base_url}/posts", params={"key": idempotency_key})
            except httpx.TransportError as exc:
                raise TransientError(str(exc)) from exc
            items = response.json()["data"]
            return RemotePost(platform_post_id=items[0]["id"]) if items else None


class _CallStats:
    """A worker's platform calls as its threads saw them (count, seconds, first and last),
    written to DIR/<pid>.json now and then and at exit: the benchmark tells from them how
    full the in-flight window was kept and how long a request took on the worker's side."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, f"{os.getpid()}.json") if directory else ""
        self.lock = threading.Lock()
        self.calls, self.seconds, self.first, self.last, self.written = 0, 0.0, 0.0, 0.0, 0.0
        if self.path:
            atexit.register(self.write)

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        start = time.time()
        try:
            yield
        finally:
            end = time.time()
            with self.lock:
                self.calls += 1
                self.seconds += end - start
                self.first = self.first or start
                self.last = max(self.last, end)
                due = self.path and end - self.written > 0.5
            if due:
                self.write()

    def write(self) -> None:
        if not self.path:
            return
        with self.lock:
            data = {"calls": self.calls, "seconds": self.seconds}
            data.update(first=self.first, last=self.last)
            self.written = time.time()
        tmp = f"{self.path}.tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, self.path)
