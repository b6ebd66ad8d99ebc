"""`{{ variant.last_error|translated }}`: a stored Indonesian message in the reader's language."""

from django import template

from warta.core.reasons import localize as _localize

register = template.Library()


@register.filter
def translated(text: str) -> str:
    return _localize(str(text or ""))
