from django.urls import path

from warta.content import views

app_name = "content"

urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("unggahan/baru/", views.post_new, name="post_new"),
    path("unggahan/<int:pk>/", views.post_detail, name="post_detail"),
    path("unggahan/<int:pk>/ubah/", views.post_edit, name="post_edit"),
    path("unggahan/<int:pk>/salin/", views.post_copy, name="post_copy"),
    path("varian/<int:pk>/periksa/", views.variant_check, name="variant_check"),
    path("varian/<int:pk>/ubah/", views.variant_edit, name="variant_edit"),
    path("varian/<int:pk>/pindah/", views.variant_move, name="variant_move"),
    path("varian/<int:pk>/<slug:action>/", views.variant_action, name="variant_action"),
    path("media/", views.media_library, name="media_library"),
]
