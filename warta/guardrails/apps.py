from django.apps import AppConfig


class GuardrailsConfig(AppConfig):
    name = "warta.guardrails"
    label = "guardrails"
