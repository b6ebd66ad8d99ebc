"""How the inbox reaches a channel's platform: through its connector, never directly.

Services call `platform.connector_for(channel)` (as a module attribute) so that tests can
put a fake in its place.
"""

from warta.channels.models import Channel
from warta.connectors.base import Connector, connector_class


def connector_for(channel: Channel) -> Connector:
    from warta.channels.services import channel_account

    cls = connector_class(channel.platform, mode=channel.mode)
    return cls(channel_account(channel))
