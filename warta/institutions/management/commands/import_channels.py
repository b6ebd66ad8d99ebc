from warta.institutions.management.importing import ImportCommand


class Command(ImportCommand):
    kind = "channels"
