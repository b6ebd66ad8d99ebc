from warta.connectors.mastodon.connector import MastodonConnector

__all__ = ["MastodonConnector"]
