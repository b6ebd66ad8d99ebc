from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "warta.language"
    label = "language"
