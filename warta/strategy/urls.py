from django.urls import path

from warta.strategy.views import creative, strategy

app_name = "strategy"

urlpatterns = [
    path("", strategy.strategy_home, name="strategy_home"),
    path("baseline/", strategy.strategy_detail, name="baseline"),
    path("baseline/usul/", strategy.strategy_propose, name="baseline_propose"),
    path("opd/<int:agency_id>/", strategy.strategy_detail, name="agency_strategy"),
    path("opd/<int:agency_id>/usul/", strategy.strategy_propose, name="agency_propose"),
    path("versi/<int:pk>/", strategy.version_detail, name="version_detail"),
    path("versi/<int:pk>/putuskan/", strategy.version_decide, name="version_decide"),
    path("bandingkan/", strategy.version_diff, name="version_diff"),
    path("tata-kelola/", strategy.governance, name="governance"),
    path("ringkasan/", strategy.current_summary, name="current_summary"),
    path("hari-lokal/", creative.local_days, name="local_days"),
    path("hari-lokal/<int:pk>/hapus/", creative.local_day_delete, name="local_day_delete"),
    path("opd/<int:agency_id>/ide/", creative.inspiration, name="inspiration"),
    path("opd/<int:agency_id>/sudut-pandang/", creative.angles, name="angles"),
    path("opd/<int:agency_id>/draf/", creative.caption_draft, name="caption_draft"),
]
