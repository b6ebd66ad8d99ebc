from django.urls import path

from warta.channels import views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="channel_list"),
]
