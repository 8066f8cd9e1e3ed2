"""Account lifecycle in a real browser: deletion through email, sessions, data (issue: lifecycle)."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.support.journeys import email_text, new_host, open_settings, sign_in_by_code


def _host(page: Page) -> tuple[str, str]:
    return new_host(page, "Acct Holder", prefix="acct", use_case="team-meetings")


def test_request_deletion_confirm_by_email_see_the_banner_and_cancel(page):
    address, url = _host(page)
    open_settings(page)
    page.get_by_role("button", name="Delete my account…").click()
    page.get_by_label("Type your URL to confirm").fill("not-my-url")
    page.get_by_role("button", name="Email me a confirmation link").click()
    expect(page.locator("#delete-error")).to_contain_text(f"Type your URL, {url}")
    page.get_by_label("Type your URL to confirm").fill(url)
    page.get_by_role("button", name="Email me a confirmation link").click()
    expect(page.locator("#deletion-email-sent")).to_be_visible()
    link = re.search(r"https?://\S+/auth/confirm-deletion\?t=[\w-]+", email_text(address)).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Delete your Session account?")).to_be_visible()
    page.get_by_role("button", name="Confirm deletion").click()
    expect(page).to_have_url(re.compile(rf"/{url}/?$"))
    expect(page.locator("#deletion-banner")).to_contain_text("Your account will be deleted on")
    page.locator("#cancel-deletion").click()
    expect(page.locator("#deletion-banner")).to_have_count(0)
    page.reload()
    expect(page.locator("#greeting")).to_be_visible()
    expect(page.locator("#deletion-banner")).to_have_count(0)


def test_sign_out_of_all_other_sessions(page, browser, app):
    address, url = _host(page)
    other_context = browser.new_context(base_url=app.url)
    try:
        other = other_context.new_page()
        sign_in_by_code(other, address, start="/login")
        expect(other.locator("#greeting")).to_be_visible()
        open_settings(page)
        expect(page.locator(".session-row")).to_have_count(2)
        page.get_by_role("button", name="Sign out of all other sessions").click()
        expect(page.locator("#sessions-message")).to_have_text("Signed out of 1 other session.")
        expect(page.locator(".session-row")).to_have_count(1)
        other.reload()
        expect(other.locator("#host-name")).to_have_text("Acct Holder")  # the public page now
        expect(other.locator("#profile-menu")).to_have_count(0)
        page.keyboard.press("Escape")
        page.reload()
        expect(page.locator("#greeting")).to_be_visible()  # this browser stays in
    finally:
        other_context.close()


def test_download_my_data(page):
    address, url = _host(page)
    open_settings(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    data = json.loads(open(download.value.path()).read())
    assert data["account"]["email"] == address and data["account"]["url"] == url
    assert data["profile"]["display_name"] == "Acct Holder"


def test_a_browser_signed_out_from_elsewhere_is_told_on_its_next_page(page, browser, app):
    address, url = _host(page)
    other_context = browser.new_context(base_url=app.url)
    try:
        other = other_context.new_page()
        sign_in_by_code(other, address, start="/login")
        expect(other.locator("#greeting")).to_be_visible()
        open_settings(page)
        page.get_by_role("button", name="Sign out of all other sessions").click()
        expect(page.locator("#sessions-message")).to_have_text("Signed out of 1 other session.")
        other.reload()
        expect(other.get_by_text("You were signed out on this browser")).to_be_visible()
        expect(other.locator("#host-name")).to_have_text("Acct Holder")  # now a visitor
        other.goto("/login")
        expect(other.get_by_label("Email address")).to_be_visible()
        expect(other.get_by_text("You were signed out on this browser")).to_have_count(0)  # told once
    finally:
        other_context.close()


def test_the_masked_address_stays_on_one_line(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/signup")
    page.get_by_label("Email address").fill("someone.with.a.longer.name@example.com")
    page.get_by_role("button", name="Continue with email").click()
    masked = page.locator("#masked-email")
    expect(masked).to_be_visible()
    assert masked.evaluate("node => node.getClientRects().length") == 1
