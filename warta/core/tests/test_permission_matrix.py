"""Every URL, every role: deny by default, and never a server error.

The URL list is read from the resolver, so a new page is covered the day it is added.
Pages that must be public are named in PUBLIC; everything else must turn a visitor
without a session away. Per-object ownership (officer of agency B reading agency A's
things) is tested in each app with real objects.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from warta.testing.fixtures import World, client_for

# URL names reachable without signing in.
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "api_schema",
    "first_run",
    "setup_region",
    # Installable warta: the manifest, the service worker and the offline page hold no data.
    "manifest",
    "service_worker",
    "offline",
    # The one-time set-password link a new officer receives (it checks its own token).
    "password_set",
    # The public side of consultations ("you said, we did") and its input form.
    "public_consultation_list",
    "public_consultation_detail",
    "public_consultation_submit",
    "public_region",
    "public_consultation",
}
SKIP_PREFIXES = ("admin/", "media/", "static/")
FILL = {"int": "999999", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.uuid4())}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:  # type: ignore[type-arg]
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            out += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if route.startswith(SKIP_PREFIXES) or "(?P" in route or route.startswith("^"):
                continue
            for conv, value in FILL.items():
                while f"<{conv}:" in route:
                    start = route.index(f"<{conv}:")
                    route = route[:start] + value + route[route.index(">", start) + 1 :]
            out.append(("/" + route, f"{namespace}{p.name or ''}"))
    return out


URLS = sorted(set(_walk(get_resolver().url_patterns)))


def _bare(name: str) -> str:
    return name.rsplit(":", 1)[-1]


@pytest.mark.parametrize(("url", "name"), URLS)
def test_a_visitor_without_a_session_is_turned_away(world: World, url: str, name: str) -> None:
    response = Client().get(url)
    assert response.status_code < 500, url
    if _bare(name) in PUBLIC or name in PUBLIC:
        return
    if response.status_code in (301, 302):
        assert "/masuk/" in response["Location"], (
            f"{url} redirects elsewhere: {response['Location']}"
        )
    else:
        assert response.status_code in (401, 403, 404, 405), (
            f"{url} answered {response.status_code}"
        )


@pytest.mark.parametrize("role", ["alice", "cora", "hana", "bob"])
def test_no_page_answers_a_server_error_to_any_role(world: World, role: str) -> None:
    client = client_for(getattr(world, role))
    failures = [url for url, _ in URLS if client.get(url).status_code >= 500]
    assert failures == []
