// The edges of every visible form control against what is behind them (WCAG 1.4.11:
// at least 3:1): text fields, text areas and Radix selects draw theirs as an inset
// box-shadow, the switch on its ::before, native selects as a border. Evaluated by
// tests/e2e/test_accessibility.py in every audited state.
() => {
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const rgb = (text) => { const m = text && text.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return p.length > 3 && p[3] === 0 ? null : p.slice(0, 3); };
  const behind = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const colour = rgb(getComputedStyle(up).backgroundColor);
      if (colour) return colour;
    }
    return document.documentElement.classList.contains('dark') ? [17, 17, 19] : [255, 255, 255];
  };
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const KINDS = [
    ['.rt-TextFieldRoot, .rt-TextAreaRoot, .rt-SelectTrigger', (el) => rgb(getComputedStyle(el).boxShadow)],
    ['.rt-SwitchRoot[data-state=unchecked]', (el) => rgb(getComputedStyle(el, '::before').boxShadow)],
    ['select', (el) => rgb(getComputedStyle(el).borderTopColor)],
  ];
  const found = [];
  for (const [selector, edge] of KINDS) {
    for (const el of document.querySelectorAll(selector)) {
      if (!shown(el) || el.matches('[data-disabled], :disabled')) continue;
      const colour = edge(el);
      const name = el.id || el.getAttribute('aria-label') || el.className.split(' ')[0];
      found.push({ kind: selector, name, ratio: colour ? ratio(colour, behind(el)) : 0 });
    }
  }
  return found;
}
