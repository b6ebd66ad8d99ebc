"""Installable warta: manifest, service worker at the root, offline page, icons."""

import json
import re
from io import BytesIO

from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from warta.testing.fixtures import World


def test_the_manifest_names_the_app_and_its_192_and_512_icons(world: World) -> None:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/" and data["scope"] == "/" and data["display"] == "standalone"
    assert data["lang"] == "id"
    sizes = set()
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert isinstance(path, str), icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
            sizes.add(image.width)
    assert {192, 512} <= sizes


def test_the_service_worker_is_served_from_the_root_as_javascript(world: World) -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    match = re.search(r"const PRECACHE = (\[.*?\]);", body)
    assert match is not None
    precached = json.loads(match.group(1))
    # Only static assets and the offline page: never a page with someone's data.
    assert "/luring/" in precached and "/static/warta/warta.css" in precached
    assert [url for url in precached if not url.startswith("/static/")] == ["/luring/"]
    for url in precached[:-1]:
        assert finders.find(url.removeprefix("/static/")), url
    # Pages are asked of the network; only a failure shows the stored offline page.
    assert 'request.method !== "GET"' in body and "caches.match(OFFLINE_URL)" in body


def test_the_offline_page_holds_no_user_data(world: World, alice_client: Client) -> None:
    anonymous = Client().get("/luring/")
    signed_in = alice_client.get("/luring/")
    assert anonymous.status_code == signed_in.status_code == 200
    assert "Tidak tersambung" in anonymous.content.decode()
    assert "Alice" not in signed_in.content.decode() and "alice" not in signed_in.content.decode()


def test_every_page_links_the_manifest_and_the_draft_keeper(
    world: World, alice_client: Client
) -> None:
    body = alice_client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert "warta/drafts.js" in body and "warta/pwa.js" in body
    assert f'data-draft-owner="{world.alice.pk}"' in body
    login = Client().get("/masuk/").content.decode()
    assert "data-draft-owner" not in login


def test_the_icons_are_pngs_drawn_at_their_size() -> None:
    for size in (192, 512):
        path = finders.find(f"warta/icons/icon-{size}.png")
        assert isinstance(path, str)
        with open(path, "rb") as handle:
            image = Image.open(BytesIO(handle.read()))
        assert image.size == (size, size)
