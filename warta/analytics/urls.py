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
]
