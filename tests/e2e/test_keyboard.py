"""Only the keyboard (issue 11): sign up, onboard, settings, a photo cropped by keys, a
room, and a guest let in, checking focus at every stop; then 320 px reflow and 200 %
zoom, and the live regions that announce changes."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.axe import settle
from tests.support.journeys import claim_for_someone_else, new_address, onboard, sign_in_by_code
from tests.support.mail import code_in, latest_text
from tests.support.page_scripts import page_script

FOCUS = page_script("focus_check.js")


def focus_at(page: Page) -> dict:
    """Focus is on something (never the page itself), inside any open dialog, with an
    indicator of at least 3:1; returns where it is."""
    settle(page)
    where = page.evaluate(FOCUS)
    assert where["tag"] != "BODY", "focus fell to the page"
    assert not where["dialogOpen"] or where["inDialog"], f"focus outside the open dialog: {where}"
    assert where["contrast"] >= 3, f"faint focus indicator: {where}"
    return where


def tab_to(page: Page, matches, limit: int = 40, back: bool = False) -> dict:
    """Tab (checking every stop) until `matches(where)`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            continue  # past the last control: the browser's own toolbar, then round again
        where = focus_at(page)
        if matches(where):
            return where
    raise AssertionError(f"never reached by Tab; last: {where}")


def named(text: str):
    return lambda where: where["name"].lower().startswith(text.lower())


def choose_file_by_keys(page: Page, path: Path) -> None:
    """Enter on the focused upload button opens the file picker. Under load in CI the
    picker once failed to open on Enter (not reproduced here: noted in issue 11), so a
    second key a person would also try, Space, is allowed before the test fails."""
    for key, wait in (("Enter", 5_000), ("Space", 15_000)):
        try:
            with page.expect_file_chooser(timeout=wait) as chooser:
                page.keyboard.press(key)
        except PlaywrightTimeoutError:
            continue
        chooser.value.set_files(path)
        return
    raise AssertionError("neither Enter nor Space on the upload button opened the file picker")


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("photo") / "wide.jpg"
    wide = Image.new("RGB", (1600, 900), (30, 120, 220))
    wide.paste((250, 200, 40), (600, 200, 1000, 700))
    wide.save(path, quality=90)
    return path


def test_a_whole_journey_by_keyboard_alone(page, browser, app, photo):
    address = new_address()
    page.goto("/signup")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(address)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.locator("#code").wait_for()
    if page.evaluate("() => document.activeElement.id") != "code":
        tab_to(page, lambda w: w["id"] == "code")
    page.keyboard.type(code_in(latest_text(address)))
    page.keyboard.press("Enter")

    expect(page.locator("#step-counter")).to_have_text("Step 1 of 3")
    tab_to(page, lambda w: w["id"].startswith("use-case-"))
    page.keyboard.press("Space")
    chosen = page.locator("[id^=use-case-][data-state=checked]")
    expect(chosen).to_have_count(1)
    # Arrow keys choose as they move, also when a key goes down and up at once (a
    # switch device; Radix alone moved focus without choosing then).
    cards = page.locator("[id^=use-case-]")
    for key, index in (("ArrowDown", 1), ("ArrowDown", 2), ("ArrowUp", 1), ("ArrowUp", 0)):
        page.keyboard.press(key)
        expect(cards.nth(index)).to_be_focused()
        expect(cards.nth(index)).to_have_attribute("data-state", "checked")
        expect(chosen).to_have_count(1)

    tab_to(page, named("Continue"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Display name")).to_be_focused()
    page.keyboard.type("Kit Keys")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your URL")).to_be_focused()
    taken = f"taken-{uuid.uuid4().hex[:6]}"
    claim_for_someone_else(taken)
    page.keyboard.press("ControlOrMeta+A")  # it offers one made from the name
    page.keyboard.type(taken)  # someone has it: free alternatives are offered
    expect(page.locator(".url-suggestion").first).to_be_visible()
    tab_to(page, lambda w: "url-suggestion" in w["cls"])
    page.keyboard.press("Enter")
    expect(page.locator("#url-status")).to_have_text("Available")
    expect(page.get_by_label("Your URL")).to_be_focused()  # not dropped when the choices went
    url = f"keys-{uuid.uuid4().hex[:8]}"
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(url)
    expect(page.locator("#url-status")).to_have_text("Available")
    page.keyboard.press("Enter")

    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    first = focus_at(page)
    assert first["name"] == "Go back"
    stops = {tab_to(page, lambda w: True)["name"] for _ in range(4)}
    assert stops == {"Go back", "Yes, claim it"}  # focus goes round inside the dialog
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_label("Your URL")).to_be_focused()  # back where it was
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    tab_to(page, named("Yes, claim it"))
    page.keyboard.press("Enter")
    expect(page.locator("#greeting")).to_have_text("Welcome, Kit Keys")

    menu_button = tab_to(page, lambda w: w["id"] == "profile-menu")
    assert menu_button["name"].startswith("KK")  # the visible initials begin its name
    page.keyboard.press("Enter")
    item = page.get_by_role("menuitem", name="Settings")
    expect(item).to_be_visible()
    for _ in range(3):  # the menu opens on its first item, or on itself
        if item.evaluate("item => item === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    expect(item).to_be_focused()
    page.keyboard.press("Enter")
    settings = page.get_by_role("dialog", name="Settings")
    expect(settings).to_be_visible()
    focus_at(page)

    tab_to(page, lambda w: w["id"] == "settings-name")
    status = page.locator("#name-save-region[role=status]")
    expect(status).to_be_attached()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Kit Keyboard")
    expect(status).to_have_text("Saved", timeout=15_000)  # announced from its live region

    tab_to(page, named("Upload a photo"))
    expect(page.locator("#upload-avatar")).to_be_focused()
    choose_file_by_keys(page, photo)
    crop_status = page.locator("#crop-status[role=status]")
    expect(crop_status).to_contain_text("-pixel square", timeout=20_000)
    tab_to(page, lambda w: "Photo crop" in w["name"])
    before = crop_status.inner_text()
    page.keyboard.press("ArrowRight", delay=80)
    expect(crop_status).not_to_have_text(before)
    tab_to(page, named("Zoom in"))
    page.keyboard.press("Enter")
    tab_to(page, named("Save crop"))
    page.keyboard.press("Enter")
    expect(crop_status).to_contain_text("Saved.")
    page.keyboard.press("Escape")
    expect(settings).to_have_count(0)
    expect(page.locator("#profile-menu")).to_be_focused()  # back to what opened it

    tab_to(page, named("Create new"))
    page.keyboard.press("Enter")
    create = page.get_by_role("dialog", name="Create new")
    expect(create).to_be_visible()
    tab_to(page, lambda w: w["id"] == "create-name")
    page.keyboard.type("Keyboard room")
    page.keyboard.press("Enter")
    expect(page.locator(".room-tile", has_text="Keyboard room")).to_be_visible()
    expect(create).to_have_count(0)
    focus_at(page)  # on what opened the dialog, never the page
    link = page.locator(".room-tile", has_text="Keyboard room").locator(".room-link").inner_text()

    hosting = page.context.new_page()
    hosting.goto(link)
    expect(hosting.locator("#join")).to_be_visible()
    tab_to(hosting, lambda w: w["id"] == "join")
    hosting.keyboard.press("Enter")
    tab_to(hosting, lambda w: w["id"] == "lock-room")
    hosting.keyboard.press("Space")
    expect(hosting.locator("#lock-room")).to_have_attribute("data-state", "checked")

    guests = browser.new_context(base_url=app.url)
    try:
        guest = guests.new_page()
        guest.goto(link)
        guest.get_by_label("Your name in this room").wait_for()
        if guest.evaluate("() => document.activeElement.id") != "join-name":
            tab_to(guest, lambda w: w["id"] == "join-name")
        guest.keyboard.press("ControlOrMeta+A")
        guest.keyboard.type("Quinn Guest")
        guest.keyboard.press("Enter")
        expect(guest.locator("#room-announcer[role=status]")).to_have_text(
            "You're waiting for the host to let you in."
        )
        focus_at(guest)  # not dropped to the page when the form gave way
        expect(hosting.locator("#room-announcer")).to_contain_text("Quinn Guest is waiting")
        tab_to(hosting, named("Let in"))
        hosting.keyboard.press("Enter")
        expect(guest.locator("#room-announcer")).to_have_text("You're in Keyboard room.")
        expect(guest.locator("#lobby-people")).to_contain_text("Quinn Guest")
        focus_at(hosting)
    finally:
        guests.close()


NARROW = {"width": 320, "height": 640}
WIDE_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const over = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && getComputedStyle(el).position !== 'fixed';
  }).map(el => el.tagName + '#' + el.id);
  return {scroll: document.documentElement.scrollWidth, width, over: over.slice(0, 5)};
}"""


def no_sideways_scroll(page: Page, where: str) -> None:
    settle(page)
    found = page.evaluate(WIDE_OVERFLOW)
    assert found["scroll"] <= found["width"] and not found["over"], f"{where} is wider than 320 px: {found}"


def test_nothing_scrolls_sideways_at_320_px(browser, app):
    """WCAG 1.4.10: every page and dialog of a sign-up fits 320 CSS pixels."""
    context = browser.new_context(base_url=app.url, viewport=NARROW)
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        no_sideways_scroll(page, "the landing page")
        address = new_address()
        sign_in_by_code(page, address)
        no_sideways_scroll(page, "onboarding step 1")
        page.locator("#use-case-team-meetings").click()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Display name").fill("Nora Narrow")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Your URL").fill(f"narrow-{uuid.uuid4().hex[:6]}")
        expect(page.locator("#url-status")).to_have_text("Available")
        no_sideways_scroll(page, "onboarding step 3")
        page.get_by_role("button", name="Claim this URL").click()
        expect(page.get_by_role("alertdialog")).to_be_visible()
        no_sideways_scroll(page, "the URL confirmation")
        page.get_by_role("button", name="Yes, claim it").click()
        expect(page.locator("#greeting")).to_be_visible()
        no_sideways_scroll(page, "the dashboard")
        page.locator("#profile-menu").click()
        page.get_by_role("menuitem", name="Settings").click()
        expect(page.get_by_role("dialog", name="Settings")).to_be_visible()
        no_sideways_scroll(page, "settings")
        done = page.get_by_role("button", name="Done")
        done.scroll_into_view_if_needed()
        expect(done).to_be_in_viewport()  # reachable, not cut off
        done.click()
        page.get_by_role("button", name="Create new").click()
        expect(page.get_by_role("dialog", name="Create new")).to_be_visible()
        no_sideways_scroll(page, "the create dialog")
    finally:
        context.close()


def test_at_200_percent_zoom_the_focused_control_is_always_in_view(browser, app):
    """WCAG 2.4.11: tabbing round the settings popup at 200 % zoom (a 1280 × 800
    window shows 640 × 400 CSS pixels) never leaves the focused control out of sight."""
    context = browser.new_context(
        base_url=app.url, viewport={"width": 640, "height": 400}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        sign_in_by_code(page, new_address())
        onboard(page, name="Zoe Zoom", url=f"zoom-{uuid.uuid4().hex[:6]}")
        page.locator("#profile-menu").click()
        page.get_by_role("menuitem", name="Settings").click()
        expect(page.get_by_role("dialog", name="Settings")).to_be_visible()
        seen = []
        for _ in range(30):
            page.keyboard.press("Tab")
            where = focus_at(page)
            assert where["inView"], f"focused but out of view: {where}"
            seen.append(where["name"])
        assert "Done" in seen  # went all the way round
    finally:
        context.close()
