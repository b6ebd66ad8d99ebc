from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "warta.institutions"
    label = "institutions"
