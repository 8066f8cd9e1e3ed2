"""Rooms, joining as a guest and the live lobby, with several browsers at once (issue: rooms)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.support.journeys import new_address, onboard, sign_in_by_code

RECORD_NOTIFICATIONS = """
(() => {
  window.__notes = [];
  const Real = window.Notification;
  class Recording extends Real {
    constructor(title, options) { super(title, options); window.__notes.push(title + ": " + (options && options.body)); }
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
    expect(hosting.locator("#lobby-people")).not_to_contain_text("Gus Guest", timeout=20_000)


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
        guest.goto(link)
        expect(guest.get_by_label("Your name in this room")).to_have_value("Remembered Guest")
    finally:
        guest_context.close()


def test_a_locked_room_makes_the_guest_wait_and_the_host_is_notified(page, browser, app):
    page.context.grant_permissions(["notifications"], origin=app.url)
    page.add_init_script(RECORD_NOTIFICATIONS)
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
        _join(guest, link, "Knock Knock")
        expect(guest.locator("#waiting")).to_be_visible()
        expect(guest.locator("#lobby-people")).to_have_count(0)
        page.wait_for_function("window.__notes.some(n => n.includes('Knock Knock is waiting in Private room'))", timeout=15_000)
        expect(hosting.locator(".knock")).to_contain_text("Knock Knock is waiting")
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
    expect(page.locator("#room-missing")).to_have_text("This room no longer exists")


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
    finally:
        guest_context.close()
