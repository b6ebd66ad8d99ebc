"""The browser tests' live server answers requests sent side by side, as Chromium sends them.

On in-memory SQLite the server's threads share the test's one connection; without
`warta.testing.live_server` two requests at once fail now and then with a 500 ("bad
parameter or other API misuse"), which made the sandbox walk-through flaky in CI.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from django.conf import settings
from django.test import Client

from warta.testing.fixtures import World


def test_requests_sent_side_by_side_all_get_their_page(
    transactional_db: None, world: World, live_server: Any
) -> None:
    client = Client()
    client.force_login(world.alice)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}

    def fetch(_: int) -> int:
        return httpx.get(f"{live_server.url}/konten/", cookies=cookies, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, range(40)))
    assert statuses == [200] * 40
