from django.urls import path

from warta.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.search, name="search"),
    path("riwayat/<str:subject>/", views.history, name="history"),
    path("ekspor/", views.export, name="export"),
]
