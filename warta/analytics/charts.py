"""Server-rendered SVG charts: sparklines in tables and the charts of the PDF report.

Built from numbers only (never from text the public wrote), and labels are escaped.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


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


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: int = 640,
    height: int = 200,
    title: str = "",
) -> SafeString:
    """Vertical bars with a label under each (for the PDF, where no JavaScript runs)."""
    if not values:
        return mark_safe("")
    top = max(values) or 1
    pad_bottom, pad_top = 28, 18
    usable = height - pad_bottom - pad_top
    slot = width / len(values)
    bar = max(2.0, slot * 0.7)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="12" font-size="11">{escape(title)}</text>',
    ]
    every = max(1, len(values) // 12)
    for i, (lab, v) in enumerate(zip(labels, values, strict=False)):
        h = usable * v / top
        x = i * slot + (slot - bar) / 2
        y = pad_top + usable - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#1f6feb"/>'
        )
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 10}" font-size="9">{escape(lab)}</text>')
    parts.append(
        f'<text x="{width - 4}" y="12" font-size="9" text-anchor="end">'
        f"max {escape(_num(top))}</text></svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308  (numbers and escaped labels only)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"
