// Keyboard focus and page titles, for every page (issue 11, WCAG 2.4.2, 2.4.3, 2.4.11).
//
// - An open dialog holds focus: it moves in when the dialog opens (to the element
//   marked data-autofocus, else the first control), Tab and Shift+Tab go round inside
//   it, and when it closes focus returns to the control that opened it (or the one its
//   data-return-focus names, or, if that is gone, to the page's heading).
// - Focus never falls to the page: when the focused control disappears (a choice
//   made, a form replaced by what it led to), it moves to the nearest element marked
//   data-focus-rescue, else to the page's heading.
// - A page that opens without a focused control (after signing in, going on to the
//   next page) puts focus on its heading, so the next Tab starts from there.
// - The focused control is scrolled into view, also inside a scrolling dialog at 200 %.
// - The tab's title names where the person is: the page's heading, "Error: " first
//   when a field shows an error.
// - An arrow key in a radio group chooses the radio it moves to, however short the press.
// - A button marked data-press-key presses that key in the element data-press-target
//   names: the photo crop's move buttons use the crop area's own arrow keys.
(() => {
  if (window.__sessionFocus) return;
  window.__sessionFocus = true;

  const OPEN = '[role="dialog"][data-state="open"], [role="alertdialog"][data-state="open"]';
  const CONTROLS =
    'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const controls = (root) => [...root.querySelectorAll(CONTROLS)].filter(shown);
  const topDialog = () => [...document.querySelectorAll(OPEN)].filter(shown).pop() || null;
  const heading = () => document.querySelector("main h1") || document.querySelector("h1");

  const focus = (el) => {
    if (!el) return;
    if (!el.matches(CONTROLS) && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus();
  };

  let dialog = null;
  let opener = null;
  let lastFocused = null;
  let path = null;
  let wanted = false; // focus should be placed as soon as the page has somewhere for it

  const onChange = () => {
    const open = topDialog();
    if (open && open !== dialog) {
      // A dialog opened from a menu names where focus goes back (the menu's button).
      if (!dialog) opener = open.getAttribute("data-return-focus") || lastFocused;
      dialog = open;
      if (!open.contains(document.activeElement)) {
        focus(open.querySelector("[data-autofocus]") || controls(open)[0] || open);
      }
    } else if (!open && dialog) {
      dialog = null;
      const back = typeof opener === "string" ? document.querySelector(opener) : opener;
      opener = null;
      requestAnimationFrame(() => {
        const now = document.activeElement;
        const closing = now && now.closest('[role="dialog"], [role="alertdialog"], [role="menu"]');
        if (now && now !== document.body && now.isConnected && !closing) return;
        focus(back && back.isConnected && shown(back) ? back : heading());
      });
    } else if (!open && lastFocused && !lastFocused.isConnected && document.activeElement === document.body) {
      lastFocused = null;
      wanted = true;
    }
    const main = heading();
    if (path !== location.pathname && !dialog) {
      path = location.pathname;
      if (document.activeElement === document.body) wanted = true;
    }
    if (wanted && !dialog) {
      const now = document.activeElement;
      if (now && now !== document.body && now.isConnected) {
        wanted = false; // the page placed focus itself (an autofocused field)
      } else {
        // A field the page asked to focus first (autofocus) wins over the heading.
        const first = [...document.querySelectorAll("[autofocus], [data-focus-rescue]")].filter(shown);
        const target = first[0] || main;
        if (target) {
          wanted = false;
          focus(target);
        }
      }
    }
    if (main) {
      const error = document.querySelector('main [role="alert"]');
      const title = `${error ? "Error: " : ""}${main.textContent.trim()} · Session`;
      if (document.title !== title) document.title = title;
    }
  };

  // Arrow keys in a radio group choose as they move (the ARIA pattern). Radix moves
  // focus a moment after the key goes down and chooses only if it is still held, so
  // a key pressed and released at once (switch devices, fast typists) moved without
  // choosing: the radio that takes focus from an arrow key is chosen here too.
  let arrowAt = 0;
  let arrowHeld = false; // while it is, Radix chooses by itself
  document.addEventListener("keydown", (event) => {
    if (event.key.startsWith("Arrow")) [arrowAt, arrowHeld] = [performance.now(), true];
  }, true);
  document.addEventListener("keyup", () => { arrowHeld = false; }, true);

  document.addEventListener("focusin", (event) => {
    lastFocused = event.target;
    const radio = event.target.closest && event.target.closest('[role="radiogroup"] [role="radio"]');
    if (radio && !arrowHeld && performance.now() - arrowAt < 500 && !radio.disabled
        && radio.getAttribute("aria-checked") !== "true") {
      radio.click();
    }
    if (event.target.closest && event.target.closest(OPEN)) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" || !dialog || !dialog.isConnected) return;
    const inside = controls(dialog);
    if (!inside.length) return;
    const first = inside[0];
    const last = inside[inside.length - 1];
    const active = document.activeElement;
    if (!dialog.contains(active)) {
      if (active && active.closest("[data-radix-popper-content-wrapper]")) return; // a select's list
      event.preventDefault();
      focus(first);
    } else if (event.shiftKey && active === first) {
      event.preventDefault();
      focus(last);
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      focus(first);
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-press-key]");
    const target = button && document.querySelector(button.dataset.pressTarget);
    if (!target) return;
    const key = button.dataset.pressKey;
    target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    // The key comes up once the page has drawn the move, as a real key would: the crop
    // reports the square it shows on key-up.
    setTimeout(() => target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true, cancelable: true })), 80);
  });

  const start = () => {
    new MutationObserver(onChange).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-state"],
    });
    onChange();
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
