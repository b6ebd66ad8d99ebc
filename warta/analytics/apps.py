from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "warta.analytics"
    label = "analytics"
