"""The SSRF-safe fetcher: refusals by address and scheme, and the allowed path via fakes."""

import httpx
import pytest

from warta.lib.safe_http import FetchError, UnsafeURLError, fetch, is_public_address, vet_url


def public(host: str, port: int) -> list[str]:
    return {"example.go.id": ["103.10.20.30"], "cdn.example.id": ["2001:4860:4860::8888"]}.get(
        host, ["93.184.216.34"]
    )


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "198.18.0.5",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "not-an-ip",
    ],
)
def test_it_refuses_non_public_addresses(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2001:4860:4860::8888"])
def test_it_accepts_public_addresses(address: str) -> None:
    assert is_public_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:169.254.169.254]/latest/",
        "ftp://example.go.id/",
        "file:///etc/passwd",
        "https://user:pw@example.go.id/",
        "javascript:alert(1)",
    ],
)
def test_it_refuses_unsafe_urls_before_connecting(url: str) -> None:
    def transport_handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("must not connect")

    with pytest.raises(UnsafeURLError):
        fetch(url, resolver=public, transport=httpx.MockTransport(transport_handler))


def test_it_refuses_a_name_that_resolves_to_a_private_address() -> None:
    with pytest.raises(UnsafeURLError):
        vet_url("https://intranet.example.id/", resolver=lambda h, p: ["103.10.20.31", "10.0.0.5"])


def test_it_connects_to_the_vetted_address_and_keeps_the_host_name() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="ok")

    result = fetch(
        "https://example.go.id/berita?id=1", resolver=public, transport=httpx.MockTransport(handler)
    )
    assert result.status_code == 200 and result.content == b"ok"
    assert seen[0].url.host == "103.10.20.30"
    assert seen[0].url.path == "/berita" and seen[0].url.query == b"id=1"
    assert seen[0].headers["host"] == "example.go.id"
    assert seen[0].extensions["sni_hostname"] == "example.go.id"


def test_it_brackets_ipv6_addresses() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(204)

    fetch("https://cdn.example.id:8443/a", resolver=public, transport=httpx.MockTransport(handler))
    assert seen == ["https://[2001:4860:4860::8888]:8443/a"]


def test_it_rechecks_every_redirect_hop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data"})

    with pytest.raises(UnsafeURLError):
        fetch("https://example.go.id/", resolver=public, transport=httpx.MockTransport(handler))


def test_it_follows_safe_redirects_and_limits_them() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/lama":
            return httpx.Response(301, headers={"location": "/baru"})
        if request.url.path == "/loop":
            return httpx.Response(302, headers={"location": "/loop"})
        return httpx.Response(200, text="baru")

    transport = httpx.MockTransport(handler)
    result = fetch("https://example.go.id/lama", resolver=public, transport=transport)
    assert result.final_url == "https://example.go.id/baru" and result.content == b"baru"
    with pytest.raises(FetchError, match="pengalihan"):
        fetch("https://example.go.id/loop", resolver=public, transport=transport, max_redirects=3)


def test_it_caps_the_response_size() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 5000)

    transport = httpx.MockTransport(handler)
    with pytest.raises(FetchError, match="terlalu besar"):
        fetch("https://example.go.id/", resolver=public, transport=transport, max_bytes=1000)
    cut = fetch(
        "https://example.go.id/",
        resolver=public,
        transport=transport,
        max_bytes=1000,
        allow_truncate=True,
    )
    assert cut.truncated and len(cut.content) == 1000


def test_it_reports_timeouts_as_fetch_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchError, match="batas waktu"):
        fetch("https://example.go.id/", resolver=public, transport=httpx.MockTransport(handler))


def test_it_can_require_https() -> None:
    with pytest.raises(UnsafeURLError):
        vet_url("http://example.go.id/", resolver=public, allow_http=False)
