from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "warta.connectors"
    label = "connectors"

    def ready(self) -> None:
        # Importing a platform module registers its connector (@register).
        from warta.connectors import (  # noqa: F401
            manual,
            mastodon,
            meta,
            sandbox,
            telegram,
            threads,
            tiktok,
            whatsapp,
            x,
            youtube,
        )
