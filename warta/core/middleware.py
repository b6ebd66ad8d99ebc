import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from warta.lib.storage import is_disk_full

logger = logging.getLogger(__name__)


class LanguageCookieMiddleware(LocaleMiddleware):
    """Indonesian unless the person chose otherwise with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office
    computers and phones here are set to English; warta speaks Indonesian first.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DiskFullMiddleware:
    """A full disk answers 507 with a page saying so, not a 500; nothing half-written stays.

    warta.lib.storage removes what it was writing; the request's transaction rolls back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_disk_full(exception):
            return None
        logger.error("disk full while answering %s %s: %s", request.method, request.path, exception)
        return render(request, "507.html", status=507)
