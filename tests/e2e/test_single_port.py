"""What only one origin shows: `make run` serves pages and backend on one port.

Every other journey runs against this server too (E2E_MODE=single-port); these check
the HTTP and websocket edges that AppHarness's two ports would hide.
"""

from __future__ import annotations

import os
import re

import httpx
import pytest
from playwright.sync_api import expect

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
