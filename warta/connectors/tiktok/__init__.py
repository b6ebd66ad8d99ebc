from warta.connectors.tiktok.connector import TikTokConnector

__all__ = ["TikTokConnector"]
