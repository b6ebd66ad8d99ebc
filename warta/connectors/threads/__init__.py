from warta.connectors.threads.connector import ThreadsConnector

__all__ = ["ThreadsConnector"]
