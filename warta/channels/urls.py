from django.urls import path

from warta.channels import views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="channel_list"),
    path("baru/", views.channel_create, name="channel_create"),
    path("<int:pk>/", views.channel_detail, name="channel_detail"),
    path("<int:pk>/ubah/", views.channel_edit, name="channel_edit"),
    path("<int:pk>/aktif/", views.channel_set_enabled, name="channel_set_enabled"),
    path("<int:pk>/kredensial/", views.channel_credentials, name="channel_credentials"),
    path("<int:pk>/whatsapp/", views.channel_whatsapp_connect, name="channel_whatsapp_connect"),
    path(
        "<int:pk>/whatsapp/templat/",
        views.channel_whatsapp_templates,
        name="channel_whatsapp_templates",
    ),
    path(
        "<int:pk>/whatsapp/pemberitahuan/",
        views.channel_whatsapp_notice_template,
        name="channel_whatsapp_notice_template",
    ),
]
