from django.urls import path

from warta.institutions import views, views_import, views_setup, views_tokens

app_name = "institutions"

urlpatterns = [
    path("opd/", views.agency_list, name="agency_list"),
    path("opd/baru/", views.agency_create, name="agency_create"),
    path("opd/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("opd/<int:pk>/ubah/", views.agency_edit, name="agency_edit"),
    path("opd/<int:pk>/aktif/", views.agency_set_active, name="agency_set_active"),
    path("opd/<int:pk>/pimpinan/", views.term_add, name="term_add"),
    path("pimpinan/<int:pk>/tutup/", views.term_close, name="term_close"),
    path("petugas/", views.officer_list, name="officer_list"),
    path("petugas/baru/", views.officer_create, name="officer_create"),
    path("petugas/<int:pk>/", views.officer_edit, name="officer_edit"),
    path("petugas/<int:pk>/aktif/", views.officer_set_active, name="officer_set_active"),
    path("petugas/<int:pk>/sandi/", views.officer_password, name="officer_password"),
    path("impor/", views_import.import_upload, name="import"),
    path("impor/konfirmasi/", views_import.import_confirm, name="import_confirm"),
    path("mulai/", views_setup.first_run, name="first_run"),
    path("sandi/<uidb64>/<token>/", views_setup.PasswordSetView.as_view(), name="password_set"),
    path("token-api/", views_tokens.api_token, name="api_token"),
    path("token-api/baru/", views_tokens.api_token_create_view, name="api_token_create"),
    path("token-api/<int:pk>/cabut/", views_tokens.api_token_revoke_view, name="api_token_revoke"),
    path(
        "petugas/<int:pk>/token/<int:token_pk>/cabut/",
        views_tokens.officer_token_revoke,
        name="officer_token_revoke",
    ),
]
