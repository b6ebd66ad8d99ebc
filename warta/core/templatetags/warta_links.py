"""`{{ variant.platform_url|web_url }}`: an outside address only if it is http(s)."""

from django import template

from warta.lib.links import web_url as _web_url

register = template.Library()


@register.filter
def web_url(url: object) -> str:
    # Also for rows stored before the address was checked on saving.
    return _web_url(str(url or ""))
