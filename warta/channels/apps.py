from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "warta.channels"
    label = "channels"
