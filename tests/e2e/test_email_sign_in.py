"""Sign-up and log-in by email in a real browser (issue: foundation)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from session_app.db import write_session
from session_app.models import SignInRequest
from tests.support.journeys import (
    ask_for_email,
    email_text,
    fill_on_arrival,
    latest_request,
    new_address,
    sign_in_by_code,
    sign_in_by_link,
)
from tests.support.mail import code_in, link_in, outbox


@pytest.mark.cluster
def test_sign_up_by_link_from_the_landing_page(page, context):
    address = new_address()
    page.goto("/")
    page.locator("#nav-sign-up").click()
    expect(page).to_have_url(re.compile(r"/signup/?$"))
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Continue with email").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.locator("#masked-email")).to_have_text(address[0] + "…@example.com")

    # The email, as a person finds it: in the local mailbox of `make run`.
    mailbox = context.new_page()
    mailbox.goto("/dev/mailbox")
    link = mailbox.locator(".mailbox-link").first
    expect(link).to_be_visible()
    mailbox.goto(link.get_attribute("href"))
    expect(mailbox.get_by_role("heading", name=re.compile("Continue as"))).to_be_visible()
    mailbox.get_by_role("button", name="Continue as").click()
    expect(mailbox.locator("#signed-in-email")).to_have_text(address)
    expect(mailbox).to_have_url(re.compile(r"/onboarding/?$"))


@pytest.mark.cluster
def test_sign_up_by_code(page):
    sign_in_by_code(page, new_address())


@pytest.mark.cluster
def test_log_in_again_reaches_the_same_account(page, context):
    address = new_address()
    sign_in_by_link(page, address)
    other = context.browser.new_context(base_url=page.url.split("/onboarding")[0])
    try:
        second = other.new_page()
        ask_for_email(second, address.upper(), start="/login")
        second.get_by_label("6-digit code").fill(code_in(email_text(address)))
        second.get_by_role("button", name="Sign in").click()
        expect(second.locator("#signed-in-email")).to_have_text(address)
    finally:
        other.close()


def test_a_used_link_is_refused_with_a_way_forward(page, browser, app):
    address = new_address()
    sign_in_by_link(page, address)
    link = link_in(email_text(address))
    fresh = browser.new_context(base_url=app.url)
    try:
        again = fresh.new_page()
        again.goto(link)
        expect(again).to_have_url(re.compile(r"/login/?\?notice=link-dead$"))
        expect(again.locator("#sign-in-notice")).to_contain_text("can't be used any more")
        expect(again.get_by_label("Email address")).to_be_visible()
    finally:
        fresh.close()


def test_an_expired_code_is_refused_and_the_typed_code_is_kept(page):
    address = new_address()
    ask_for_email(page, address)
    code = code_in(email_text(address))
    with write_session() as db:
        request = db.get(SignInRequest, latest_request(address).id)
        request.expires_at = request.created_at - dt.timedelta(seconds=1)
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("expired")
    expect(page.get_by_label("6-digit code")).to_have_value(code)
    expect(page.locator("#signed-in-email")).to_have_count(0)


def test_a_wrong_code_says_how_many_tries_are_left(page):
    address = new_address()
    ask_for_email(page, address)
    code = code_in(email_text(address))
    wrong = "000000" if code != "000000" else "111111"
    page.get_by_label("6-digit code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("4 tries left")
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signed-in-email")).to_have_text(address)


def test_a_bad_address_gets_its_error_next_to_the_field_and_keeps_the_input(page):
    page.goto("/signup")
    page.get_by_label("Email address").fill("jane@example.com, bob@example.com")
    page.get_by_role("button", name="Continue with email").click()
    expect(page.locator("#email-error")).to_contain_text("one email address")
    expect(page.get_by_label("Email address")).to_have_value("jane@example.com, bob@example.com")
    expect(page.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")


def test_the_answer_is_the_same_for_new_and_known_addresses(page, browser, app):
    known = new_address()
    sign_in_by_link(page, known)
    texts = []
    for address in (known, new_address()):
        fresh = browser.new_context(base_url=app.url)
        try:
            tab = fresh.new_page()
            ask_for_email(tab, address)
            texts.append(tab.locator("main").inner_text().replace(address[0] + "…", "X…"))
        finally:
            fresh.close()
    assert texts[0] == texts[1]


def test_too_many_emails_say_when_to_try_again(page):
    address = new_address()
    ask_for_email(page, address)
    for _ in range(3):
        page.get_by_role("button", name="Use a different email").click()
        expect(page.get_by_label("Email address")).to_have_value(address)
        page.get_by_role("button", name="Continue with email").click()
    expect(page.locator("#email-error")).to_contain_text(re.compile(r"Try again in \d+ minutes"))
    assert len(outbox(address)) == 3


def test_the_session_cookie_is_invisible_to_javascript(page, context):
    sign_in_by_link(page, new_address())
    assert "session" not in page.evaluate("document.cookie")
    (cookie,) = [c for c in context.cookies() if c["name"] == "session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"


@pytest.mark.cluster
def test_log_out_then_back_shows_a_signed_out_page(page):
    sign_in_by_link(page, new_address())
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("#signed-out-notice")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Email address")).to_be_visible()
    expect(page.locator("#signed-in-email")).to_have_count(0)
    page.goto("/onboarding")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_signed_in_people_go_straight_on_from_landing_and_sign_up(page):
    sign_in_by_code(page, new_address())
    for path in ("/", "/signup", "/login"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/onboarding/?$"))


def test_the_link_origin_comes_from_settings_not_from_the_request(page, context, monkeypatch, app):
    from reflex.config import get_config

    configured = app.api_url
    if app.mode != "single-port":  # the backend runs here: configure another origin
        configured = "https://configured.test"
        monkeypatch.setattr(get_config(), "api_url", configured)
    context.set_extra_http_headers({"X-Forwarded-Host": "evil.test", "Forwarded": "host=evil.test"})
    address = new_address()
    ask_for_email(page, address)
    assert link_in(email_text(address)).startswith(f"{configured}/auth/magic?t=")


@pytest.mark.expected_server_error("could not store a sign-in request")
def test_a_locked_database_gives_a_clear_error_keeps_the_input_and_a_retry_works(page):
    """SECURITY.md §4.3 and G1: no stack trace, no partial state, the retry succeeds."""
    import os
    import sqlite3

    from sqlmodel import select

    from session_app.db import read_session

    database = os.environ["REFLEX_DB_URL"].removeprefix("sqlite:///")
    address = new_address()
    page.goto("/signup")
    fill_on_arrival(page.get_by_label("Email address"), address)
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    try:
        page.get_by_role("button", name="Continue with email").click()
        expect(page.locator("#email-error")).to_have_text(
            "We couldn't do that just now. Please try again in a moment.", timeout=15_000
        )
    finally:
        blocker.rollback()
        blocker.close()
    expect(page.get_by_label("Email address")).to_have_value(address)
    assert "Traceback" not in page.content() and "sqlite3" not in page.content()
    with read_session() as db:
        assert db.exec(select(SignInRequest).where(SignInRequest.email_key == address)).all() == []
    assert outbox(address) == []
    page.get_by_role("button", name="Continue with email").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert len(outbox(address)) == 1


def test_a_stranger_asking_for_your_address_does_not_lock_you_out(page, browser, app):
    """Issue: lockout by strangers. The stranger's emails are the owner's way in."""
    address = new_address()
    stranger_context = browser.new_context(base_url=app.url)
    try:
        stranger = stranger_context.new_page()
        ask_for_email(stranger, address)
        for _ in range(2):
            stranger.get_by_role("button", name="Use a different email").click()
            stranger.get_by_role("button", name="Continue with email").click()
            expect(stranger.get_by_role("heading", name="Check your email")).to_be_visible()
    finally:
        stranger_context.close()
    page.goto("/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Continue with email").click()
    expect(page.locator("#email-error")).to_contain_text("open the newest sign-in email we sent")
    expect(page.get_by_label("Email address")).to_have_value(address)
    page.goto(link_in(email_text(address)))
    page.get_by_role("button", name="Continue as").click()
    expect(page.locator("#signed-in-email")).to_have_text(address)
