from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from warta.core import pwa
from warta.core import views as core_views
from warta.core.health import healthz
from warta.institutions.setup import setup_needed
from warta.institutions.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Installable: served from the root so the worker's scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("luring/", pwa.offline, name="offline"),
    path("masuk/", core_views.LoginView.as_view(setup_needed=setup_needed), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("admin/login/", core_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("core/", include("warta.core.urls")),
    path("institusi/", include("warta.institutions.urls")),
    path("kanal/", include("warta.channels.urls")),
    path("konten/", include("warta.content.urls")),
    path("strategi/", include("warta.strategy.urls")),
    path("rambu/", include("warta.guardrails.urls")),
    path("interaksi/", include("warta.engagement.urls")),
    path("analitik/", include("warta.analytics.urls")),
    path("arsip/", include("warta.archive.urls")),
    path("api/v1/", include("warta.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
]

if settings.DEBUG or settings.WARTA_SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
