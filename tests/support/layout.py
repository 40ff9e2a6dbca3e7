"""Layout checks for the browser tests: nothing wider than the phone, no tap target under 24 px.

``layout_problems(tab)`` returns a list of readable problems (empty when the page holds up):

- the document is wider than the viewport (it would scroll sideways on a phone), naming the
  elements that stick out past the right edge;
- an interactive element (link, button, field, summary...) is smaller than 24 x 24 CSS pixels,
  WCAG 2.2's target size (2.5.8), with the criterion's exceptions: a link inside a sentence, and
  an undersized target whose 24 px square around its centre touches no other target. A radio or
  checkbox drawn by its label (the input visually hidden) is measured by its label.

``within`` limits the target check to a part of the page (e.g. ``"main"`` on a Wagtail admin
screen whose chrome is Wagtail's own); the width check always covers the whole document.
"""

from __future__ import annotations

MIN_TARGET_PX = 24

_LAYOUT_JS = r"""
([within, minPx]) => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const docWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    if (text) s += ` "${text.slice(0, 40)}"`;
    return s;
  };
  const visible = (el) => {
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  if (docWidth > vw + 1) {
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.width > 0 && visible(el)) {
        // report the outermost offenders only
        if (!wide.some((w) => w.contains(el))) wide.push(el);
      }
    }
    problems.push(`document is ${docWidth}px wide in a ${vw}px viewport; sticking out: ` +
      wide.slice(0, 5).map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`).join(', '));
  }
  const root = within ? document.querySelector(within) : document.body;
  if (!root) { problems.push(`no element matches ${within}`); return problems; }
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  const isVisuallyHidden = (el) => {
    const st = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return st.opacity === '0' || st.clipPath !== 'none' && st.clipPath !== '' || (r.width <= 2 && r.height <= 2) ||
      st.clip && st.clip !== 'auto';
  };
  const targets = [];
  for (const el of root.querySelectorAll(selector)) {
    if (!visible(el) || el.closest('[aria-hidden=true]')) continue;
    let box = el;
    if (el.matches('input[type=radio], input[type=checkbox], input[type=file]') && isVisuallyHidden(el)) {
      box = el.closest('label') || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) || el;
    }
    if (box === el && isVisuallyHidden(el)) continue;
    targets.push({el, rect: box.getBoundingClientRect()});
  }
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const parent = el.parentElement;
    if (!parent) return false;
    const own = (el.textContent || '').trim().length;
    const all = (parent.textContent || '').trim().length;
    return all > own + 1;
  };
  for (const {el, rect} of targets) {
    if (rect.width >= minPx - 0.5 && rect.height >= minPx - 0.5) continue;
    if (inSentence(el)) continue;
    const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2, h = minPx / 2;
    const crowded = targets.some((o) => o.el !== el && !o.el.contains(el) && !el.contains(o.el) &&
      o.rect.left < cx + h && o.rect.right > cx - h && o.rect.top < cy + h && o.rect.bottom > cy - h);
    if (!crowded) continue;
    problems.push(`tap target ${describe(el)} is ${Math.round(rect.width)}x${Math.round(rect.height)}px (under ${minPx}px, next to another target)`);
  }
  return problems;
}
"""


def layout_problems(tab, *, within: str | None = None, min_px: int = MIN_TARGET_PX) -> list[str]:
    """What makes the page in ``tab`` fail on this viewport (see the module docstring)."""
    return tab.evaluate(_LAYOUT_JS, [within, min_px])
