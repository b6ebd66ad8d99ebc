from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class TrustedProxyMiddleware:
    """Take the client address from X-Forwarded-For, but only when our own proxy sent it.

    Login throttling and the public forms' rate limits key on REMOTE_ADDR; behind a reverse
    proxy that is the proxy's address unless the proxy's header is believed. A header from
    anyone else is ignored, so a client cannot choose its own address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = set(settings.WARTA_TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            # The rightmost address is the one our proxy saw; those left of it are claims.
            hops = [h.strip() for h in forwarded.split(",") if h.strip()]
            if hops:
                request.META["REMOTE_ADDR"] = hops[-1]
        return self.get_response(request)
