from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "warta.content"
    label = "content"

    def ready(self) -> None:
        from warta.content import limits, tasks  # noqa: F401  (registers checks and jobs)
        from warta.content.todo import register_sections

        register_sections()  # the home page's to-do list (institutions.todo)
