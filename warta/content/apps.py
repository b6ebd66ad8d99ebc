from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "warta.content"
    label = "content"
