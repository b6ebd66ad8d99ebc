from django.urls import path

from warta.engagement.views import consultations, inbox, ppid, public

app_name = "engagement"

urlpatterns = [
    path("kotak-masuk/", inbox.inbox, name="inbox"),
    path("kotak-masuk/<int:pk>/", inbox.item_detail, name="item_detail"),
    path("kotak-masuk/<int:pk>/tugaskan/", inbox.item_assign, name="item_assign"),
    path("kotak-masuk/<int:pk>/balas/", inbox.item_reply, name="item_reply"),
    path("kotak-masuk/<int:pk>/selesai/", inbox.item_done, name="item_done"),
    path("kotak-masuk/<int:pk>/ditanggapi/", inbox.item_responded, name="item_responded"),
    path("kotak-masuk/<int:pk>/sembunyikan/", inbox.item_hide, name="item_hide"),
    path("kotak-masuk/<int:pk>/hapus/", inbox.item_delete, name="item_delete"),
    path("kotak-masuk/balasan/<int:pk>/ulang/", inbox.reply_retry, name="reply_retry"),
    path("kotak-masuk/tampilan/", inbox.saved_view_create, name="saved_view_create"),
    path("kotak-masuk/tampilan/<int:pk>/hapus/", inbox.saved_view_delete, name="saved_view_delete"),
    path("kotak-masuk/templat/", inbox.template_list, name="template_list"),
    path("kotak-masuk/templat/<int:pk>/hapus/", inbox.template_delete, name="template_delete"),
    path("kotak-masuk/impor/", inbox.import_file, name="import_file"),
    path("permohonan/", ppid.request_list, name="request_list"),
    path("permohonan/baru/", ppid.request_create, name="request_create"),
    path("permohonan/<int:pk>/", ppid.request_detail, name="request_detail"),
    path("permohonan/<int:pk>/perpanjang/", ppid.request_extend, name="request_extend"),
    path("permohonan/<int:pk>/jawab/", ppid.request_respond, name="request_respond"),
    path("permohonan/<int:pk>/keberatan/", ppid.objection_file, name="objection_file"),
    path("keberatan/<int:pk>/jawab/", ppid.objection_answer, name="objection_answer"),
    path("permohonan/register.<str:fmt>", ppid.register_export, name="register_export"),
    path("konsultasi/", consultations.consultation_list, name="consultation_list"),
    path("konsultasi/baru/", consultations.consultation_create, name="consultation_create"),
    path("konsultasi/<int:pk>/", consultations.consultation_detail, name="consultation_detail"),
    path("konsultasi/<int:pk>/ubah/", consultations.consultation_edit, name="consultation_edit"),
    path("konsultasi/<int:pk>/tutup/", consultations.consultation_close, name="consultation_close"),
    path(
        "konsultasi/<int:pk>/kumpulkan/",
        consultations.consultation_collect,
        name="consultation_collect",
    ),
    path(
        "konsultasi/<int:pk>/kelompokkan/",
        consultations.consultation_group,
        name="consultation_group",
    ),
    path(
        "konsultasi/<int:pk>/unggahan-tindak-lanjut/",
        consultations.consultation_follow_up_post,
        name="consultation_follow_up_post",
    ),
    path("tema/<int:pk>/nama/", consultations.theme_rename, name="theme_rename"),
    path("tema/<int:pk>/gabung/", consultations.theme_merge, name="theme_merge"),
    path("tema/<int:pk>/pisah/", consultations.theme_split, name="theme_split"),
    path("tema/<int:pk>/jawab/", consultations.theme_answer, name="theme_answer"),
    path("tema/<int:pk>/tindak-lanjut/", consultations.action_create, name="action_create"),
    path("masukan/<int:pk>/kutipan/", consultations.input_quote, name="input_quote"),
    path("tindak-lanjut/<int:pk>/kabar/", consultations.action_update, name="action_update"),
    path("publik/<slug:region>/", public.region_page, name="public_region"),
    path("publik/<slug:region>/<int:pk>/", public.consultation_page, name="public_consultation"),
]
