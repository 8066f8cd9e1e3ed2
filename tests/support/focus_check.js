// Where focus is, whether it is inside the open dialog, and the contrast of its
// indicator (the outline, or the ring round a text field) against what is behind it.
// Evaluated by tests/e2e/test_keyboard.py.
() => {
  /* contrast.js */
  const active = document.activeElement;
  const dialogs = [...document.querySelectorAll('[role=dialog][data-state=open], [role=alertdialog][data-state=open]')];
  const dialog = dialogs.pop() || null;
  const ring = active.closest('.rt-TextFieldRoot, .rt-TextAreaRoot') || active;
  const style = getComputedStyle(ring);
  let behind = null;
  for (let el = ring.parentElement; el && !behind; el = el.parentElement) behind = rgb(getComputedStyle(el).backgroundColor);
  behind = behind || [255, 255, 255];
  const colours = [style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? rgb(style.outlineColor) : null,
                   rgb(style.boxShadow)].filter(Boolean);
  const r = active.getBoundingClientRect();
  return {
    tag: active.tagName, id: active.id, cls: String(active.className), name: (active.getAttribute('aria-label') || active.textContent || '').trim().slice(0, 40),
    dialogOpen: !!dialog, inDialog: !!dialog && dialog.contains(active),
    contrast: Math.max(0, ...colours.map(c => ratio(c, behind))),
    inView: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
  };
}
