"""What only one origin shows: `make run` serves pages and backend on one port.

Every other journey runs against this server too (E2E_MODE=single-port); these check
the HTTP and websocket edges that AppHarness's two ports would hide.
"""

from __future__ import annotations

import os
import re

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from benchmarks.paint import paints
from tests.support.journeys import new_address, onboard, sign_in_by_code

pytestmark = pytest.mark.single_port_only


def test_sign_up_by_code_onboard_and_log_out(page):
    sign_in_by_code(page, new_address())
    url = f"solo-{os.getpid()}"
    onboard(page, use_case="coaching", name="Single Port", url=url)
    expect(page).to_have_url(re.compile(rf"/{url}/?$"))
    assert "session" not in page.evaluate("document.cookie")
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.locator("#signed-out-notice")).to_be_visible()
    page.goto(f"/{url}")
    expect(page.locator("#host-name")).to_have_text("Single Port")


def test_backend_routes_carry_security_headers(app):
    response = httpx.get(app.url + "/auth/magic?t=nothing", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["cache-control"] == "no-store"
    page = httpx.get(app.url + "/")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


@pytest.mark.expected_csp_violation
def test_the_pages_run_no_script_but_their_own(page):
    """SECURITY.md G3: script-src 'self' plus the page's own hashes, no eval. Every
    journey fails on a violation; this one proves violations are caught."""
    response = page.goto("/signup")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    expect(page.locator("#email")).to_be_visible()  # the page's own scripts ran
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true";
            document.head.appendChild(script);
            const button = document.createElement("button");
            button.setAttribute("onclick", "window.__clicked = true");
            document.body.appendChild(button);
            button.click();
            return [window.__injected === true, window.__clicked === true];
        }"""
    )
    assert ran == [False, False]  # neither an injected script nor an inline handler runs
    with pytest.raises(PlaywrightError, match="unsafe-eval"):
        # Playwright evaluates an expression given as a string with eval.
        page.wait_for_function("window.__never === true", timeout=5_000)


@pytest.mark.expected_server_error("is not an accepted origin")
def test_the_websocket_refuses_other_origins(app):
    """SECURITY.md C6: the Socket.IO handshake checks Origin (cors_allowed_origins)."""
    import simple_websocket

    url = app.url.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket"
    ours = simple_websocket.Client.connect(url, headers={"Origin": app.url})
    try:
        opened = ours.receive(timeout=90)  # generous: a busy machine answers late, not never
        assert opened is not None and opened.startswith("0{")  # engine.io's "open"
    finally:
        ours.close()
    with pytest.raises(simple_websocket.ConnectionError, match="403"):
        simple_websocket.Client.connect(url, headers={"Origin": "https://evil.test"})


def test_a_forged_host_never_appears_in_a_redirect(app):
    """SECURITY.md G3: trailing-slash and other redirects are relative, whatever Host says."""
    for path in ("/login", "/signup", "/onboarding", "/auth/magic?t=x", "/auth/google/start"):
        response = httpx.get(app.url + path, headers={"Host": "evil.test"}, follow_redirects=False)
        assert "evil.test" not in response.headers.get("location", ""), (path, response.headers)


def test_pages_with_private_data_are_never_stored(app):
    for path in ("/login/", "/signup/", "/onboarding/", "/someone/"):
        response = httpx.get(app.url + path, follow_redirects=True)
        assert response.headers["content-type"].startswith("text/html"), path
        assert response.headers["cache-control"] == "no-store", path


def test_an_upload_to_a_handler_that_takes_no_files_is_refused_cleanly(app):
    response = httpx.post(
        app.url + "/_upload",
        content=b"--x--",
        headers={
            "Reflex-Event-Handler": "state.dashboard_state.copy_url",
            "Content-Type": "multipart/form-data",
        },
    )
    assert response.status_code == 400


def test_unknown_people_and_rooms_answer_404_and_known_ones_200(page, app, browser):
    """WCAG 2.4.2 / issue 11: a mistyped link says "not found" in its status too, and a
    real one is titled before it loads; the page still shows its own not-found view.
    Scripts and styles are not looked up."""
    sign_in_by_code(page, new_address())
    url = f"known-{os.getpid()}"
    onboard(page, name="Known Host", url=url)
    page.get_by_role("button", name="Create new").click()
    page.get_by_label("Name").fill("Known room")
    page.get_by_role("button", name="Create", exact=True).click()
    room = page.locator(".room-tile .room-link").inner_text().rsplit("/", 1)[-1]
    host_page, room_page = httpx.get(f"{app.url}/{url}"), httpx.get(f"{app.url}/{url}/{room}")
    assert host_page.status_code == room_page.status_code == 200
    # The shell names the host or the room before any script runs (a screen reader's
    # first words, a shared link's preview).
    assert "<title>Known Host · Session</title>" in host_page.text
    assert "<title>Known room · Session</title>" in room_page.text
    assert httpx.get(f"{app.url}/{url}-nobody").status_code == 404
    assert httpx.get(f"{app.url}/{url}/no-such-room").status_code == 404
    page.goto(f"/{url}-nobody")
    expect(page.locator("#not-found")).to_be_visible()
    expect(page).to_have_title("There's nobody here · Session")

    # Issue 16: the names are on screen before any script runs ...
    bare = browser.new_context(base_url=app.url, java_script_enabled=False)
    bare_page = bare.new_page()
    bare_page.goto(f"/{url}/{room}")
    expect(bare_page.locator("session-prepaint h1")).to_have_text("Known room")
    expect(bare_page.locator("session-prepaint p")).to_have_text("Known Host's room")
    bare_page.goto(f"/{url}")
    expect(bare_page.locator("session-prepaint h1")).to_have_text("Known Host")
    bare.close()
    # ... and once the page is live its own heading takes over, and React steps over the
    # added words without a hydration error.
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    for path, heading in ((f"/{url}/{room}", "#room-name"), (f"/{url}", "#greeting")):
        page.goto(path)
        expect(page.locator(heading)).to_be_visible()
        expect(page.locator("session-prepaint")).to_be_hidden()
    assert not [error for error in errors if "ydrat" in error], errors
    # The first-paint benchmark's own measurement, once (its smoke): the name from the
    # shell is painted no later than the page's own heading.
    painted = paints(browser, app.url, f"/{url}/{room}", ("name", "live-name"))
    assert painted["name"] <= painted["live-name"], painted
