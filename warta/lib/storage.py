"""Where files live that must not be served to the public (imports, reports, exports)."""

from pathlib import Path

from django.conf import settings


def private_root() -> Path:
    """Beside, not inside, MEDIA_ROOT: the reverse proxy serves MEDIA_ROOT to anyone."""
    return Path(settings.MEDIA_ROOT).parent / "private"
