"""Onboarding and the dashboard at the unique URL, in a real browser (issue: onboarding)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.support.journeys import claim_for_someone_else, new_address, onboard, sign_in_by_code


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


@pytest.mark.cluster
def test_the_whole_onboarding_with_a_taken_url_and_a_suggestion(page, app):
    taken = _unique("jane")
    claim_for_someone_else(taken)
    sign_in_by_code(page, new_address())
    expect(page.locator("#step-counter")).to_have_text("Step 1 of 3")
    expect(page.get_by_role("button", name="Continue")).to_be_disabled()

    # Step 1 by keyboard: focus the first card, move with the arrow keys, choose with Space.
    page.locator("#use-case-team-meetings").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#use-case-webinars")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#use-case-webinars")).to_have_attribute("data-state", "checked")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#step-counter")).to_have_text("Step 2 of 3")
    name = page.get_by_label("Display name")
    name.fill("\u202eevil")
    expect(page.locator("#name-error")).to_contain_text("invisible or control")
    name.fill("Jane Doe")
    expect(page.locator("#name-error")).to_have_count(0)
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#step-counter")).to_have_text("Step 3 of 3")
    url = page.get_by_label("Your URL")
    url.fill("admin")
    expect(page.locator("#url-status")).to_have_text("That name is reserved. Try another.")
    url.fill("jane--doe")
    expect(page.locator("#url-status")).to_contain_text("single hyphens")
    expect(page.get_by_role("button", name="Claim this URL")).to_be_disabled()
    url.fill(taken.upper())
    expect(page.locator("#url-status")).to_have_text("Someone already has that URL.")
    suggestions = page.locator(".url-suggestion")
    expect(suggestions).to_have_count(3)
    chosen = suggestions.first.inner_text()
    suggestions.first.click()
    expect(url).to_have_value(chosen)
    expect(page.locator("#url-status")).to_have_text("Available")
    expect(page.locator("#url-preview")).to_have_text(f"{app.url}/{chosen}")

    page.get_by_role("button", name="Claim this URL").click()
    expect(page.locator("#confirm-url")).to_have_text(f"{app.url}/{chosen}")
    expect(page.get_by_role("alertdialog")).to_contain_text("can't change it later")
    page.get_by_role("button", name="Yes, claim it").click()

    expect(page).to_have_url(re.compile(rf"/{chosen}/?$"))
    expect(page.locator("#greeting")).to_have_text("Welcome, Jane Doe")
    expect(page.locator("#use-case-greeting")).to_have_text("Schedule your first event and share its link.")
    expect(page.locator(".suggestion").first).to_contain_text("Schedule a webinar")
    expect(page.locator("#my-url")).to_have_text(f"{app.url}/{chosen}")


def test_a_reload_on_step_two_resumes_there_with_the_use_case_kept(page):
    sign_in_by_code(page, new_address())
    page.locator("#use-case-teaching").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#step-counter")).to_have_text("Step 2 of 3")
    page.reload()
    expect(page.locator("#step-counter")).to_have_text("Step 2 of 3")
    page.get_by_role("button", name="Back").click()
    expect(page.locator("#use-case-teaching")).to_have_attribute("data-state", "checked")


@pytest.mark.cluster
def test_a_visitor_sees_the_public_host_page_without_private_data(page, browser, app):
    address = new_address()
    url = _unique("host")
    sign_in_by_code(page, address)
    onboard(page, name="Public Host", url=url)
    visitor = browser.new_context(base_url=app.url)
    try:
        view = visitor.new_page()
        view.goto(f"/{url}")
        expect(view.locator("#host-name")).to_have_text("Public Host")
        expect(view.get_by_text("No public rooms yet")).to_be_visible()
        body = view.locator("body").inner_text()
        assert address not in body
        assert "Copy link" not in body and "Welcome" not in body
        expect(view.locator("#profile-menu")).to_have_count(0)
    finally:
        visitor.close()


def test_an_unknown_url_is_a_friendly_not_found(page):
    page.goto(f"/{_unique('nobody')}")
    expect(page.locator("#not-found")).to_have_text("There's nobody here")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", name=re.compile("Host your own"))).to_be_visible()


def test_markup_in_a_display_name_renders_as_text(page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in_by_code(page, new_address())
    onboard(page, name="<img src=x onerror=alert(1)>", url=_unique("markup"))
    expect(page.locator("#greeting")).to_have_text("Welcome, <img src=x onerror=alert(1)>")
    assert page.locator("#greeting img").count() == 0
    assert dialogs == []


def test_signed_in_people_who_have_not_finished_go_back_to_onboarding(page):
    claim_for_someone_else(taken := _unique("visited"))
    sign_in_by_code(page, new_address())
    page.goto(f"/{taken}")
    expect(page).to_have_url(re.compile(r"/onboarding/?$"))


def test_finished_people_go_straight_to_their_dashboard(page):
    url = _unique("home")
    sign_in_by_code(page, new_address())
    onboard(page, url=url)
    for path in ("/", "/signup", "/onboarding"):
        page.goto(path)
        expect(page).to_have_url(re.compile(rf"/{url}/?$"))
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.locator("#signed-out-notice")).to_be_visible()


def _to_step_3(page, name: str = "Tab Person") -> None:
    expect(page.locator("#step-counter")).to_have_text("Step 1 of 3")
    page.locator("#use-case-personal").click()
    expect(page.locator("#use-case-personal")).to_have_attribute("data-state", "checked")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Display name").fill(name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Your URL")).to_be_visible()


def test_a_retired_url_is_not_available_rather_than_someones(page):
    from session_app.db import write_session
    from session_app.models import UniqueUrl

    retired = _unique("gone")
    with write_session() as db:
        db.add(UniqueUrl(url=retired, user_id=None))  # its owner deleted their account
    sign_in_by_code(page, new_address())
    _to_step_3(page)
    page.get_by_label("Your URL").fill(retired)
    expect(page.locator("#url-status")).to_have_text("That URL isn't available. Choose another.")


@pytest.mark.cluster
def test_a_second_tab_is_told_which_url_the_first_one_claimed(page, app):
    sign_in_by_code(page, new_address())
    _to_step_3(page)
    second = page.context.new_page()
    second.goto("/onboarding")
    expect(second.get_by_label("Your URL")).to_be_visible()
    first_url, second_url = _unique("first"), _unique("second")
    second.get_by_label("Your URL").fill(second_url)
    expect(second.locator("#url-status")).to_have_text("Available")
    page.get_by_label("Your URL").fill(first_url)
    expect(page.locator("#url-status")).to_have_text("Available")
    page.get_by_role("button", name="Claim this URL").click()
    page.get_by_role("button", name="Yes, claim it").click()
    expect(page.locator("#greeting")).to_be_visible()
    second.get_by_role("button", name="Claim this URL").click()
    expect(second.locator("#already-claimed")).to_contain_text(f"You already claimed {app.url}/{first_url}")
    expect(second.get_by_role("alertdialog")).to_have_count(0)
    second.locator("#go-to-dashboard").click()
    expect(second).to_have_url(re.compile(rf"/{first_url}/?$"))


def test_a_name_starting_with_punctuation_gets_real_initials_and_suggestions(page):
    sign_in_by_code(page, new_address())
    _to_step_3(page, name="(Ann) Bee")
    expect(page.get_by_label("Your URL")).to_have_value(re.compile(r"^ann-bee"))
    url = _unique("ann")
    page.get_by_label("Your URL").fill(url)
    expect(page.locator("#url-status")).to_have_text("Available")
    page.get_by_role("button", name="Claim this URL").click()
    page.get_by_role("button", name="Yes, claim it").click()
    expect(page.locator("#profile-menu")).to_contain_text("AB")


def test_log_in_and_sign_up_sit_on_one_line_on_public_and_not_found_pages(page):
    host = _unique("pub")
    claim_for_someone_else(host, name="Public Person")
    for path in (f"/{host}", f"/{_unique('nobody')}"):
        page.goto(path)
        expect(page.locator("#nav-sign-up")).to_be_visible()
        log_in = page.locator("#nav-log-in").bounding_box()
        sign_up = page.locator("#nav-sign-up").bounding_box()
        centre = lambda box: box["y"] + box["height"] / 2  # noqa: E731
        assert abs(centre(log_in) - centre(sign_up)) < 1, (path, log_in, sign_up)
