"""SSRF: every outgoing request made on a URL a person typed goes through warta.lib.safe_http.

Two checks: the guard itself refuses private, loopback, link-local and metadata addresses
in their many spellings; and no module outside the connectors (which talk to fixed
platform hosts, Mastodon's instance URL being vetted there) opens HTTP connections of
its own. Until safe_http lands on main the first check is skipped.
"""

import re
from pathlib import Path

import pytest

WARTA = Path(__file__).resolve().parents[2]
# Modules allowed to open HTTP connections themselves.
# Beside the guard and the connectors, only modules whose URLs an operator configures in
# settings, never a user: the HTTP client publishing lends the connectors, Telegram
# notifications (WARTA_TELEGRAM_API_BASE) and the optional caption model (WARTA_LLM_BASE_URL).
ALLOWED = (
    "connectors/",
    "lib/safe_http.py",
    "/tests/",
    "testing/",
    "content/publishing/sending.py",
    "content/notifications.py",
    "strategy/drafts.py",
)
DIRECT_HTTP = re.compile(
    r"\b(httpx\.(get|post|put|patch|delete|head|request|stream|Client|AsyncClient)\b"
    r"|requests\.(get|post|Session)\b|urllib\.request\.urlopen|urlopen\(|http\.client\.HTTPS?Connection)"
)
HOSTILE_URLS = [
    "http://127.0.0.1/",
    "http://localhost:8000/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://10.0.0.5/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://017700000001/",
    "http://[::ffff:127.0.0.1]/",
    "http://user:pw@example.com@127.0.0.1/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:25/",
    "ftp://example.com/",
    "http://[fd00::1]/",
    "http://100.64.0.1/",
]


def test_no_module_opens_http_connections_outside_the_guard() -> None:
    offenders = []
    for path in WARTA.rglob("*.py"):
        relative = path.relative_to(WARTA).as_posix()
        if any(part in relative or relative.startswith(part) for part in ALLOWED):
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if DIRECT_HTTP.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "use warta.lib.safe_http.fetch for URLs people type"


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_guard_refuses_internal_addresses(url: str) -> None:
    safe_http = pytest.importorskip("warta.lib.safe_http")

    def resolver(host: str, port: int) -> list[str]:
        # Whatever a name resolves to, here it is an internal address (DNS rebinding).
        return (
            ["127.0.0.1"] if not re.fullmatch(r"[\d.:\[\]a-fA-Fx]+", host) else [host.strip("[]")]
        )

    with pytest.raises(safe_http.UnsafeURLError):
        safe_http.fetch(url, resolver=resolver)
