from warta.connectors.whatsapp.connector import WhatsAppConnector

__all__ = ["WhatsAppConnector"]
