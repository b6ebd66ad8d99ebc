"""Reads of the institutions app that other apps use."""

import base64

from warta.institutions.models import Region


def logo_data_uri(region: Region) -> str:
    """The region's stored emblem as a data: URI (PNG), for pages, the PDF and e-mail; "" if none."""
    if not region.logo:
        return ""
    try:
        with region.logo.open("rb") as fh:
            data = fh.read()
    except OSError:
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode()
