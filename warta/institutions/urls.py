from django.urls import path

from warta.institutions.views import agencies, first_run, imports, region, tokens

app_name = "institutions"

urlpatterns = [
    path("opd/", agencies.agency_list, name="agency_list"),
    path("opd/baru/", agencies.agency_create, name="agency_create"),
    path("opd/<int:pk>/", agencies.agency_detail, name="agency_detail"),
    path("opd/<int:pk>/ubah/", agencies.agency_edit, name="agency_edit"),
    path("opd/<int:pk>/aktif/", agencies.agency_set_active, name="agency_set_active"),
    path("opd/<int:pk>/pimpinan/", agencies.term_add, name="term_add"),
    path("pimpinan/<int:pk>/tutup/", agencies.term_close, name="term_close"),
    path("petugas/", agencies.officer_list, name="officer_list"),
    path("petugas/baru/", agencies.officer_create, name="officer_create"),
    path("petugas/<int:pk>/", agencies.officer_edit, name="officer_edit"),
    path("petugas/<int:pk>/aktif/", agencies.officer_set_active, name="officer_set_active"),
    path("petugas/<int:pk>/sandi/", agencies.officer_password, name="officer_password"),
    path("impor/", imports.import_upload, name="import"),
    path("impor/konfirmasi/", imports.import_confirm, name="import_confirm"),
    path("daerah/", region.region_settings, name="region_settings"),
    path("mulai/", first_run.first_run, name="first_run"),
    path("sandi/<uidb64>/<token>/", first_run.PasswordSetView.as_view(), name="password_set"),
    path("token-api/", tokens.api_token, name="api_token"),
    path("token-api/baru/", tokens.api_token_create_view, name="api_token_create"),
    path("token-api/<int:pk>/cabut/", tokens.api_token_revoke_view, name="api_token_revoke"),
    path(
        "petugas/<int:pk>/token/<int:token_pk>/cabut/",
        tokens.officer_token_revoke,
        name="officer_token_revoke",
    ),
]
