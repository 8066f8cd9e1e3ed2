"""Steps that several browser tests share: ask for an email, read it, sign in."""

from __future__ import annotations

import itertools
import uuid

from playwright.sync_api import Locator, Page, expect
from sqlmodel import col, select

from session_app.db import read_session
from session_app.models import SignInRequest
from tests.support.mail import code_in, latest_text, link_in

_counter = itertools.count()


def new_address() -> str:
    return f"person{next(_counter)}-{uuid.uuid4().hex[:6]}@example.com"


def fill_on_arrival(field: Locator, text: str) -> None:
    """Fill a field of a page that has just opened. The page's state may still arrive
    and set the field's starting value (what was typed there before) between the two
    steps of Playwright's fill, select-all and insert, leaving both texts in it; a
    person would see the starting value and type over it, so the fill is repeated
    until the field holds just `text`."""
    for _ in range(3):
        field.fill(text)
        if field.input_value() == text:
            return
    expect(field).to_have_value(text)


def ask_for_email(page: Page, address: str, start: str = "/signup") -> None:
    page.goto(start)
    fill_on_arrival(page.get_by_label("Email address"), address)
    page.get_by_role("button", name="Continue with email").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()


def email_text(address: str) -> str:
    return latest_text(address)


def latest_request(address: str) -> SignInRequest:
    with read_session() as db:
        return db.exec(
            select(SignInRequest)
            .where(SignInRequest.email_key == address.lower())
            .order_by(col(SignInRequest.id).desc())
        ).first()


def sign_in_by_link(page: Page, address: str) -> None:
    ask_for_email(page, address)
    page.goto(link_in(email_text(address)))
    page.get_by_role("button", name="Continue as").click()
    expect(page.locator("#signed-in-email")).to_have_text(address)


def sign_in_by_code(page: Page, address: str, start: str = "/signup") -> None:
    ask_for_email(page, address, start=start)
    page.get_by_label("6-digit code").fill(code_in(email_text(address)))
    page.get_by_role("button", name="Sign in").click()
    if start == "/signup":
        expect(page.locator("#signed-in-email")).to_have_text(address)


def claim_for_someone_else(url: str, name: str = "Someone Else") -> None:
    """Another person who already finished onboarding with this URL."""
    from tests.support.factories import onboarded_user

    onboarded_user(new_address(), name, url, use_case="personal")


def onboard(page: Page, *, use_case: str = "team-meetings", name: str = "Jane Doe", url: str) -> None:
    """From step 1 to the dashboard."""
    expect(page.locator("#step-counter")).to_have_text("Step 1 of 3")
    page.locator(f"#use-case-{use_case}").click()
    expect(page.locator(f"#use-case-{use_case}")).to_have_attribute("data-state", "checked")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Display name").fill(name)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your URL").fill(url)
    expect(page.locator("#url-status")).to_have_text("Available")
    page.get_by_role("button", name="Claim this URL").click()
    page.get_by_role("button", name="Yes, claim it").click()
    expect(page.locator("#greeting")).to_have_text(f"Welcome, {name}")


def user_id_of(address: str) -> int:
    from session_app.models import User

    with read_session() as db:
        return db.exec(select(User.id).where(User.email_key == address.lower())).one()


def new_host(page: Page, name: str, *, prefix: str, use_case: str = "coaching") -> tuple[str, str]:
    """Someone new, signed up by code and onboarded onto their dashboard: (address, URL)."""
    address, url = new_address(), f"{prefix}-{uuid.uuid4().hex[:8]}"
    sign_in_by_code(page, address)
    onboard(page, use_case=use_case, name=name, url=url)
    return address, url


def open_settings(page: Page) -> None:
    """The owner's settings popup, from the profile menu."""
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Settings").click()
    expect(page.get_by_role("dialog", name="Settings")).to_be_visible()
