from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "warta.core"
    label = "core"

    def ready(self) -> None:
        from warta.core import tasks  # noqa: F401  (registers periodic jobs)
