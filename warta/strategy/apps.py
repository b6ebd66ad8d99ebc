from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "warta.strategy"
    label = "strategy"
