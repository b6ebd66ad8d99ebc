"""How the inbox reaches a channel's platform: through its connector, never directly.

Services call `platform.connector_for(channel)` (as a module attribute) so that tests can
put a fake in its place.
"""

import contextlib

from django.conf import settings

from warta.channels.models import Channel
from warta.connectors.base import Connector, connector_class


def connector_for(channel: Channel) -> Connector:
    from warta.channels.services import channel_account

    # Importing the platform modules registers them (they land from the connectors work).
    with contextlib.suppress(ImportError):
        import warta.connectors.registry  # noqa: F401
    cls = connector_class(channel.platform)
    base_url = getattr(settings, "WARTA_CONNECTOR_BASE_URLS", {}).get(channel.platform, "")
    return cls(channel_account(channel, base_url=base_url))
