from django.urls import path

from warta.core import twofactor_views, views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("dua-langkah/", twofactor_views.setup, name="twofactor_setup"),
    path("dua-langkah/verifikasi/", twofactor_views.verify, name="twofactor_verify"),
]
