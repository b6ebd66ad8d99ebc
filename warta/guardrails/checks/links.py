"""Links must be HTTPS and resolve, checked without ever reaching internal addresses.

The network part is bounded: all links of a variant are checked in parallel and the
check waits at most WARTA_LINK_CHECK_BUDGET_SECONDS. A lookup that has not finished
by then keeps running in the background and fills the cache; the finding says the
link is still being verified and the next check (e.g. on scheduling) has the answer.
"""

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from warta.guardrails.checks.base import texts
from warta.guardrails.registry import CheckSubject, register
from warta.lib import safe_http
from warta.lib.findings import Finding, Severity

CHECK = "links"
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.I)
OK_TTL = 6 * 3600
BAD_TTL = 15 * 60
_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="linkcheck")
_pending: dict[str, object] = {}

# Status of one URL: "ok", "broken:<why>", "unsafe:<why>". Replaceable in tests.
Prober = Callable[[str], str]


def probe(url: str) -> str:
    try:
        result = safe_http.fetch(
            url, method="HEAD", timeout=3.0, max_bytes=64 * 1024, allow_truncate=True
        )
        if result.status_code in (405, 403, 501):  # some servers refuse HEAD
            result = safe_http.fetch(url, timeout=3.0, max_bytes=64 * 1024, allow_truncate=True)
    except safe_http.UnsafeURLError as exc:
        return f"unsafe:{exc}"
    except safe_http.FetchError as exc:
        return f"broken:{exc}"
    if result.status_code >= 400:
        return f"broken:HTTP {result.status_code}"
    return "ok"


prober: Prober = probe


def _key(url: str) -> str:
    import hashlib

    return "warta:linkcheck:" + hashlib.sha256(url.encode()).hexdigest()


def _probe_and_cache(url: str) -> str:
    try:
        status = prober(url)
    except Exception as exc:
        status = f"broken:{exc}"
    cache.set(_key(url), status, OK_TTL if status == "ok" else BAD_TTL)
    _pending.pop(url, None)
    return status


def link_statuses(urls: list[str], budget: float) -> dict[str, str | None]:
    """Status per URL; None for those still being checked when the budget ran out."""
    out: dict[str, str | None] = {url: cache.get(_key(url)) for url in urls}
    futures = {}
    for url, status in out.items():
        if status is None:
            future = _pending.get(url)
            if future is None:
                future = _executor.submit(_probe_and_cache, url)
                _pending[url] = future
            futures[future] = url
    if futures:
        done, _not_done = wait(list(futures), timeout=budget)  # type: ignore[arg-type]
        for future in done:
            out[futures[future]] = future.result()  # type: ignore[attr-defined]
    return out


@register(CHECK)
def check_links(subject: CheckSubject) -> list[Finding]:
    found: list[tuple[str, int, int, str]] = []
    for field, text in texts(subject):
        for m in URL.finditer(text):
            url = m.group(0).rstrip(".,;:!?")
            found.append((field, m.start(), m.start() + len(url), url))
    if not found:
        return []
    findings: list[Finding] = []
    to_check: list[str] = []
    for field, start, end, url in found:
        if not url.lower().startswith("https://"):
            findings.append(
                Finding(
                    check=CHECK,
                    code="not_https",
                    severity=Severity.ADVICE,
                    message=_("Tautan tidak memakai HTTPS: %(u)s") % {"u": url},
                    hint=_("Pakai alamat https:// agar aman dan dipercaya warga."),
                    field=field,
                    start=start,
                    end=end,
                )
            )
        else:
            to_check.append(url)
    if not to_check or not settings.WARTA_LINK_CHECK_ENABLED:
        return findings
    statuses = link_statuses(
        list(dict.fromkeys(to_check)), settings.WARTA_LINK_CHECK_BUDGET_SECONDS
    )
    for field, start, end, url in found:
        if url not in statuses:
            continue
        status = statuses[url]
        if status == "ok":
            continue
        if status is None:
            findings.append(
                Finding(
                    check=CHECK,
                    code="unverified",
                    severity=Severity.ADVICE,
                    message=_("Tautan sedang diperiksa: %(u)s") % {"u": url},
                    hint=_(
                        "Periksa ulang sebentar lagi; hasilnya tersedia pada pemeriksaan berikutnya."
                    ),
                    field=field,
                    start=start,
                    end=end,
                )
            )
        elif status.startswith("unsafe:"):
            findings.append(
                Finding(
                    check=CHECK,
                    code="internal_address",
                    severity=Severity.APPROVAL,
                    message=_("Tautan menuju alamat internal/tidak publik: %(u)s") % {"u": url},
                    hint=_("Warga tidak dapat membukanya; pakai alamat publik."),
                    field=field,
                    start=start,
                    end=end,
                    data={"reason": status[7:]},
                )
            )
        else:
            findings.append(
                Finding(
                    check=CHECK,
                    code="broken",
                    severity=Severity.ADVICE,
                    message=_("Tautan tidak dapat dibuka (%(why)s): %(u)s")
                    % {"why": status[7:][:120], "u": url},
                    hint=_("Periksa ejaan alamatnya atau pastikan halamannya sudah terbit."),
                    field=field,
                    start=start,
                    end=end,
                )
            )
    return findings
