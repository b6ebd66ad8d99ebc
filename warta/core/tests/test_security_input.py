"""Hostile input through every form and every API write endpoint on the site.

Forms are found by crawling every page (the resolver's URL list) as a coordinator and
an officer and reading each POST form's fields; API write endpoints come from the OpenAPI
document. Each field gets each string of the corpus (warta.core.tests.hostile). The site
must never answer 500, and afterwards no page may show a payload interpreted (raw HTML,
an evaluated template tag). New forms and endpoints are covered the day they land.
"""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from warta.core.tests.hostile import CORPUS, RAW_MARKERS
from warta.core.tests.test_permission_matrix import URLS
from warta.testing.fixtures import World, client_for

# Forms whose posting ends the session or only switches language: nothing to store.
SKIP_ACTIONS = ("/keluar/", "/bahasa/")
TEXT_TYPES = {"text", "search", "email", "url", "tel", "", None}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (a.get("method") or "get").lower(),
                    "action": a.get("action") or "",
                    "fields": {},
                    "text": [],
                    "files": [],
                }
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in TEXT_TYPES:
                form["text"].append(name)
                form["fields"][name] = a.get("value") or ""
            elif kind == "file":
                form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"][name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "reset", "image"):
                form["fields"][name] = a.get("value") or ""
        elif tag == "textarea" and name:
            form["text"].append(name)
            form["fields"][name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and self._select not in form["fields"]:
            form["fields"][self._select] = a.get("value") or ""
        elif tag == "button" and name and a.get("value") is not None:
            form["fields"].setdefault(name, a.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


LINK = re.compile(r'href="(/[^"#?]*)"')
NO_FOLLOW = ("/keluar/", "/admin/", "/static/", "/media/", "/api/")
MAX_PAGES = 400


def _crawl(client: Client) -> dict[str, str]:
    """The resolver's URLs, then the same-site links they show (real objects' pages)."""
    pages: dict[str, str] = {}
    queue = [url for url, _name in URLS]
    seen = set(queue)
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        pages[url] = html = response.content.decode()
        for link in LINK.findall(html):
            if link not in seen and not link.startswith(NO_FOLLOW):
                seen.add(link)
                queue.append(link)
    return pages


def _post_forms(client: Client) -> list[str]:
    """Every POST form, each text field filled with each corpus string; the 500s found."""
    errors = []
    for url, html in _crawl(client).items():
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            action = form["action"] or url
            if form["method"] != "post" or action.startswith(SKIP_ACTIONS) or not form["text"]:
                continue
            for label, payload in CORPUS.items():
                data = dict(form["fields"])
                data.update({name: payload for name in form["text"]})
                response = client.post(action, data)
                if response.status_code >= 500:
                    errors.append(f"{action} ({label}) from {url}: {response.status_code}")
    return errors


def _assert_nothing_interpreted(client: Client) -> None:
    for url, html in _crawl(client).items():
        for marker in RAW_MARKERS:
            assert marker not in html, f"{url} shows {marker!r} unescaped"


@pytest.mark.parametrize("role", ["cora", "alice"])
def test_every_form_survives_hostile_text_and_shows_it_inert(world: World, role: str) -> None:
    client = client_for(getattr(world, role))
    assert _post_forms(client) == []
    _assert_nothing_interpreted(client)
    _assert_nothing_interpreted(client_for(world.cora))


def _example(schema: dict[str, Any], components: dict[str, Any], payload: str) -> Any:
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components, payload)
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            return _example(schema[key][0], components, payload)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {
            name: _example(sub, components, payload)
            for name, sub in props.items()
            if not sub.get("readOnly")
        }
    if kind == "array":
        return [_example(schema.get("items", {}), components, payload)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2030-01-01T10:00:00+08:00"
    if fmt == "date":
        return "2030-01-01"
    if fmt == "uri":
        return "https://example.com/" + payload[:50]
    return payload


def _write_operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document.get("components", {}).get("schemas", {})
    out = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            out.append((method, path, {"schema": body or {}, "components": components}))
    return out


def test_every_api_write_endpoint_survives_hostile_text(world: World) -> None:
    client = client_for(world.cora)
    errors = []
    for method, path, spec in _write_operations():
        url = path
        while "{" in url:
            start = url.index("{")
            url = url[:start] + "1" + url[url.index("}", start) + 1 :]
        for label, payload in CORPUS.items():
            body = _example(spec["schema"], spec["components"], payload)
            response = getattr(client, method)(url, body, content_type="application/json")
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {url} ({label}): {response.status_code}")
    assert errors == []
    _assert_nothing_interpreted(client)


def test_the_crawler_finds_the_login_form() -> None:
    parser = _Forms()
    parser.feed(
        '<form method="post"><input type="hidden" name="csrf" value="t">'
        '<input name="username"><textarea name="note"></textarea>'
        '<select name="role"><option value="a">A</option></select></form>'
    )
    form = parser.forms[0]
    assert form["text"] == ["username", "note"]
    assert form["fields"] == {"csrf": "t", "username": "", "note": "", "role": "a"}


@pytest.mark.parametrize(
    "query",
    [
        "limit=34318982005503459328",
        "offset=34318982005503459328",
        "limit=-1&offset=-5",
        "offset=false&limit=1e9",
        "limit=%00",
        "ordering=password",
    ],
)
def test_every_api_list_survives_absurd_paging(world: World, query: str) -> None:
    client = client_for(world.cora)
    document = SchemaGenerator().get_schema(request=None, public=True)
    lists = [path for path, ops in document["paths"].items() if "get" in ops and "{" not in path]
    assert lists
    failures = [path for path in lists if client.get(f"{path}?{query}").status_code >= 500]
    assert failures == []
