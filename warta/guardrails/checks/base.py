"""Helpers shared by the checks."""

from collections.abc import Iterator

from warta.guardrails.registry import CheckSubject

TEXT_FIELDS = ("caption", "title", "first_comment")


def texts(subject: CheckSubject) -> Iterator[tuple[str, str]]:
    """(field name, text) for each non-empty text field of the subject."""
    for name in TEXT_FIELDS:
        value = getattr(subject, name, "") or ""
        if value:
            yield name, value


def excerpt(text: str, start: int, end: int) -> str:
    return text[start:end]


def mask(value: str) -> str:
    """Show only the ends of personal data in messages: 6474…0001."""
    digits = value.strip()
    if len(digits) <= 6:
        return "…"
    return f"{digits[:4]}…{digits[-2:]}"
