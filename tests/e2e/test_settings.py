"""The settings popup in a real browser (issue: settings, avatar, notifications)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.support.journeys import new_host, open_settings, sign_in_by_code


def _host(page: Page, name: str = "Sam Settings") -> str:
    return new_host(page, name, prefix="set")[0]


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("images")
    wide = Image.new("RGB", (1600, 900), (30, 120, 220))
    wide.paste((250, 200, 40), (600, 200, 1000, 700))
    wide.save(folder / "wide.jpg", quality=90)
    (folder / "page.png").write_text("<html><script>alert(1)</script></html>")
    return {"wide": folder / "wide.jpg", "fake": folder / "page.png"}


@pytest.mark.cluster
def test_a_live_name_edit_shows_at_once_and_survives_a_reload(page):
    _host(page)
    open_settings(page)
    page.get_by_label("Display name").fill("Sam Renamed")
    expect(page.locator("#name-save-status")).to_have_text("Saved")
    expect(page.locator("#greeting")).to_have_text("Welcome, Sam Renamed")
    page.get_by_label("Display name").fill("\u202eevil")
    expect(page.locator("#settings-name-error")).to_contain_text("invisible or control")
    expect(page.locator("#name-save-status")).to_have_text("Not saved")
    page.keyboard.press("Escape")
    page.reload()
    expect(page.locator("#greeting")).to_have_text("Welcome, Sam Renamed")


@pytest.mark.cluster
def test_a_wide_photo_becomes_a_square_avatar_and_a_bad_file_keeps_it(page, images):
    _host(page)
    open_settings(page)
    page.locator("#avatar-upload input[type=file]").set_input_files(images["wide"])
    header = page.locator("#profile-menu img")
    expect(header).to_be_visible()
    size = header.evaluate(
        "img => new Promise(r => img.complete"
        " ? r([img.naturalWidth, img.naturalHeight])"
        " : img.onload = () => r([img.naturalWidth, img.naturalHeight]))"
    )
    assert size == [128, 128]
    src = header.get_attribute("src")
    assert re.search(r"/media/avatars/\d+/[\w-]+-128\.webp$", src)
    page.locator("#avatar-upload input[type=file]").set_input_files(images["fake"])
    expect(page.locator("#avatar-error")).to_have_text(
        "That file is not an image we accept. Use a JPEG, PNG, WebP or GIF."
    )
    expect(header).to_have_attribute("src", src)
    page.get_by_role("button", name="Remove").click()
    expect(page.locator("#profile-menu img")).to_have_count(0)
    assert page.request.get(src).status == 404  # the removed files are gone


def test_notifications_with_permission_granted_send_a_test(browser, app):
    context = browser.new_context(base_url=app.url)
    context.grant_permissions(["notifications"], origin=app.url)
    try:
        page = context.new_page()
        _host(page)
        open_settings(page)
        page.locator("#notifications-switch").click()
        expect(page.locator("#notifications-switch")).to_have_attribute("data-state", "checked")
        page.get_by_role("button", name="Send a test notification").click()
        page.wait_for_function("() => window.__sessionLastNotification !== undefined")
        assert page.evaluate("window.__sessionLastNotification").startswith("Session: Notifications are on")
        page.keyboard.press("Escape")
        page.reload()
        open_settings(page)
        expect(page.locator("#notifications-switch")).to_have_attribute("data-state", "checked")
    finally:
        context.close()


def test_notifications_blocked_by_the_browser_are_explained(page):
    _host(page)
    page.evaluate("Notification.requestPermission = async () => 'denied'")
    open_settings(page)
    page.locator("#notifications-switch").click()
    expect(page.locator("#notifications-help")).to_contain_text("blocked for this site")
    expect(page.locator("#notifications-switch")).to_have_attribute("data-state", "unchecked")


def test_the_theme_is_kept_for_the_account_across_browsers(page, browser, app):
    address = _host(page)
    open_settings(page)
    page.get_by_role("radio", name="Dark").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    other = browser.new_context(base_url=app.url)  # empty local storage
    try:
        second = other.new_page()
        sign_in_by_code(second, address, start="/login")
        expect(second.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    finally:
        other.close()


def test_escape_closes_the_popup_and_the_deep_link_opens_it(page):
    _host(page)
    url = page.url.split("?")[0].rstrip("/")
    page.goto(f"{url}?settings=1")
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog).to_be_visible()
    expect(page.locator("#settings-email")).to_be_visible()
    expect(dialog).to_contain_text("Email changes go through support")
    expect(dialog).to_contain_text("Your URL cannot be changed.")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


def test_the_time_zone_is_detected_from_the_browser(browser, app):
    context = browser.new_context(base_url=app.url, timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        _host(page)
        open_settings(page)
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
        page.get_by_label("Time zone").select_option("Europe/Lisbon")
        page.keyboard.press("Escape")
        page.reload()
        open_settings(page)
        expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    finally:
        context.close()


@pytest.mark.cluster
def test_dragging_the_crop_and_saving_changes_the_avatar(page, images):
    _host(page)
    open_settings(page)
    page.locator("#avatar-upload input[type=file]").set_input_files(images["wide"])
    header = page.locator("#profile-menu img")
    expect(header).to_be_visible()
    before = header.get_attribute("src")
    cropper = page.locator("#avatar-cropper")
    expect(cropper).to_be_visible()
    box = cropper.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)  # zoom in
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 60, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    page.get_by_role("button", name="Save crop").click()
    expect(header).not_to_have_attribute("src", before)
    assert re.search(r"-128\.webp$", header.get_attribute("src"))


def test_a_browser_without_notifications_is_told_so(page):
    _host(page)
    page.evaluate("delete window.Notification")
    open_settings(page)
    expect(page.locator("#notifications-help")).to_have_text("This browser can't show notifications.")
    expect(page.locator("#notifications-switch")).to_be_disabled()


def test_the_time_zone_is_stored_on_the_first_visit_to_the_dashboard(browser, app):
    context = browser.new_context(base_url=app.url, timezone_id="America/Sao_Paulo")
    try:
        page = context.new_page()
        _host(page)
        page.get_by_role("button", name="Create new").click()
        page.get_by_role("radio", name="Session").click()
        page.get_by_label("Name").fill("First class")
        page.get_by_label("Starts (your time zone)").fill("2027-03-01T09:00")
        page.get_by_role("button", name="Create", exact=True).click()
        expect(page.locator(".room-tile", has_text="First class")).to_contain_text(
            "09:00 (America/Sao Paulo)"
        )
    finally:
        context.close()


def test_a_fresh_upload_shows_the_crop_without_an_error(page, images):
    """The crop widget reports before the image is measured; that report is ignored."""
    _host(page)
    open_settings(page)
    page.locator("#avatar-upload input[type=file]").set_input_files(images["wide"])
    expect(page.locator("#avatar-cropper img")).to_be_visible()
    page.locator("#avatar-cropper img").evaluate("img => img.complete || new Promise(r => img.onload = r)")
    page.get_by_role("button", name="Save crop").click()
    expect(page.locator("#crop-status")).to_contain_text("Saved.")
    expect(page.locator("#avatar-error")).to_have_count(0)
    # The guard fails this test if "Something went wrong" showed or the server logged an error.


def test_a_photo_over_10_mb_is_refused_next_to_the_control(page, tmp_path):
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + bytes(11 * 1024 * 1024))
    _host(page)
    open_settings(page)
    page.locator("#avatar-upload input[type=file]").set_input_files(big)
    expect(page.locator("#avatar-error")).to_have_text("Images must be under 10 MB.")
    expect(page.locator("#upload-progress")).to_have_count(0)
    expect(page.locator("#profile-menu img")).to_have_count(0)


def test_the_switch_shows_off_when_the_browser_has_not_allowed_notifications(page):
    from session_app.accounts import preferences
    from tests.support.journeys import user_id_of

    address = _host(page)
    preferences.set_notifications(user_id_of(address), True)  # on, then the browser was reset
    open_settings(page)
    expect(page.locator("#notifications-switch")).to_have_attribute("data-state", "unchecked")
    page.evaluate("Notification.requestPermission = async () => 'denied'")
    page.locator("#notifications-switch").click()
    expect(page.locator("#notifications-help")).to_contain_text("blocked for this site")
    page.keyboard.press("Escape")
    page.reload()
    open_settings(page)
    expect(page.locator("#notifications-switch")).to_have_attribute("data-state", "unchecked")


def test_time_zones_are_searchable_with_friendly_names_and_sign_in_times_use_them(browser, app):
    context = browser.new_context(base_url=app.url, timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        _host(page)
        open_settings(page)
        select = page.get_by_label("Time zone")
        expect(select).to_have_value("Asia/Tokyo")
        first = select.locator("option:not([disabled])").first
        expect(first).to_have_text("(UTC+09:00) Tokyo, Japan")  # the current zone comes first
        names = select.locator("option").evaluate_all("options => options.map(o => o.value)")
        assert not [name for name in names if name.startswith(("Etc/", "US/")) or name in {"GB", "Japan"}]
        expect(page.locator(".session-row")).to_contain_text("Asia/Tokyo")
        page.get_by_label("Find your city or country").fill("lisbon")
        expect(select.locator("option:not([disabled])")).to_have_count(2)  # Tokyo (current) and Lisbon
        select.select_option("Europe/Lisbon")
        expect(page.locator(".session-row")).to_contain_text("Europe/Lisbon")
    finally:
        context.close()


def test_the_display_name_saves_once_after_a_pause_not_per_keystroke(page):
    _host(page)
    open_settings(page)
    page.evaluate(
        """() => {
        window.__savingShown = 0;
        new MutationObserver(() => {
          const status = document.querySelector('#name-save-status');
          const text = status ? status.textContent : '';
          if (text === 'Saving…' && window.__lastStatus !== text) window.__savingShown += 1;
          window.__lastStatus = text;
        }).observe(document.body, {childList: true, subtree: true, characterData: true});
      }"""
    )
    field = page.get_by_label("Display name")
    field.fill("")
    field.press_sequentially("Quick Typist", delay=40)
    expect(page.locator("#name-save-status")).to_have_text("Saved")
    expect(page.locator("#greeting")).to_have_text("Welcome, Quick Typist")
    assert page.evaluate("window.__savingShown") <= 2  # the clear, then the name: not one per key


def test_the_crop_moves_and_zooms_by_keys_and_by_single_clicks(page, images):
    """WCAG 2.1.1 and 2.5.7: arrow keys on the named crop area, and buttons for one
    pointer, move and zoom the photo; the chosen square is announced."""
    _host(page)
    open_settings(page)
    page.locator("#avatar-upload input[type=file]").set_input_files(images["wide"])
    area = page.get_by_role("group", name=re.compile("Photo crop"))
    expect(area).to_be_visible()
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    status = page.locator("#crop-status[role=status]")
    expect(status).to_contain_text("A 600-pixel square")  # 900 px high at 1.5×
    before = status.inner_text()
    area.focus()
    page.keyboard.press("ArrowRight", delay=80)  # a key held as long as a person would
    expect(status).not_to_have_text(before)
    after_keys = status.inner_text()
    page.get_by_role("button", name="Move the photo up").click()
    expect(status).not_to_have_text(after_keys)
    header = page.locator("#profile-menu img")
    expect(header).to_be_visible()
    avatar_before = header.get_attribute("src")
    page.get_by_role("button", name="Save crop").click()
    expect(status).to_contain_text("Saved.")
    expect(header).not_to_have_attribute("src", avatar_before)
