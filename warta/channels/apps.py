from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "warta.channels"
    label = "channels"

    def ready(self) -> None:
        from warta.channels.todo import register_sections

        register_sections()  # the home page's to-do list (institutions.todo)
