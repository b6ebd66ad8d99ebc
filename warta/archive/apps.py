from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "warta.archive"
    label = "archive"
