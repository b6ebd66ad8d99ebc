"""Template filters for figures: {{ n|angka }}, {{ x|angka:1 }}, {{ p|persen }}, {{ m|durasi }}."""

from django import template

from warta.lib import readable

register = template.Library()


@register.filter
def angka(value: float | int | None, decimals: int = 0) -> str:
    return readable.number(value, int(decimals))


@register.filter
def persen(value: float | None, decimals: int = 0) -> str:
    return readable.percent(value, int(decimals))


@register.filter
def durasi(minutes: float | None) -> str:
    return readable.duration(minutes)
