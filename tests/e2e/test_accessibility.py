"""WCAG 2.2 AA in the browser (issue 11): axe-core on every page and state a person
reaches, in the light and the dark theme."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.support.axe import violations
from tests.support.journeys import ask_for_email, new_address
from tests.support.mail import code_in, latest_text, link_in
from tests.support.page_scripts import page_script
from tests.support.webauthn import virtual_authenticator

EDGE_CHECK = page_script("edge_check.js")

EDGE_KINDS = re.findall(r"\['([^']+)', \(el\)", EDGE_CHECK)


class Audit:
    def __init__(self, page: Page, found: dict[str, list[str]] | None = None) -> None:
        self.page = page
        self.found: dict[str, list[str]] = {} if found is None else found
        self.edge_kinds: set[str] = set()

    def __call__(self, state: str, allow: tuple[str, ...] = ()) -> None:
        problems = violations(self.page, allow)
        # axe does not measure the edges of controls (1.4.11): measured here.
        edges = self.page.evaluate(EDGE_CHECK)
        self.edge_kinds.update(edge["kind"] for edge in edges)
        problems += [f"edge {e['name']}: {e['ratio']:.2f}:1 < 3:1" for e in edges if e["ratio"] < 3]
        if problems:
            self.found[state] = problems

    def report(self) -> str:
        return "\n".join(f"{state}:\n  " + "\n  ".join(lines) for state, lines in self.found.items())


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("photo") / "wide.jpg"
    Image.new("RGB", (1200, 800), (40, 120, 200)).save(path, quality=90)
    return path


@pytest.fixture(params=["light", "dark"])
def theme(request) -> str:
    return request.param


@pytest.fixture
def themed(theme, browser, app):
    context = browser.new_context(
        base_url=app.url, color_scheme=theme, viewport={"width": 1200, "height": 850}
    )
    yield context.new_page()
    context.close()


def test_every_page_and_state_has_no_axe_violations(themed, theme, browser, app, photo):
    page, audit = themed, Audit(themed)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit("landing")
    page.goto("/signup")
    expect(page.get_by_label("Email address")).to_be_visible()
    audit("sign-up")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Continue with email").click()
    expect(page.locator("[role=alert], .field-error").first).to_be_visible()
    audit("sign-up error")
    expect(page).to_have_title(re.compile(r"^Error: "))  # WCAG 2.4.2: an error state says so first
    address = new_address()
    ask_for_email(page, address)
    audit("check your email")
    expect(page).to_have_title("Check your email · Session")
    page.get_by_label("6-digit code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That code", exact=False).first).to_be_visible()
    audit("check your email error")
    page.get_by_label("6-digit code").fill(code_in(latest_text(address)))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#step-counter")).to_have_text("Step 1 of 3")
    audit("onboarding step 1")
    titles = [page.title()]
    page.locator("#use-case-team-meetings").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Display name")).to_be_visible()
    audit("onboarding step 2")
    titles.append(page.title())
    page.get_by_label("Display name").fill("a" * 60)
    expect(page.locator("#name-error")).to_be_visible()
    audit("onboarding step 2 error")
    page.get_by_label("Display name").fill("Alex Audit")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Your URL")).to_be_visible()
    audit("onboarding step 3")
    titles.append(page.title())
    assert len(set(titles)) == 3, titles  # each step says where the person is
    page.get_by_label("Your URL").fill("signup")
    expect(page.locator("#url-status")).not_to_have_text("Available")
    audit("onboarding step 3 taken")
    url = f"audit-{uuid.uuid4().hex[:8]}"
    page.get_by_label("Your URL").fill(url)
    expect(page.locator("#url-status")).to_have_text("Available")
    page.get_by_role("button", name="Claim this URL").click()
    expect(page.get_by_role("button", name="Yes, claim it")).to_be_visible()
    audit("onboarding confirmation")
    page.get_by_role("button", name="Yes, claim it").click()
    expect(page.locator("#greeting")).to_be_visible()
    expect(page.locator("#passkey-offer")).to_be_visible()  # the browser said it can
    audit("dashboard empty")
    page.locator("#profile-menu").click()
    expect(page.get_by_role("menuitem", name="Settings")).to_be_visible()
    audit("profile menu")
    page.get_by_role("menuitem", name="Settings").click()
    expect(page.get_by_role("dialog", name="Settings")).to_be_visible()
    audit("settings")
    if app.mode == "single-port":  # passkeys work where the pages are on localhost
        virtual_authenticator(page)
        page.get_by_role("button", name="Add a passkey").click()
        expect(page.get_by_label("Passkey name")).to_have_count(1)
        audit("settings with a passkey")
    page.locator("#avatar-upload input[type=file]").set_input_files(photo)
    expect(page.locator("#crop-status")).to_contain_text("-pixel square")
    audit("the crop after an upload")
    page.locator("#delete-account").click()
    expect(page.locator("#delete-typed")).to_be_visible()
    audit("the delete-account form")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Create new").click()
    audit("create dialog")
    page.get_by_role("radio", name="Room").click()
    page.get_by_label("Name").fill("Audit room")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.locator(".room-tile")).to_be_visible()
    audit("dashboard with tiles")
    page.locator(".room-delete").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    audit("delete dialog")
    page.get_by_role("button", name="Keep it").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    link = page.locator(".room-link").inner_text()
    page.goto(link)
    expect(page.locator("#join")).to_be_visible()
    audit("room join as host")
    page.locator("#join").click()
    expect(page.locator("#lobby-people")).to_be_visible()
    audit("lobby as host")
    guests = browser.new_context(base_url=app.url, color_scheme=theme)
    try:
        guest = guests.new_page()
        outside = Audit(guest, audit.found)
        guest.goto(f"/{url}")
        expect(guest.locator("#host-name")).to_be_visible()
        outside("public host page")
        guest.goto(link)
        expect(guest.get_by_label("Your name in this room")).to_be_visible()
        outside("room join as guest")
        guest.get_by_label("Your name in this room").fill("Gale Guest")
        guest.locator("#join").click()
        expect(guest.locator("#lobby-people")).to_contain_text("Gale Guest")
        outside("lobby as guest")
        page.locator("#lock-room").click()
        expect(page.locator("#lock-room")).to_have_attribute("data-state", "checked")
        waiting = guests.new_page()
        knocker = Audit(waiting, audit.found)
        waiting.goto(link)
        waiting.get_by_label("Your name in this room").fill("Wren Waiting")
        waiting.locator("#join").click()
        expect(waiting.locator("#waiting")).to_be_visible()
        knocker("waiting")
        expect(page.locator(".knock")).to_be_visible()
        audit("lobby as host with a knock")
        page.locator(".knock").get_by_role("button", name="Decline").click()
        expect(waiting.locator("#declined")).to_be_visible()
        knocker("declined")
        fresh = guests.new_page()
        address = new_address()
        ask_for_email(fresh, address, start="/login")
        fresh.goto(link_in(latest_text(address)))
        expect(fresh.get_by_role("button", name=re.compile("Continue as"))).to_be_visible()
        Audit(fresh, audit.found)("magic-link confirm")
    finally:
        guests.close()
    page.goto(f"/{url}-nobody")
    expect(page.locator("#not-found")).to_be_visible()
    audit("not found")
    page.goto(f"/{url}/no-such-room")
    expect(page.locator("#room-missing")).to_be_visible()
    audit("room not found")
    assert not audit.found, audit.report()
    # Every kind of control edge was measured somewhere (settings has all of them).
    assert audit.edge_kinds == set(EDGE_KINDS), audit.edge_kinds
