"""Installable warta: the web-app manifest, the service worker and the offline page.

The service worker is served from the root (/sw.js) so that its scope is the whole site.
It keeps the static assets (stylesheets, scripts, icons) and the offline page, which
holds no user data; it never stores a page of a signed-in person: pages always come from
the network, and only when the network fails does the offline page stand in. Drafts
typed meanwhile are kept by drafts.js in the device's localStorage, not by the worker.
"""

import hashlib
import json
from functools import lru_cache

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# What the worker stores at install: every page needs these, and the offline page too.
PRECACHE = [
    "vendor/pico/pico.min.css",
    "warta/warta.css",
    "vendor/htmx/htmx.min.js",
    "warta/nav.js",
    "warta/drafts.js",
    "warta/pwa.js",
    "warta/favicon.svg",
    "warta/icons/icon-192.png",
    "warta/icons/icon-512.png",
]
OFFLINE_URL = "/luring/"


@lru_cache(maxsize=1)
def assets_version() -> str:
    """A digest of the precached files: a changed asset makes a new worker and cache."""
    digest = hashlib.sha256()
    for name in PRECACHE:
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("warta — media sosial pemerintah daerah"),
        "short_name": "warta",
        "description": _("Rencanakan, tulis dan jadwalkan unggahan; jawab warga; pantau hasilnya."),
        "lang": "id",
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d5d9b",
        "icons": [
            {"src": static("warta/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("warta/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("warta/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "core/sw.js",
        {
            "version": assets_version(),
            "precache": json.dumps([static(name) for name in PRECACHE] + [OFFLINE_URL]),
            "static_prefix": static(""),
            "offline_url": OFFLINE_URL,
        },
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on each visit; no cache may keep an old one.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page shown when the network is gone; the same for everyone, so it may be stored."""
    return render(request, "core/offline.html")
