from django.urls import path

from warta.guardrails import views

app_name = "guardrails"

urlpatterns = [
    path("", views.review_queue, name="review_queue"),
    path("varian/<int:pk>/", views.review_detail, name="review_detail"),
    path("varian/<int:pk>/putuskan/", views.review_decide, name="review_decide"),
    path("pengaturan/", views.severity_settings, name="settings"),
    path("pemilihan/", views.election_periods, name="election_periods"),
    path("pemilihan/<int:pk>/hapus/", views.election_period_delete, name="election_period_delete"),
]
