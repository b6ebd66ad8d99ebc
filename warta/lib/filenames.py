"""Names of files warta writes or hands out, built from text a person typed."""

from django.utils.text import slugify


def file_part(text: str, *, fallback: str) -> str:
    """`text` as a safe piece of a file name: ASCII letters, digits and dashes only.

    An agency's short name such as "../x" or 'A"; b' must neither leave the folder the
    file is written in nor break a Content-Disposition header.
    """
    return slugify(text)[:60].strip("-") or fallback
