from django.urls import path

from warta.content import views
from warta.content.views import composer

app_name = "content"

urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    # The composer (write once, preview per network, schedule once) is the new post page.
    path("unggahan/baru/", composer.compose, name="post_new"),
    path("tulis/pratinjau/", composer.compose_preview, name="compose_preview"),
    path("tulis/unggah/", composer.compose_upload, name="compose_upload"),
    path("media/<int:pk>/gambar/", composer.media_thumbnail, name="media_thumbnail"),
    path("unggahan/<int:pk>/", views.post_detail, name="post_detail"),
    path("unggahan/<int:pk>/ubah/", views.post_edit, name="post_edit"),
    path("unggahan/<int:pk>/salin/", views.post_copy, name="post_copy"),
    path("varian/<int:pk>/periksa/", views.variant_check, name="variant_check"),
    path("varian/<int:pk>/ubah/", views.variant_edit, name="variant_edit"),
    path("varian/<int:pk>/pindah/", views.variant_move, name="variant_move"),
    path("varian/<int:pk>/<slug:action>/", views.variant_action, name="variant_action"),
    path("media/", views.media_library, name="media_library"),
]
