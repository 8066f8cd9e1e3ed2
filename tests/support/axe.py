"""axe-core (the npm package, pinned in the Makefile) run in the page by Playwright:
the WCAG 2.0, 2.1 and 2.2 A and AA rules plus best practice, as issue 11 asks."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
REGIONS = "dialog, [role=dialog], [role=alertdialog], svg, [role=menu]"  # axe's own, and menus
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def settle(page: Page) -> None:
    """Wait until dialogs and menus have finished fading in or out (colours and places
    are measured then); endless animations such as spinners do not count."""
    page.wait_for_function(
        "() => document.getAnimations().every("
        "a => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity)"
    )


def violations(page: Page, allow: tuple[str, ...] = ()) -> list[str]:
    """One line per violation and element: rule, impact, where and why; `allow` names
    rules a state is known to break (each with its reason where it is passed)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Through the DevTools protocol, which the page's CSP does not govern.
        session = page.context.new_cdp_session(page)
        session.send("Runtime.evaluate", {"expression": AXE.read_text()})
        session.detach()
    settle(page)
    # axe's "region" rule (best practice: all content inside landmarks) already counts
    # a dialog as its own region, because it exists only while opened from a control
    # inside one. An open menu is the same kind of popup (Radix renders both at the end
    # of <body>), so it counts the same way; everything else still has to be inside a
    # landmark.
    region = json.dumps({"checks": [{"id": "region", "options": {"regionMatcher": REGIONS}}]})
    page.evaluate(f"() => axe.configure({region})")
    options = json.dumps({"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    found = page.evaluate(f"async () => (await axe.run(document, {options})).violations")
    return [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
        for rule in found
        if rule["id"] not in allow
        for node in rule["nodes"]
    ]
