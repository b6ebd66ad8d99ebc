"""REST API v1. Each app adds its endpoints in `<app>/api.py` with `register(router)`."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

APPS_WITH_API = [
    "institutions",
    "channels",
    "content",
    "strategy",
    "guardrails",
    "engagement",
    "analytics",
    "archive",
]


class Router(DefaultRouter):
    """Every object of the API has a numeric id: any other path segment is a 404 from the
    URL resolver, never a 500 from `int()` in a view (schemathesis sent `null,null`)."""

    def get_lookup_regex(self, viewset, lookup_prefix: str = "") -> str:  # type: ignore[no-untyped-def]
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        value = getattr(viewset, "lookup_value_regex", "[0-9]+")
        return f"(?P<{lookup_prefix}{kwarg}>{value})"


router = Router()
extra_urls: list = []
for app in APPS_WITH_API:
    try:
        module = import_module(f"warta.{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"warta.{app}.api":
            raise
        continue
    module.register(router)
    extra_urls += getattr(module, "urlpatterns", [])

urlpatterns = router.urls + extra_urls
