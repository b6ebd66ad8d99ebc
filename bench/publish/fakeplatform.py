"""A tiny fake platform for the publishing benchmark, and its connector.

The server answers POST /posts (publish) after a fixed latency, failing a share of
requests with 503 before taking the post; GET /posts?key=K answers whether a post with
that idempotency key exists. It counts every post it takes, per key, so the benchmark
can count duplicates and losses on the platform's side.
"""

import asyncio
import atexit
import contextlib
import json
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime
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


def make_server(state: FakeState, port: int = 0) -> "FakeServer":
    return FakeServer(state, port)


class FakeServer:
    """The fake on an asyncio loop in a thread of its own.

    http.server's thread per connection and header parsing cost about 1 ms of CPU a
    request: at 550 requests/s the fake took 0.6 of the machine's 2 cores from the workers
    it measures. A request here is a few lines read off one event loop (about 0.1 ms), and
    the latency an `asyncio.sleep`. HTTP/1.1 with keep-alive, Content-Length bodies (what
    the connector sends); asyncio's TCP sockets have Nagle's algorithm off.
    """

    def __init__(self, state: FakeState, port: int = 0) -> None:
        self.state = state
        self._sock = socket.create_server(("127.0.0.1", port))
        self.server_address = self._sock.getsockname()
        self._loop = asyncio.new_event_loop()

    def serve_forever(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(asyncio.start_server(self._client, sock=self._sock))
        self._loop.run_forever()

    def shutdown(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while request := await reader.readline():
                method, target = request.decode("latin-1").split()[:2]
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                body = await reader.readexactly(length) if length else b""
                code, answer = await self._answer(method, target, body)
                data = json.dumps(answer).encode()
                writer.write(
                    f"HTTP/1.1 {code} {_REASONS[code]}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # a client that went away (the SIGKILLed worker of --kill runs)
        finally:
            writer.close()

    async def _answer(self, method: str, target: str, body: bytes) -> tuple[int, dict]:
        state = self.state
        if method == "GET":
            key = parse_qs(urlparse(target).query).get("key", [""])[0]
            await asyncio.sleep(state.latency)
            with state.lock:
                hits = state.accepted.get(key, [])
            return 200, {"data": [{"id": f"k-{key}"}] if hits else []}
        payload = json.loads(body or b"{}")
        arrived = time.time()
        await asyncio.sleep(state.latency)
        with state.lock:
            state.first_tried.setdefault(payload["key"], arrived)
            state.requests += 1
            fail = state.rng.random() < state.error_rate
            if state.cap and state.taken >= state.cap:
                state.refused += 1
                return 429, {"error": "daily cap reached"}
            if fail:
                state.errors += 1
                return 503, {"error": "temporarily unavailable"}
            state.accepted.setdefault(payload["key"], []).append(time.time())
            state.taken += 1
            n = state.taken
        return 200, {"id": f"p{n}", "url": f"https://fake.example/p{n}"}


_REASONS = {200: "OK", 429: "Too Many Requests", 503: "Service Unavailable"}


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
