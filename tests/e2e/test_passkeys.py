"""Passkeys in a real Chromium with its virtual authenticator (issue 15): add one in
Settings, sign in with it, cancel, remove, two accounts, and no controls without
WebAuthn. Browsers refuse an IP address as RP ID, so these run where the page is on
localhost: the single-port server `make run` starts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.journeys import new_host, open_settings, sign_in_by_code
from tests.support.webauthn import virtual_authenticator as _authenticator

passkeys_work = pytest.mark.single_port_only


def _host(page: Page, name: str = "Pat Passkey") -> str:
    return new_host(page, name, prefix="key")[0]


def _add_passkey_in_settings(page: Page) -> None:
    open_settings(page)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#passkeys")).to_contain_text("Passkey added")
    expect(page.get_by_label("Passkey name")).to_have_count(1)


def _log_out(page: Page) -> None:
    if page.get_by_role("dialog", name="Settings").is_visible():
        page.get_by_role("button", name="Done").click()
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.locator("#signed-out-notice")).to_be_visible()


def _sign_in_with_passkey(page: Page) -> None:
    page.goto("/login")
    page.get_by_role("button", name="Sign in with a passkey").click()


@passkeys_work
@pytest.mark.cluster  # two workers: the dialog's answer may reach the other one
def test_add_a_passkey_name_it_log_out_and_sign_in_with_it(page: Page):
    _authenticator(page)
    address = _host(page)
    expect(page.locator("#passkey-offer")).to_contain_text("Sign in faster next time")
    _add_passkey_in_settings(page)
    name = page.get_by_label("Passkey name")
    expect(name).to_have_value("Chrome on Linux")
    expect(page.locator("#passkeys")).to_contain_text("last used never")
    name.fill("Work laptop")
    name.press("Tab")  # saved when the field is left
    page.get_by_role("button", name="Done").click()
    offer = page.locator("#passkey-offer")
    expect(offer).to_contain_text("Passkey added")  # the offer, answered from Settings
    expect(offer.get_by_role("button", name="Not now")).to_have_count(0)
    page.reload()
    expect(page.locator("#greeting")).to_have_text("Welcome, Pat Passkey")
    page.get_by_role("button", name="Create new").wait_for()
    expect(offer).to_have_count(0)  # offered only while there is none
    open_settings(page)
    expect(page.get_by_label("Passkey name")).to_have_value("Work laptop")
    _log_out(page)
    _sign_in_with_passkey(page)
    expect(page.locator("#greeting")).to_have_text("Welcome, Pat Passkey")
    open_settings(page)
    expect(page.locator("#settings-email")).to_have_text(address)
    expect(page.locator("#passkeys")).not_to_contain_text("last used never")


@passkeys_work
def test_the_email_fields_autofill_signs_in(page: Page):
    _authenticator(page, autofill=True)
    _host(page, "Ada Autofill")
    _add_passkey_in_settings(page)
    _log_out(page)
    page.goto("/login")
    expect(page.get_by_label("Email address")).to_have_attribute("autocomplete", "username webauthn")
    # The passkey offered in the field's autofill is picked: no button, nothing typed.
    expect(page.locator("#greeting")).to_have_text("Welcome, Ada Autofill")


@passkeys_work
def test_a_cancelled_dialog_says_so_and_email_still_works(page: Page):
    cdp, authenticator = _authenticator(page)
    address = _host(page, "Cal Cancel")
    _add_passkey_in_settings(page)
    _log_out(page)
    # The person turns the fingerprint prompt down: the browser ends the ceremony.
    cdp.send("WebAuthn.setUserVerified", {"authenticatorId": authenticator, "isUserVerified": False})
    _sign_in_with_passkey(page)
    expect(page.locator("#passkey-error")).to_contain_text("closed or timed out")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_enabled()
    sign_in_by_code(page, address, start="/login")
    expect(page.locator("#greeting")).to_have_text("Welcome, Cal Cancel")


@passkeys_work
def test_a_removed_passkey_no_longer_signs_in(page: Page):
    _authenticator(page)
    _host(page, "Rae Remove")
    _add_passkey_in_settings(page)
    page.get_by_role("button", name="Remove", exact=True).click()
    page.get_by_role("button", name="Keep").click()  # changed their mind once
    expect(page.get_by_label("Passkey name")).to_have_count(1)
    page.get_by_role("button", name="Remove", exact=True).click()
    page.get_by_role("button", name="Remove passkey").click()
    expect(page.locator("#passkeys")).to_contain_text("Passkey removed")
    expect(page.get_by_label("Passkey name")).to_have_count(0)
    _log_out(page)
    _sign_in_with_passkey(page)
    expect(page.locator("#passkey-error")).to_contain_text("isn't set up for any Session account")
    expect(page).to_have_url(re.compile(r"/login"))


@passkeys_work
def test_each_account_signs_in_with_its_own_passkey(page: Page, browser, app):
    _authenticator(page)
    _host(page, "First Person")
    _add_passkey_in_settings(page)
    _log_out(page)
    second: BrowserContext = browser.new_context(base_url=app.url)
    try:
        other = second.new_page()
        _authenticator(other)
        second_address = _host(other, "Second Person")
        _add_passkey_in_settings(other)
        _log_out(other)
        _sign_in_with_passkey(other)
        expect(other.locator("#greeting")).to_have_text("Welcome, Second Person")
        open_settings(other)
        expect(other.locator("#settings-email")).to_have_text(second_address)
    finally:
        second.close()
    _sign_in_with_passkey(page)
    expect(page.locator("#greeting")).to_have_text("Welcome, First Person")


@passkeys_work
def test_not_now_dismisses_the_dashboard_offer_for_good(page: Page):
    _authenticator(page)
    _host(page, "Nia Notnow")
    offer = page.locator("#passkey-offer")
    offer.get_by_role("button", name="Not now").click()
    expect(offer).to_have_count(0)
    page.reload()
    expect(page.locator("#greeting")).to_have_text("Welcome, Nia Notnow")
    page.get_by_role("button", name="Create new").wait_for()
    expect(offer).to_have_count(0)
    open_settings(page)
    expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()  # still in Settings


def test_a_browser_without_webauthn_sees_no_passkey_controls(browser, app):
    context = browser.new_context(base_url=app.url)
    context.add_init_script("delete window.PublicKeyCredential;")
    try:
        page = context.new_page()
        page.goto("/login")
        expect(page.get_by_label("Email address")).to_have_attribute("autocomplete", "email")
        _host(page, "Wes Without")
        page.get_by_role("button", name="Create new").wait_for()
        expect(page.locator("#passkey-offer")).to_have_count(0)
        open_settings(page)
        expect(page.locator("#settings-email")).to_be_visible()
        expect(page.locator("#passkeys")).to_have_count(0)
        _log_out(page)
        page.goto("/login")
        expect(page.get_by_role("button", name="Continue with email")).to_be_visible()
        expect(page.get_by_role("button", name="Sign in with a passkey")).to_have_count(0)
    finally:
        context.close()
