from django.urls import path

from warta.strategy import views, views_creative

app_name = "strategy"

urlpatterns = [
    path("", views.strategy_home, name="strategy_home"),
    path("baseline/", views.strategy_detail, name="baseline"),
    path("baseline/usul/", views.strategy_propose, name="baseline_propose"),
    path("opd/<int:agency_id>/", views.strategy_detail, name="agency_strategy"),
    path("opd/<int:agency_id>/usul/", views.strategy_propose, name="agency_propose"),
    path("versi/<int:pk>/", views.version_detail, name="version_detail"),
    path("versi/<int:pk>/putuskan/", views.version_decide, name="version_decide"),
    path("bandingkan/", views.version_diff, name="version_diff"),
    path("tata-kelola/", views.governance, name="governance"),
    path("ringkasan/", views.current_summary, name="current_summary"),
    path("hari-lokal/", views_creative.local_days, name="local_days"),
    path("hari-lokal/<int:pk>/hapus/", views_creative.local_day_delete, name="local_day_delete"),
    path("opd/<int:agency_id>/ide/", views_creative.inspiration, name="inspiration"),
    path("opd/<int:agency_id>/sudut-pandang/", views_creative.angles, name="angles"),
    path("opd/<int:agency_id>/draf/", views_creative.caption_draft, name="caption_draft"),
]
