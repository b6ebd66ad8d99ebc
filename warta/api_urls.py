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

router = DefaultRouter()
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
