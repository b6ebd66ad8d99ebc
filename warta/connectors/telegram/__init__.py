from warta.connectors.telegram.connector import TelegramConnector

__all__ = ["TelegramConnector"]
