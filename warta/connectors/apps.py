from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "warta.connectors"
    label = "connectors"
