"""Outgoing HTTP that cannot be turned against our own network (SSRF-safe).

Link checks, webhooks and media fetches take URLs that people typed. Before every
connection (the first and each redirect hop) we resolve the host ourselves, refuse
any address that is not globally routable, and connect to the vetted address while
keeping the original host name for the Host header and TLS (SNI and certificate
checks), so that a second DNS answer cannot swap in an internal address (DNS
rebinding). Timeouts and a response size cap bound every call.

    result = fetch("https://example.go.id/berita", method="HEAD")

Tests inject `resolver=` (host, port -> addresses) and `transport=` (an httpx
transport such as httpx.MockTransport) so that nothing reaches the internet.
"""

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

Resolver = Callable[[str, int], list[str]]

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
USER_AGENT = "warta-linkcheck/1.0 (+https://github.com/warta)"

# Networks that ipaddress does not flag but that must never be reached from here.
_EXTRA_BLOCKED = [
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT (shared address space)
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),  # benchmarking
    ipaddress.ip_network("64:ff9b:1::/48"),  # local-use NAT64
]


class UnsafeURLError(Exception):
    """The URL may not be fetched: wrong scheme, credentials, or a non-public address."""


class FetchError(Exception):
    """The fetch was allowed but failed: DNS, connection, timeout, too large, too many redirects."""


@dataclass(frozen=True)
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status_code: int
    headers: Mapping[str, str]
    content: bytes
    redirects: list[str] = field(default_factory=list)
    truncated: bool = False  # only when allow_truncate and the body passed max_bytes
    elapsed: float = 0.0


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form smuggles: mapped, compatible, NAT64, 6to4, Teredo."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    packed = ip.packed
    if ip in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(packed[-4:])
    if packed[:12] == bytes(12) and packed[12:] != bytes(4):  # deprecated ::a.b.c.d
        return ipaddress.IPv4Address(packed[-4:])
    return None


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (IPv4 or IPv6)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return is_public_address(str(inner))
    if (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    ):
        return False
    return not any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"DNS: {host}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the vetted IP to connect to


def vet_url(url: str, *, resolver: Resolver | None = None, allow_http: bool = True) -> Target:
    """Parse and resolve a URL; raise UnsafeURLError unless every address is public."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"URL tidak sah: {exc}") from exc
    scheme = parts.scheme.lower()
    allowed = {"https", "http"} if allow_http else {"https"}
    if scheme not in allowed:
        raise UnsafeURLError(f"skema tidak diizinkan: {scheme or '(kosong)'}")
    if parts.username or parts.password:
        raise UnsafeURLError("URL berisi nama pengguna/kata sandi")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeURLError("URL tanpa nama host")
    port = port or (443 if scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    addresses = [str(literal)] if literal is not None else (resolver or system_resolver)(host, port)
    if not addresses:
        raise FetchError(f"DNS: {host}: tidak ada alamat")
    # Refuse when ANY answer is internal: a mixed answer is the classic rebinding trick.
    bad = [a for a in addresses if not is_public_address(a)]
    if bad:
        raise UnsafeURLError(f"{host} menunjuk ke alamat non-publik {bad[0]}")
    return Target(scheme=scheme, host=host, port=port, address=addresses[0])


def _pinned_url(url: str, target: Target) -> str:
    parts = urlsplit(url)
    ip = ipaddress.ip_address(target.address)
    netloc = f"[{ip}]" if ip.version == 6 else str(ip)
    default = 443 if target.scheme == "https" else 80
    if target.port != default:
        netloc += f":{target.port}"
    return parts._replace(scheme=target.scheme, netloc=netloc).geturl()


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allow_http: bool = True,
    allow_truncate: bool = False,
) -> FetchResult:
    """Fetch url safely; raise UnsafeURLError (refused) or FetchError (failed).

    `timeout` bounds the whole call, redirects included. Bodies larger than max_bytes
    raise FetchError, or come back cut with `truncated=True` when allow_truncate.
    """
    started = time.monotonic()
    deadline = started + timeout
    redirects: list[str] = []
    current = url
    method = method.upper()
    body = content
    with httpx.Client(transport=transport, follow_redirects=False, trust_env=False) as client:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError("batas waktu habis")
            target = vet_url(current, resolver=resolver, allow_http=allow_http)
            request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
            request_headers["Host"] = (
                target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
            )
            request = client.build_request(
                method,
                _pinned_url(current, target),
                headers=request_headers,
                content=body,
                timeout=httpx.Timeout(remaining),
                # TLS is checked against the name, not the pinned IP.
                extensions={"sni_hostname": target.host},
            )
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError("batas waktu habis") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"gagal tersambung: {exc}") from exc
            try:
                if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                    if len(redirects) >= max_redirects:
                        raise FetchError("terlalu banyak pengalihan")
                    current = urljoin(current, response.headers["location"])
                    redirects.append(current)
                    if response.status_code == 303 or (
                        response.status_code in (301, 302) and method == "POST"
                    ):
                        method, body = "GET", None
                    continue
                data, truncated = _read_capped(response, max_bytes, deadline, allow_truncate)
                return FetchResult(
                    url=url,
                    final_url=current,
                    status_code=response.status_code,
                    headers=dict(response.headers),
                    content=data,
                    redirects=redirects,
                    truncated=truncated,
                    elapsed=time.monotonic() - started,
                )
            finally:
                response.close()


def _read_capped(
    response: httpx.Response, max_bytes: int, deadline: float, allow_truncate: bool
) -> tuple[bytes, bool]:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes and not allow_truncate:
        raise FetchError(f"respons terlalu besar ({declared} bita > {max_bytes})")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                raise FetchError("batas waktu habis")
            size += len(chunk)
            if size > max_bytes:
                if allow_truncate:
                    chunks.append(chunk[: max_bytes - (size - len(chunk))])
                    return b"".join(chunks), True
                raise FetchError(f"respons terlalu besar (> {max_bytes} bita)")
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise FetchError("batas waktu habis") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"gagal membaca: {exc}") from exc
    return b"".join(chunks), False


# --- a transport for clients that talk to user-influenced hosts (connectors) -------------


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL, the unit a trust decision is made for."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    return scheme, host, parts.port or (443 if scheme == "https" else 80)


class GuardedTransport(httpx.BaseTransport):
    """Vet and pin every request an httpx client sends (so every redirect hop too).

    Requests to a `trusted` origin (an API root an operator put in settings, which alone
    may be a loopback sandbox; a callable is asked at each request) pass as they are. Any other request must be https to a
    host whose every address is public; it is sent to the vetted address, keeping the
    name for the Host header and TLS, so a second DNS answer cannot swap the target.
    Raises UnsafeURLError (refused, nothing was sent) or FetchError (DNS failed).
    """

    # A name's DNS answer is reused for this many seconds: a publishing burst sends
    # hundreds of requests a second to one API host, and a look-up each is a blocking
    # call to the office's resolver. Each request still checks every address of the
    # answer and connects to a vetted one; a failed look-up is not kept.
    DNS_SECONDS = 30.0
    DNS_NAMES = 1024

    def __init__(
        self,
        *,
        trusted: Iterable[str] | Callable[[], Iterable[str]] = (),
        resolver: Resolver | None = None,
        inner: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        **transport_options: object,
    ) -> None:
        self._trusted = trusted
        self._lookup = resolver
        self._clock = clock
        self._answers: dict[tuple[str, int], tuple[float, list[str]]] = {}
        self._answers_lock = threading.Lock()
        self._inner = inner or httpx.HTTPTransport(**transport_options)  # type: ignore[arg-type]

    def _resolver(self, host: str, port: int) -> list[str]:
        now = self._clock()
        with self._answers_lock:
            kept = self._answers.get((host, port))
        if kept is not None and now - kept[0] < self.DNS_SECONDS:
            return kept[1]
        addresses = (self._lookup or system_resolver)(host, port)
        with self._answers_lock:
            if len(self._answers) >= self.DNS_NAMES:
                self._answers.clear()
            self._answers[(host, port)] = (now, addresses)
        return addresses

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        trusted = self._trusted() if callable(self._trusted) else self._trusted
        if origin(url) in {origin(u) for u in trusted if u}:
            return self._inner.handle_request(request)
        target = vet_url(url, resolver=self._resolver, allow_http=False)
        request.url = httpx.URL(_pinned_url(url, target))
        # The client set Host from the name already; TLS checks the certificate by name.
        request.extensions = {**request.extensions, "sni_hostname": target.host}
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def guarded_client(
    *, trusted: Iterable[str] | Callable[[], Iterable[str]] = (), **options: object
) -> httpx.Client:
    """An httpx client whose every connection goes through GuardedTransport.

    `options`: verify, limits, cert, http2 for the transport; timeout and the rest for the
    client. Redirects are not followed unless asked, and each hop is vetted when they are.
    """
    transport_keys = {"verify", "limits", "cert", "http1", "http2", "retries"}
    transport = {k: v for k, v in options.items() if k in transport_keys}
    client = {k: v for k, v in options.items() if k not in transport_keys}
    return httpx.Client(
        transport=GuardedTransport(trusted=trusted, inner=httpx.HTTPTransport(**transport)),  # type: ignore[arg-type]
        trust_env=False,
        **client,  # type: ignore[arg-type]
    )
