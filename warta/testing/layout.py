"""What a person would call a broken page, measured in the browser (Playwright page).

Used by the layout walk (warta/core/tests/test_layout.py) and handy by hand against a
running demo. Each check returns a list of plain-language findings; an empty list is a
pass. The thresholds follow WCAG 2.2: 2.5.8 (targets at least 24 x 24 CSS px, or spaced
so that a 24-px circle around each touches no other) and 1.4.10 (no sideways scrolling at
320 CSS px; checked at 360 px, the narrowest common phone).
"""

import re
from typing import Any

# Text that must never reach a person: framework defaults, English error pages,
# IANA zone names, template syntax, Python reprs.
LEFTOVERS = re.compile(
    r"Select an option|-{9}|\bForbidden\b|\bNot Found\b|Server Error|This field is required"
    r"|Enter a valid|\bNone\b|\bNaN\b|\bundefined\b|Asia/(?:Jakarta|Makassar|Jayapura|Pontianak)"
    r"|\{\{|\{%|Traceback|CSRF verification|mm/dd/yyyy"
)

_MEASURE = r"""
() => {
  const W = window.innerWidth;
  const out = {pageWidth: document.documentElement.scrollWidth, viewport: W,
               scrollers: [], overlaps: [], small: []};
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && !e.closest('[hidden], details:not([open]) > :not(summary)');
  };
  const name = (e) => {
    const t = (e.getAttribute('aria-label') || e.innerText || e.value || e.name || e.id || '').trim();
    return e.tagName.toLowerCase() + (t ? ' "' + t.slice(0, 40) + '"' : '');
  };
  // Content that needs sideways scrolling inside its own frame.
  for (const e of document.querySelectorAll('main *')) {
    const s = getComputedStyle(e);
    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 2
        && visible(e) && !e.matches('textarea, select, input, pre')) {
      out.scrollers.push(name(e) + ' ' + e.className + ' (' + e.scrollWidth + ' > ' + e.clientWidth + ')');
    }
  }
  // Form controls drawn over one another.
  const controls = [...document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea, main button')].filter(visible);
  const rects = controls.map((e) => e.getBoundingClientRect());
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      const a = rects[i], b = rects[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) out.overlaps.push(name(controls[i]) + ' x ' + name(controls[j]));
    }
  }
  // Tap targets under 24 x 24 px that are not inline links in a sentence and sit closer
  // than 24 px to another target.
  const targets = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')].filter(visible);
  const boxes = targets.map((e) => e.getBoundingClientRect());
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  targets.forEach((e, i) => {
    const r = boxes[i];
    if (r.width >= 24 && r.height >= 24) return;
    if (e.tagName === 'A' && getComputedStyle(e).display === 'inline') {
      const block = e.parentElement.closest('p, li, td, dd, div, span, figcaption');
      const text = (block || e.parentElement).innerText.trim();
      if (text.length > e.innerText.trim().length + 2) return;  // inline in a sentence
    }
    if (e.closest('label') && e.matches('input[type=checkbox], input[type=radio]')) {
      const l = e.closest('label').getBoundingClientRect();
      if (l.height >= 24) return;  // the label is the target
    }
    const [x, y] = centre(r);
    const crowded = boxes.some((o, j) => {
      if (j === i) return false;
      const [ox, oy] = centre(o);
      const dx = Math.max(o.left - x, 0, x - o.right), dy = Math.max(o.top - y, 0, y - o.bottom);
      return Math.hypot(dx, dy) < 12 && !(targets[j].contains(e) || e.contains(targets[j]));
    });
    if (crowded) out.small.push(name(e) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  });
  out.text = document.body.innerText;
  return out;
}
"""


def check_page(page: Any) -> list[str]:
    """Return what is wrong with the layout of the page as it is shown now."""
    # Folded sections (filters, forms) are opened first: what they hide is checked too.
    page.evaluate(
        "() => document.querySelectorAll('main details').forEach(d => { d.open = true; })"
    )
    m = page.evaluate(_MEASURE)
    problems = []
    if m["pageWidth"] > m["viewport"] + 1:
        problems.append(f"page is {m['pageWidth']} px wide on a {m['viewport']}-px screen")
    problems += [f"scrolls sideways: {s}" for s in m["scrollers"][:5]]
    problems += [f"controls overlap: {s}" for s in m["overlaps"][:5]]
    problems += [f"tap target under 24 px: {s}" for s in m["small"][:8]]
    leftovers = sorted({x.group(0) for x in LEFTOVERS.finditer(m["text"])})
    if leftovers:
        problems.append(f"leftovers in the text: {leftovers}")
    return problems
