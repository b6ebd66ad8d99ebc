from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "warta.analytics"
    label = "analytics"

    def ready(self) -> None:
        from warta.analytics import tasks  # noqa: F401  (registers periodic jobs)
