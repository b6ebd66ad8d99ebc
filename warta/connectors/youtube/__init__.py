from warta.connectors.youtube.connector import YouTubeConnector

__all__ = ["YouTubeConnector"]
