from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "warta.archive"
    label = "archive"

    def ready(self) -> None:
        from warta.archive import tasks  # noqa: F401  (registers periodic jobs)
