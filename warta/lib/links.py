"""Addresses that came from outside (a platform's answer, a file) and end up in an `href`."""

from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"http", "https"})


def web_url(url: str | None, *, max_length: int = 500) -> str:
    """`url` if it is an absolute http(s) address; "" for anything else.

    A platform (or whoever answers in its place) decides what its API returns as a post's
    link; `javascript:` or `data:` there would run in warta's page when an officer clicks
    it. Too long is refused too: a cut-off address points somewhere else.
    """
    url = (url or "").strip()
    if not url or len(url) > max_length:
        return ""
    # Browsers drop tabs and new lines inside a scheme ("java\tscript:"); refuse them all.
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return url
