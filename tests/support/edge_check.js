// The edges of every visible form control against what is behind them (WCAG 1.4.11:
// at least 3:1): text fields, text areas and Radix selects draw theirs as an inset
// box-shadow, the switch on its ::before, native selects as a border. Evaluated by
// tests/e2e/test_accessibility.py in every audited state.
() => {
  /* contrast.js */
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
