from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "warta.engagement"
    label = "engagement"

    def ready(self) -> None:
        from warta.engagement import tasks  # noqa: F401  (registers periodic jobs)
