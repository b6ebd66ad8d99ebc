from django.urls import path

from warta.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("opd/<int:pk>/", views.agency, name="agency"),
    path("kanal/<int:pk>/", views.channel, name="channel"),
    path("impor/", views.import_new, name="import_new"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("laporan/", views.report, name="report"),
    # Open data for Satu Data portals: public, no account.
    path("data-terbuka/<slug:region>/", views.open_data, name="open_data"),
    path(
        "data-terbuka/<slug:region>/<str:month>/package.json",
        views.open_data_package,
        name="open_data_package",
    ),
    path(
        "data-terbuka/<slug:region>/<str:month>/<slug:dataset>.csv",
        views.open_data_csv,
        name="open_data_csv",
    ),
]
