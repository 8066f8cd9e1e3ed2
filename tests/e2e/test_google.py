"""Continue with Google in a real browser, against an OpenID provider on loopback."""

from __future__ import annotations

import os
import re
import socket
import uuid

import pytest
from playwright.sync_api import Page, expect

from session_app.auth import oidc
from session_app.environment import reload_environment
from tests.support.journeys import email_text, new_address, onboard, sign_in_by_code


def _google(page: Page, sub: str, start: str = "/signup") -> None:
    page.goto(start)
    page.locator("#continue-google").click()
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def _sub() -> str:
    return f"google-{uuid.uuid4().hex[:8]}"


def test_a_new_person_signs_up_with_google_and_finds_their_name_prefilled(page, app):
    sub, address = _sub(), new_address()
    app.provider.set_user(sub, email=address, email_verified=True, name="Grace Hopper")
    _google(page, sub)
    expect(page.locator("#step-counter")).to_have_text("Step 1 of 3")
    expect(page.locator("#signed-in-email")).to_have_text(address)
    page.locator("#use-case-teaching").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Display name")).to_have_value("Grace Hopper")


def _email_account_logged_out(page: Page, address: str, url: str) -> None:
    sign_in_by_code(page, address)
    onboard(page, url=url, name="Email First")
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.locator("#signed-out-notice")).to_be_visible()


def test_a_gmail_account_signing_in_with_google_is_the_same_account_at_once(page, app):
    """SECURITY.md B6: Google hosts Gmail addresses, so its word links the account."""
    address, url = new_address().replace("@example.com", "@gmail.com"), f"same-{uuid.uuid4().hex[:6]}"
    _email_account_logged_out(page, address, url)
    sub = _sub()
    app.provider.set_user(sub, email=address.upper(), email_verified=True, name="Another Name")
    _google(page, sub, start="/login")
    expect(page).to_have_url(re.compile(rf"/{url}/?$"))
    expect(page.locator("#greeting")).to_have_text("Welcome, Email First")


def test_another_domain_links_google_once_the_owner_confirms_by_email(page, app):
    """SECURITY.md B6: any other domain links only from the emailed button."""
    address, url = new_address(), f"link-{uuid.uuid4().hex[:6]}"
    _email_account_logged_out(page, address, url)
    sub = _sub()
    app.provider.set_user(sub, email=address, email_verified=True)
    _google(page, sub, start="/login")
    expect(page.get_by_text("open the email we just sent there")).to_be_visible()
    link = re.search(r"https?://\S+/auth/link-google\?t=[\w-]+", email_text(address))
    assert link, email_text(address)
    page.goto(link.group(0))
    page.get_by_role("button", name="Link Google and continue").click()
    expect(page.locator("#greeting")).to_have_text("Welcome, Email First")
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.locator("#signed-out-notice")).to_be_visible()
    _google(page, sub, start="/login")  # linked: Google signs in at once from now on
    expect(page).to_have_url(re.compile(rf"/{url}/?$"))


def test_denied_consent_says_sign_in_was_cancelled(page):
    page.goto("/login")
    page.locator("#continue-google").click()
    page.get_by_role("button", name="Deny").click()
    expect(page.locator("#sign-in-notice")).to_have_text(
        "Google sign-in was cancelled. Try again, or continue with email."
    )
    expect(page.get_by_label("Email address")).to_be_visible()


def test_an_unverified_google_email_is_refused_with_a_reason(page, app):
    sub = _sub()
    app.provider.set_user(sub, email=new_address(), email_verified=False)
    _google(page, sub)
    expect(page.locator("#sign-in-notice")).to_contain_text("isn't verified")


@pytest.fixture
def provider_down():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    saved = os.environ["GOOGLE_DISCOVERY_URL"]
    os.environ["GOOGLE_DISCOVERY_URL"] = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    reload_environment()
    oidc.clear_caches()
    yield
    os.environ["GOOGLE_DISCOVERY_URL"] = saved
    reload_environment()
    oidc.clear_caches()


@pytest.mark.in_process
def test_a_provider_that_is_down_sends_people_to_email(page, provider_down):
    page.goto("/signup")
    page.locator("#continue-google").click()
    expect(page.locator("#sign-in-notice")).to_have_text(
        "Google sign-in is unavailable right now. Continue with email instead.", timeout=6_000
    )


def test_a_replayed_callback_url_is_refused(page, browser, app):
    sub = _sub()
    app.provider.set_user(sub, email=new_address(), email_verified=True)
    callbacks: list[str] = []
    page.on(
        "request",
        lambda request: callbacks.append(request.url) if "/auth/google/callback" in request.url else None,
    )
    _google(page, sub)
    expect(page.locator("#step-counter")).to_be_visible()
    assert callbacks
    other = browser.new_context(base_url=app.url)
    try:
        replay = other.new_page()
        replay.goto(callbacks[0])
        expect(replay.locator("#sign-in-notice")).to_contain_text("expired or was already used")
        expect(replay.locator("#step-counter")).to_have_count(0)
    finally:
        other.close()


def test_next_pointing_outside_lands_inside_the_app(page, app):
    sub = _sub()
    app.provider.set_user(sub, email=new_address(), email_verified=True)
    page.goto(f"{app.api_url}/auth/google/start?next=https://evil.test")
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    expect(page.locator("#step-counter")).to_be_visible()
    assert page.url.startswith(app.url)


def test_the_google_cookie_dance_leaves_no_token_in_the_page(page, app):
    sub = _sub()
    app.provider.set_user(sub, email=new_address(), email_verified=True)
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    _google(page, sub)
    expect(page.locator("#step-counter")).to_be_visible()
    assert frames
    assert not any(
        marker in frame for frame in frames for marker in ("id_token", "access_token", "refresh_token")
    )
    assert "session" not in page.evaluate("document.cookie")


@pytest.mark.in_process
def test_googles_photo_can_become_the_avatar(page, app):
    import io

    from PIL import Image
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from tests.support.journeys import onboard
    from tests.support.servers import serving

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 160, 90)).save(buffer, "PNG")

    async def photo(_request):
        return Response(buffer.getvalue(), media_type="image/png")

    saved_hosts = os.environ.get("GOOGLE_PICTURE_HOSTS")
    os.environ["GOOGLE_PICTURE_HOSTS"] = "127.0.0.1"
    reload_environment()
    try:
        with serving(Starlette(routes=[Route("/photo.png", photo)])) as pictures:
            sub = _sub()
            app.provider.set_user(
                sub,
                email=new_address(),
                email_verified=True,
                name="Photo Person",
                picture=f"{pictures}/photo.png",
            )
            _google(page, sub)
            onboard(page, name="Photo Person", url=f"photo-{uuid.uuid4().hex[:6]}")
            page.locator("#profile-menu").click()
            page.get_by_role("menuitem", name="Settings").click()
            page.get_by_role("button", name="Use my Google photo").click()
            expect(page.locator("#profile-menu img")).to_be_visible()
    finally:
        if saved_hosts is None:
            os.environ.pop("GOOGLE_PICTURE_HOSTS", None)
        else:
            os.environ["GOOGLE_PICTURE_HOSTS"] = saved_hosts
        reload_environment()
