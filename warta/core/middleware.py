import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

from warta.institutions.access import officer_of


class RegionTimezoneMiddleware:
    """Show every time in the signed-in person's region zone (stored times stay UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        officer = officer_of(request.user)
        name = officer.region.timezone if officer else settings.WARTA_DEFAULT_REGION_TIMEZONE
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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
