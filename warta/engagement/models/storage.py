"""Private storage: files that leave warta only through its own views."""

from warta.lib.storage import PrivateFileSystemStorage


class _DipStorage(PrivateFileSystemStorage):
    """Beside MEDIA_ROOT, not in it: a document leaves only through warta's own views (a DIP
    entry not excepted; an answer through its request's tracking link)."""


dip_storage = _DipStorage()
