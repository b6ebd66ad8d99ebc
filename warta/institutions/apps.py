from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "warta.institutions"
    label = "institutions"

    def ready(self) -> None:
        from warta.core import people
        from warta.institutions.people import OfficerDirectory

        # core files audit events, signs tokens in and asks for two-factor by what this
        # app knows of officers, without importing it.
        people.register(OfficerDirectory())
