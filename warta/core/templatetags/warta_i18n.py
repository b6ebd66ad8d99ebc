"""`{{ variant.last_error|translated }}`: a stored Indonesian message in the reader's language."""

from django import template

from warta.core.reasons import localize as _localize

register = template.Library()


@register.filter
def translated(text: str) -> str:
    return _localize(str(text or ""))


@register.filter
def audit_label(code: str) -> str:
    """`{{ event.action|audit_label }}`: the action in words; the code stays on hover."""
    from warta.core.audit_labels import audit_label as label

    return label(str(code or ""))


@register.filter
def audit_changes(data: object) -> str:
    """A stored before/after dict as "key: value" lines, empty values as a dash."""
    if not isinstance(data, dict) or not data:
        return "—"
    return "\n".join(f"{k}: {'—' if v in (None, '') else v}" for k, v in data.items())
