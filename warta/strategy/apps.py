from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "warta.strategy"
    label = "strategy"

    def ready(self) -> None:
        from warta.strategy.todo import register_sections

        register_sections()  # the home page's to-do list (institutions.todo)
