"""Meta's Graph API: Facebook Pages and Instagram professional accounts."""

from warta.connectors.meta.facebook import FacebookConnector
from warta.connectors.meta.instagram import InstagramConnector

__all__ = ["FacebookConnector", "InstagramConnector"]
