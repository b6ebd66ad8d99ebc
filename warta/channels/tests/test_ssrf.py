"""SSRF through a channel's server address (issue 17, finding 1).

The attack: an officer sets a Mastodon channel's `base_url` to an internal address and
schedules a post; the worker called that address with the token and showed its answer.
Here a listener on loopback counts every connection it gets, and whatever address the
officer enters (form or stored credentials), publishing, metrics and the inbox open none.
"""

import contextlib
import http.server
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from django.test import Client, TestCase

from warta.analytics.services import metrics_sync_channel
from warta.channels.models import Channel
from warta.connectors.base import connector_http
from warta.content import publishing
from warta.content.models import PostVariant
from warta.content.tests.conftest import make_variant
from warta.engagement.platform import connector_for
from warta.lib import crypto, safe_http
from warta.testing.fixtures import World

pytestmark = pytest.mark.django_db


class Listener:
    """Accepts on 127.0.0.1 and [::1] (same port) and counts connections; answers nothing."""

    def __init__(self) -> None:
        self.count = 0
        self.sockets = [socket.create_server(("127.0.0.1", 0))]
        self.port = self.sockets[0].getsockname()[1]
        with contextlib.suppress(OSError):  # no IPv6 loopback here: IPv4 still counts
            self.sockets.append(socket.create_server(("::1", self.port), family=socket.AF_INET6))
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, args=(s,)) for s in self.sockets]
        for thread in self._threads:
            thread.start()

    def _accept(self, server: socket.socket) -> None:
        server.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        for server in self.sockets:
            server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(autouse=True)
def internal_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS names an attacker controls: one resolves to loopback, one answers both ways."""
    real = safe_http.system_resolver
    names = {
        "intranet.warta.test": ["127.0.0.1"],
        "rebind.warta.test": ["93.184.216.34", "127.0.0.1"],
        "v6.warta.test": ["::1"],
    }
    monkeypatch.setattr(
        safe_http, "system_resolver", lambda host, port: names.get(host) or real(host, port)
    )


def addresses(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}",
        f"https://127.0.0.1:{port}",
        f"https://localhost:{port}",
        f"https://[::1]:{port}",
        f"https://0x7f000001:{port}",
        f"https://2130706433:{port}",
        f"https://0177.0.0.1:{port}",
        f"https://[::ffff:127.0.0.1]:{port}",
        f"https://intranet.warta.test:{port}",
        f"https://rebind.warta.test:{port}",
        f"https://v6.warta.test:{port}",
        f"http://example.org:{port}",  # public, but not https
    ]


def mastodon_channel(world: World, base_url: str, handle: str = "@dinkes") -> Channel:
    return Channel.objects.create(
        agency=world.agency_a,
        platform="mastodon",
        handle=f"{handle}@sosial.example",
        external_id="109",
        mode="api",
        credentials_encrypted=crypto.encrypt_json({"access_token": "SECRET", "base_url": base_url}),
    )


def test_the_credentials_form_refuses_every_internal_address(
    world: World, alice_client: Client, listener: Listener
) -> None:
    channel = mastodon_channel(world, "https://sosial.example")
    stored = channel.credentials_encrypted
    for address in addresses(listener.port):
        response = alice_client.post(
            f"/kanal/{channel.pk}/kredensial/", {"access_token": "TOKEN", "base_url": address}
        )
        assert response.status_code == 200, address
        assert "base_url" in response.context["credentials_form"].errors, address
        channel.refresh_from_db()
        assert channel.credentials_encrypted == stored, address  # nothing replaced
    assert listener.count == 0


def test_no_connection_reaches_an_internal_address_stored_in_credentials(
    world: World, listener: Listener
) -> None:
    """Credentials stored before the check (or by any other way in): refused at connect."""
    for n, address in enumerate(addresses(listener.port)):
        channel = mastodon_channel(world, address, handle=f"@kanal{n}")
        variant = make_variant(world, channel, caption=f"Info {address}")
        with TestCase.captureOnCommitCallbacks(execute=True):
            publishing.publish_batch([variant.pk])
        variant.refresh_from_db()
        assert variant.status == PostVariant.Status.FAILED, (address, variant.status)
        assert "ditolak" in variant.last_error or "menghubungi" in variant.last_error
        assert metrics_sync_channel(channel=channel).errors, address
        with pytest.raises(Exception, match=r"ditolak|menghubungi"):
            connector_for(channel).fetch_followers()
    assert listener.count == 0


def test_a_base_url_in_other_platforms_credentials_is_ignored(world: World) -> None:
    channel = Channel.objects.create(
        agency=world.agency_a,
        platform="x",
        handle="@dinkes",
        mode="api",
        credentials_encrypted=crypto.encrypt_json({"access_token": "T", "base_url": "http://x"}),
    )
    assert connector_for(channel).base_url == "https://api.x.com"


class _Redirect(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.target + self.path)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_redirect_to_loopback_is_not_followed_even_from_the_sandbox(
    world: World, listener: Listener, settings: object
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    _Redirect.target = f"http://127.0.0.1:{listener.port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sandbox = f"http://127.0.0.1:{server.server_address[1]}"
    settings.WARTA_CONNECTOR_BASE_URLS = {"mastodon": sandbox}  # type: ignore[attr-defined]
    try:
        channel = mastodon_channel(world, "https://sosial.example")
        with pytest.raises(Exception):  # noqa: B017 - any refusal; the count is the point
            connector_for(channel).fetch_followers()
        # A client that does follow redirects vets each hop: the second one is refused.
        with connector_http("mastodon", follow_redirects=True) as client:
            with pytest.raises(safe_http.UnsafeURLError):
                client.get(f"{sandbox}/api/v1/accounts/verify_credentials")
            _Redirect.target = f"https://localhost:{listener.port}"
            with pytest.raises(safe_http.UnsafeURLError):
                client.get(f"{sandbox}/again")
    finally:
        server.shutdown()
        server.server_close()
    assert listener.count == 0


def test_a_public_address_is_connected_to_as_vetted_keeping_the_name() -> None:
    """Pinned: the connection goes to the address that was checked, TLS still by name."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    transport = safe_http.GuardedTransport(
        resolver=lambda host, port: ["93.184.216.34"], inner=httpx.MockTransport(answer)
    )
    with httpx.Client(transport=transport) as client:
        assert client.get("https://sosial.example/api/v1/instance").json() == {"ok": True}
    [request] = seen
    assert request.url.host == "93.184.216.34" and request.headers["host"] == "sosial.example"
    assert request.extensions["sni_hostname"] == "sosial.example"


def test_the_sandbox_override_lives_in_settings_and_reaches_the_fake(
    world: World, fake_platform: object
) -> None:
    fake = fake_platform("mastodon")  # type: ignore[operator]
    channel = mastodon_channel(world, "https://sosial.example")
    channel.credentials_encrypted = crypto.encrypt_json(fake.credentials())
    channel.external_id = fake.external_id
    channel.save()
    assert connector_for(channel).base_url == fake.base_url
    assert connector_for(channel).fetch_followers() >= 0


def test_a_burst_asks_dns_once_and_a_later_answer_is_vetted_again() -> None:
    """Hundreds of requests a second to one API host share one look-up for 30 s; the
    answer after that is checked afresh, so a name turned internal is still refused."""
    answers = [["93.184.216.34"], ["10.0.0.5"]]
    asked: list[str] = []
    now = [1000.0]

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[len(asked) - 1]

    transport = safe_http.GuardedTransport(
        resolver=resolve,
        inner=httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True})),
        clock=lambda: now[0],
    )
    with httpx.Client(transport=transport) as client:
        for _ in range(50):
            assert client.post("https://graph.example/v21.0/1/feed").status_code == 200
        assert asked == ["graph.example"]
        now[0] += 31
        with pytest.raises(safe_http.UnsafeURLError):
            client.post("https://graph.example/v21.0/1/feed")
    assert asked == ["graph.example", "graph.example"]
