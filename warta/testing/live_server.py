"""The live server of the browser tests answers one request at a time on in-memory SQLite.

On an in-memory SQLite database the live server's request threads all use the test's one
connection (Django shares it, as there is no other way to see the test's rows). Chromium
sends requests side by side — the composer's preview while the form is posted, say — and
two threads on one sqlite3 connection fail with "bad parameter or other API misuse" (a
500 the user never sees in production, where each request has its own connection). So
on that database the server runs each request, body included, under one lock. PostgreSQL
and file databases keep the threaded server unchanged.
"""

import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread


class OneRequestAtATimeOnSharedConnection(ThreadedWSGIServer):
    def set_app(self, application: Any) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def serialised(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)  # a streamed body reads the database too
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(serialised)


@pytest.fixture(autouse=True, scope="session")
def _live_server_serialised_on_shared_sqlite() -> Iterator[None]:
    original = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATimeOnSharedConnection
    yield
    LiveServerThread.server_class = original
