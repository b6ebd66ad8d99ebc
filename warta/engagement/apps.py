from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "warta.engagement"
    label = "engagement"

    def ready(self) -> None:
        from warta.engagement import tasks  # noqa: F401  (registers periodic jobs)
        from warta.engagement.todo import register_sections

        register_sections()  # the home page's to-do list (institutions.todo)
