from warta.connectors.x.connector import XConnector

__all__ = ["XConnector"]
