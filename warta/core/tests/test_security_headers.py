"""Every page, every role: strict CSP actually honoured by the markup, and the security headers.

The URL list comes from the resolver (test_permission_matrix), so new pages are covered
the day they land. A page passes when its HTML has no inline script without the request's
nonce, no inline style (attribute or block), and no inline event handler.
"""

import re
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from warta.core.tests.test_permission_matrix import URLS
from warta.testing.fixtures import PASSWORD, World, client_for

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
EVENT_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def csp_problems(html: str, nonce: str | None) -> list[str]:
    problems = []
    for attrs in SCRIPT_TAG.findall(html):
        # A JSON data block (json_script) is never executed, so script-src does not apply.
        if 'type="application/json"' in attrs:
            continue
        if "src=" not in attrs and not (nonce and f'nonce="{nonce}"' in attrs):
            problems.append(f"inline <script{attrs}> without the nonce")
    if STYLE_ATTR.search(html):
        problems.append("style= attribute: " + STYLE_ATTR.search(html).group(0)[:80])  # type: ignore[union-attr]
    if STYLE_BLOCK.search(html):
        problems.append("<style> block")
    if EVENT_ATTR.search(html):
        problems.append("inline event handler: " + EVENT_ATTR.search(html).group(0)[:80])  # type: ignore[union-attr]
    if JS_URL.search(html):
        problems.append("javascript: URL")
    return problems


def _html_pages(client: Client) -> list[tuple[str, Any]]:
    pages: list[tuple[str, Any]] = []
    for url, _name in URLS:
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages.append((url, response))
    return pages


@pytest.mark.parametrize("role", ["anonymous", "alice", "cora"])
def test_every_page_keeps_to_the_content_security_policy(world: World, role: str) -> None:
    client = Client() if role == "anonymous" else client_for(getattr(world, role))
    pages = _html_pages(client)
    assert pages, "no HTML page answered 200"
    failures = {}
    for url, response in pages:
        csp = response["Content-Security-Policy"]  # type: ignore[index]
        nonce = re.search(r"'nonce-([^']+)'", csp)
        # Scripts from warta itself, plus those carrying this answer's nonce; a page with
        # no script of its own (the offline page, stored by the service worker) has none.
        assert re.search(r"script-src 'self'( 'nonce-[^' ]+')?(;|$)", csp), url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, url
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, url
        found = csp_problems(response.content.decode(), nonce.group(1) if nonce else None)  # type: ignore[attr-defined]
        if found:
            failures[url] = found
    assert failures == {}


@pytest.mark.parametrize("url", ["/masuk/", "/", "/healthz", "/api/v1/schema/"])
def test_every_answer_carries_the_security_headers(world: World, url: str) -> None:
    response = client_for(world.cora).get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Server" not in response or "Django" not in response["Server"]


def test_the_session_cookie_is_http_only_and_same_site(world: World) -> None:
    client = Client()
    client.post("/masuk/", {"username": "alice", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_secure_cookies_follow_the_setting_and_default_on_outside_debug() -> None:
    code = (
        "import os; os.environ.update({k: v for k, v in [a.split('=', 1) for a in os.sys.argv[1:]]});"
        "import warta.testing.settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )

    def read(*env: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", code, *env], capture_output=True, check=True, text=True
        )
        return out.stdout.strip()

    assert read("WARTA_SECURE_COOKIES=1") == "True True True"


def test_a_session_ends_on_logout_and_cannot_be_replayed(world: World) -> None:
    client = Client()
    client.post("/masuk/", {"username": "alice", "password": PASSWORD})
    stolen = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    client.post("/keluar/")
    replay = Client()
    replay.cookies["sessionid"] = stolen
    response = replay.get("/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_login_changes_the_session_key(world: World) -> None:
    client = Client()
    client.get("/masuk/")
    client.cookies["sessionid"] = "fixated-session-key-from-an-attacker"
    client.post("/masuk/", {"username": "alice", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "fixated-session-key-from-an-attacker"


def test_the_checker_itself_catches_each_kind_of_inline_code() -> None:
    assert csp_problems('<script nonce="n1">x()</script><script src="/a.js"></script>', "n1") == []
    assert len(csp_problems("<script>x()</script>", "n1")) == 1
    assert len(csp_problems('<p style="color:red">', None)) == 1
    assert len(csp_problems("<style>p{}</style>", None)) == 1
    assert len(csp_problems('<img src=x onerror="alert(1)">', None)) == 1
    assert len(csp_problems('<a href="javascript:alert(1)">', None)) == 1
