from django.apps import AppConfig


class GuardrailsConfig(AppConfig):
    name = "warta.guardrails"
    label = "guardrails"

    def ready(self) -> None:
        from warta.guardrails import checks  # noqa: F401 - registers the checks
        from warta.guardrails.todo import register_sections

        register_sections()  # the home page's to-do list (institutions.todo)
