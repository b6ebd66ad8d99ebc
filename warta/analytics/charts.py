"""Server-rendered SVG charts: sparklines in tables and the charts of the PDF report.

Built from numbers only (never from text the public wrote), and labels are escaped.
"""

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from warta.lib import readable


def sparkline(
    values: Sequence[float], *, width: int = 120, height: int = 28, label: str = ""
) -> SafeString:
    if not values:
        return mark_safe("")
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values)
    )
    return mark_safe(  # noqa: S308  (numbers and an escaped label only)
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>'
        "</svg>"
    )


# Rough width of one character of the charts' sans-serif at 1 px font size: labels are
# spaced from it so that they never touch, whatever the renderer's exact font.
CHAR_WIDTH = 0.62


def _text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_WIDTH


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: int = 640,
    height: int = 200,
    title: str = "",
) -> SafeString:
    """Vertical bars with labels under them, thinned so that no two labels overlap.

    Built for the PDF (no JavaScript) and used on the web page too.
    """
    if not values:
        return mark_safe("")
    top = max(values) or 1
    pad_bottom, pad_top, font = 28, 18, 9
    usable = height - pad_bottom - pad_top
    slot = width / len(values)
    bar = max(2.0, slot * 0.7)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="12" font-size="11">{escape(title)}</text>',
    ]
    widest = max((_text_width(str(lab), font) for lab in labels), default=0.0)
    every = max(1, math.ceil((widest + 6) / slot))
    for i, (lab, v) in enumerate(zip(labels, values, strict=False)):
        h = usable * v / top
        x = i * slot + (slot - bar) / 2
        y = pad_top + usable - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#1f6feb"/>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{i * slot + slot / 2:.1f}" y="{height - 10}" font-size="{font}" '
                f'text-anchor="middle">{escape(lab)}</text>'
            )
    parts.append(
        f'<text x="{width - 4}" y="12" font-size="9" text-anchor="end">'
        f"{escape(_('tertinggi'))} {escape(readable.number(top, 1))}</text></svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308  (numbers and escaped labels only)


def hbar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: int = 640,
    row: int = 16,
    title: str = "",
    top: float | None = None,
) -> SafeString:
    """One horizontal bar per label, the label in its own column: labels cannot overlap."""
    if not values:
        return mark_safe("")
    font = 10
    scale_top = top or max(values) or 1
    label_width = min(200.0, max(_text_width(str(lab), font) for lab in labels) + 8)
    value_width = _text_width("100", font) + 8
    usable = width - label_width - value_width
    height = 20 + row * len(values) + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="12" font-size="11">{escape(title)}</text>',
    ]
    max_chars = int((label_width - 8) / (font * CHAR_WIDTH))
    for i, (lab, v) in enumerate(zip(labels, values, strict=False)):
        y = 20 + i * row
        text = str(lab) if len(str(lab)) <= max_chars else str(lab)[: max_chars - 1] + "…"
        w = usable * min(v, scale_top) / scale_top
        parts.append(
            f'<text x="{label_width - 6:.1f}" y="{y + row - 4}" font-size="{font}" '
            f'text-anchor="end">{escape(text)}</text>'
            f'<rect x="{label_width:.1f}" y="{y + 2}" width="{w:.1f}" height="{row - 4}" '
            'fill="#1f6feb"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + row - 4}" font-size="{font}">'
            f"{escape(readable.number(v))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (numbers and escaped labels only)
