"""Rooms, joining as a guest and the live lobby, with several browsers at once (issue: rooms)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.support.journeys import new_address, onboard, sign_in_by_code

RECORD_NOTIFICATIONS = """
(() => {
  window.__notes = [];
  const Real = window.Notification;
  class Recording extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notes.push(title + ": " + (options && options.body));
    }
  }
  Object.defineProperty(Recording, "permission", {get: () => Real.permission});
  Recording.requestPermission = (...a) => Real.requestPermission(...a);
  window.Notification = Recording;
})();
"""


def _host(page: Page, name: str = "Hana Host", use_case: str = "team-meetings") -> str:
    url = f"host-{uuid.uuid4().hex[:8]}"
    sign_in_by_code(page, new_address())
    onboard(page, use_case=use_case, name=name, url=url)
    return url


def _create_room(page: Page, name: str) -> str:
    page.get_by_role("button", name="Create new").click()
    page.get_by_role("radio", name="Room").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create", exact=True).click()
    tile = page.locator(".room-tile", has_text=name)
    expect(tile).to_be_visible()
    return tile.locator(".room-link").inner_text()


def _eventually(check, timeout: float = 15.0) -> bool:
    """True once `check()` is, polling the pages (a condition, never a fixed wait)."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _join(page: Page, link: str, name: str | None = None) -> None:
    page.goto(link)
    if name is not None:
        page.get_by_label("Your name in this room").fill(name)
    page.locator("#join").click()


def _open_locked(page: Page, link: str) -> Page:
    """The host opens their room in a new tab and locks it."""
    hosting = page.context.new_page()
    _join(hosting, link)
    hosting.locator("#lock-room").click()
    expect(hosting.locator("#lock-room")).to_have_attribute("data-state", "checked")
    return hosting


@pytest.mark.cluster
def test_a_host_creates_a_room_and_a_guest_appears_and_leaves_live(page, browser, app):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.url)
    url = _host(page)
    link = _create_room(page, "Weekly sync")
    assert link == f"{app.url}/{url}/weekly-sync"
    page.locator(".room-tile", has_text="Weekly sync").get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    hosting = page.context.new_page()
    _join(hosting, link)
    expect(hosting.locator("#lobby-people")).to_contain_text("Hana Host")
    expect(hosting.locator(".lobby-person", has_text="Hana Host")).to_contain_text("Host")
    guest_context = browser.new_context(base_url=app.url)
    guest = guest_context.new_page()
    _join(guest, link, "Gus Guest")
    expect(guest.locator("#lobby-people")).to_contain_text("Hana Host")
    expect(hosting.locator("#lobby-people")).to_contain_text("Gus Guest")
    assert "@example.com" not in guest.content()  # nothing private about the host
    guest_context.close()  # the tab closes: no goodbye is sent
    # Seen when its websocket closes (issue 16), not after the 20 s heartbeat timeout.
    expect(hosting.locator("#lobby-people")).not_to_contain_text("Gus Guest", timeout=8_000)


def test_the_joining_profile_is_remembered_in_the_browser(page, browser, app):
    _host(page)
    link = _create_room(page, "Coffee")
    guest_context = browser.new_context(base_url=app.url)
    try:
        guest = guest_context.new_page()
        guest.goto(link)
        guest.locator("#join").click()
        expect(guest.locator("#join-name-error")).to_contain_text("Enter the name")
        _join(guest, link, "Remembered Guest")
        expect(guest.locator("#lobby-people")).to_contain_text("Remembered Guest")
        guest.reload()  # a reload (or a reconnect) keeps the guest inside
        expect(guest.locator("#lobby-people")).to_contain_text("Remembered Guest")
        another_tab = guest_context.new_page()  # the browser remembers the joining profile
        another_tab.goto(link)
        expect(another_tab.get_by_label("Your name in this room")).to_have_value("Remembered Guest")
    finally:
        guest_context.close()


@pytest.mark.cluster
def test_a_locked_room_makes_the_guest_wait_and_the_host_is_notified(page, browser, app):
    page.context.grant_permissions(["notifications"], origin=app.url)
    page.context.add_init_script(RECORD_NOTIFICATIONS)
    _host(page)
    page.reload()
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Settings").click()
    page.locator("#notifications-switch").click()
    expect(page.locator("#notifications-switch")).to_have_attribute("data-state", "checked")
    page.keyboard.press("Escape")
    link = _create_room(page, "Private room")
    hosting = _open_locked(page, link)

    guest_context = browser.new_context(base_url=app.url)
    try:
        guest = guest_context.new_page()
        received: list[str] = []
        guest.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(str(frame))))
        _join(guest, link, "Knock Knock")
        expect(guest.locator("#waiting")).to_be_visible()
        expect(guest.locator("#lobby-people")).to_have_count(0)
        # Told once, by whichever of the host's tabs (dashboard or room) asks first.
        notified = "() => window.__notes.some(n => n.includes('Knock Knock is waiting in Private room'))"
        expect(hosting.locator(".knock")).to_be_visible(timeout=15_000)
        assert _eventually(lambda: page.evaluate(f"({notified})()") or hosting.evaluate(f"({notified})()"))
        expect(hosting.locator(".knock")).to_contain_text("Knock Knock is waiting")
        # Nothing of who is inside (the host, listed in the lobby) ever reached the
        # knocking tab: it is not linked to the room's lobby until it is let in.
        assert received and not any(re.search(r'"is_host":\s*true', frame) for frame in received)
        hosting.locator(".knock").get_by_role("button", name="Let in").click()
        expect(guest.locator("#lobby-people")).to_contain_text("Knock Knock", timeout=10_000)
        expect(hosting.locator("#lobby-people")).to_contain_text("Knock Knock")
    finally:
        guest_context.close()


def test_no_notification_for_a_host_who_turned_them_off(page, browser, app):
    page.context.grant_permissions(["notifications"], origin=app.url)
    page.add_init_script(RECORD_NOTIFICATIONS)
    _host(page)
    page.reload()
    link = _create_room(page, "Quiet room")
    guest_context = browser.new_context(base_url=app.url)
    try:
        _join(guest_context.new_page(), link, "Quiet Guest")
        expect(page.get_by_text("Quiet Guest joined Quiet room")).to_be_visible(timeout=15_000)  # the toast
        assert page.evaluate("window.__notes") == []
    finally:
        guest_context.close()


def test_a_signed_in_person_joining_someone_elses_room_sees_their_own_profile(page, browser, app):
    _host(page)
    link = _create_room(page, "Open house")
    visitor_context = browser.new_context(base_url=app.url)
    try:
        visitor = visitor_context.new_page()
        sign_in_by_code(visitor, new_address())
        onboard(visitor, name="Vera Visitor", url=f"vera-{uuid.uuid4().hex[:6]}")
        visitor.goto(link)
        expect(visitor.get_by_label("Your name in this room")).to_have_value("Vera Visitor")
        visitor.get_by_label("Your name in this room").fill("Vera (for this room)")
        visitor.locator("#join").click()
        expect(visitor.locator("#lobby-people")).to_contain_text("Vera (for this room)")
        expect(visitor.locator(".lobby-person", has_text="Vera")).not_to_contain_text("Host")
    finally:
        visitor_context.close()


def test_rename_keeps_the_link_and_delete_ends_it(page, browser, app):
    _host(page)
    link = _create_room(page, "Old name")
    page.locator(".room-tile", has_text="Old name").get_by_role("button", name="Rename").click()
    page.locator("#rename-input").fill("New name")
    page.locator("#rename-save").click()
    tile = page.locator(".room-tile", has_text="New name")
    expect(tile.locator(".room-link")).to_have_text(link)
    tile.get_by_role("button", name="Delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(page.locator(".room-tile")).to_have_count(0)
    page.goto(link)
    expect(page.locator("#room-missing")).to_have_text("Room not found")


def test_renaming_a_room_to_the_var_marker_shows_the_refusal(page):
    _host(page)
    _create_room(page, "Marked")
    page.locator(".room-tile", has_text="Marked").get_by_role("button", name="Rename").click()
    page.locator("#rename-input").fill("x <reflex.Var>y</reflex.Var>")
    page.locator("#rename-save").click()
    expect(page.get_by_text("Remove the text in angle brackets")).to_be_visible()
    expect(page.locator(".room-tile", has_text="Marked")).to_be_visible()  # the old name stays


def test_a_webinar_host_is_offered_a_session_first(page):
    _host(page, use_case="webinars")
    page.get_by_role("button", name="Create new").click()
    expect(page.get_by_role("radio", name="Session")).to_have_attribute("data-state", "on")
    page.get_by_label("Name").fill("Launch webinar")
    page.get_by_label("Starts (your time zone)").fill("2027-01-15T18:30")
    page.get_by_role("button", name="Create", exact=True).click()
    tile = page.locator(".room-tile", has_text="Launch webinar")
    expect(tile).to_contain_text("Fri 15 Jan, 18:30")
    expect(tile).to_contain_text("60 min")
    assert re.search(r"/launch-webinar$", tile.locator(".room-link").inner_text())


@pytest.mark.cluster
def test_a_declined_guest_is_told(page, browser, app):
    _host(page)
    link = _create_room(page, "Members only")
    hosting = _open_locked(page, link)
    guest_context = browser.new_context(base_url=app.url)
    try:
        guest = guest_context.new_page()
        _join(guest, link, "Not Today")
        expect(guest.locator("#waiting")).to_be_visible()
        hosting.locator(".knock").get_by_role("button", name="Decline").click()
        expect(guest.locator("#declined")).to_be_visible(timeout=10_000)
        expect(hosting.locator("#lobby-people")).not_to_contain_text("Not Today")
        guest.get_by_role("button", name="Knock again").click()
        expect(guest.locator("#waiting")).to_be_visible()
        expect(hosting.locator(".knock")).to_contain_text("Not Today is waiting", timeout=10_000)
        guest.get_by_role("button", name="Leave").click()
        expect(guest.get_by_label("Your name in this room")).to_have_value("Not Today")
        expect(hosting.locator(".knock")).to_have_count(0, timeout=10_000)
    finally:
        guest_context.close()


def test_a_mistyped_room_link_says_not_found(page, app):
    url = _host(page)
    page.goto(f"/{url}/no-such-room")
    expect(page.locator("#room-missing")).to_have_text("Room not found")
    expect(page.get_by_text("Check it for typos")).to_be_visible()


def test_a_guest_inside_a_room_the_host_deletes_is_told(page, browser, app):
    _host(page)
    link = _create_room(page, "Short lived")
    guest_context = browser.new_context(base_url=app.url)
    try:
        guest = guest_context.new_page()
        _join(guest, link, "Still Here")
        expect(guest.locator("#lobby-people")).to_contain_text("Still Here")
        page.locator(".room-tile", has_text="Short lived").get_by_role("button", name="Delete").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
        expect(guest.locator("#room-closed")).to_have_text("This room has closed", timeout=10_000)
        expect(guest.get_by_text("The host deleted this room")).to_be_visible()
    finally:
        guest_context.close()


def test_the_colour_choices_show_their_colours_and_names(page, browser, app):
    _host(page)
    link = _create_room(page, "Colourful")
    guest_context = browser.new_context(base_url=app.url)
    try:
        guest = guest_context.new_page()
        guest.goto(link)
        names = ["Violet", "Blue", "Green", "Orange", "Crimson", "Teal"]
        for name in names:
            expect(guest.get_by_role("radio", name=name)).to_be_visible()
        swatches = guest.locator(".colour-swatch").evaluate_all(
            "nodes => nodes.map(n => getComputedStyle(n).backgroundColor)"
        )
        assert len(set(swatches)) == len(names), swatches  # six different colours before any is picked
        guest.get_by_role("radio", name="Teal").click()
        expect(guest.get_by_role("radio", name="Teal")).to_be_checked()
        guest.get_by_label("Your name in this room").fill("Tina Teal")
        guest.locator("#join").click()
        dot = guest.locator(".lobby-person", has_text="Tina Teal").locator("div").first
        assert dot.evaluate("n => getComputedStyle(n).backgroundColor") == swatches[names.index("Teal")]
    finally:
        guest_context.close()


def test_a_guest_sees_a_sessions_time_in_their_own_zone(browser, app):
    host_context = browser.new_context(base_url=app.url, timezone_id="Europe/Lisbon")
    guest_context = browser.new_context(base_url=app.url, timezone_id="Asia/Tokyo")
    try:
        page = host_context.new_page()
        _host(page, use_case="webinars")
        expect(page.locator("#greeting")).to_be_visible()
        page.reload()  # the zone detected on the first visit is stored
        page.get_by_role("button", name="Create new").click()
        page.get_by_label("Name").fill("Tokyo friendly")
        page.get_by_label("Starts (your time zone)").fill("2027-01-15T10:00")
        page.get_by_role("button", name="Create", exact=True).click()
        tile = page.locator(".room-tile", has_text="Tokyo friendly")
        expect(tile).to_contain_text("Fri 15 Jan, 10:00")
        link = tile.locator(".room-link").inner_text()
        guest = guest_context.new_page()
        guest.goto(link)
        expect(guest.locator("#room-when")).to_have_text("Fri 15 Jan, 19:00 (Asia/Tokyo) · 60 min")
    finally:
        host_context.close()
        guest_context.close()


def test_a_host_waiting_in_their_own_room_is_notified_of_a_knock(page, browser, app):
    from session_app.accounts import preferences
    from tests.support.journeys import user_id_of

    page.context.grant_permissions(["notifications"], origin=app.url)
    address = new_address()
    sign_in_by_code(page, address)
    onboard(page, name="Rita Room", url=f"rita-{uuid.uuid4().hex[:8]}")
    preferences.set_notifications(user_id_of(address), True)
    link = _create_room(page, "Back office")
    page.add_init_script(RECORD_NOTIFICATIONS)
    _join(page, link)  # the dashboard is gone: the host waits in the room itself
    page.locator("#lock-room").click()
    expect(page.locator("#lock-room")).to_have_attribute("data-state", "checked")
    guest_context = browser.new_context(base_url=app.url)
    try:
        _join(guest_context.new_page(), link, "Late Comer")
        told = "() => window.__notes.some(n => n.includes('Late Comer is waiting in Back office'))"
        page.wait_for_function(told, timeout=15_000)
        expect(page.locator(".knock")).to_contain_text("Late Comer is waiting")
    finally:
        guest_context.close()
