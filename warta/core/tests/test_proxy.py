from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from warta.core.proxy import TrustedProxyMiddleware


def _seen_address(remote: str, forwarded: str) -> str:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["addr"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    TrustedProxyMiddleware(view)(request)
    return seen["addr"]


@override_settings(WARTA_TRUSTED_PROXIES=["127.0.0.1"])
def test_it_believes_the_forwarded_address_from_our_proxy() -> None:
    assert _seen_address("127.0.0.1", "6.6.6.6, 203.0.113.7") == "203.0.113.7"


@override_settings(WARTA_TRUSTED_PROXIES=["127.0.0.1"])
def test_it_ignores_a_forwarded_header_sent_by_anyone_else() -> None:
    assert _seen_address("203.0.113.9", "10.0.0.1") == "203.0.113.9"
