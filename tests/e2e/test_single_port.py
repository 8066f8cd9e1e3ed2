"""The app exactly as `make run` starts it: `reflex db migrate`, then
`reflex run --env prod --single-port`, one origin for pages and backend.

AppHarness serves pages and backend on two ports, which hides what only one origin
shows (a redirect to a backend route must leave the single-page app).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.journeys import new_address, onboard, sign_in_by_code, sign_in_by_link
from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
REFLEX = str(Path(sys.executable).with_name("reflex"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("single-port")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "REFLEX_DB_URL": f"sqlite:///{tmp / 'session.db'}",
        "APP_BASE_URL": base_url,
        "SECRET_KEY": "single-port-secret",
        "EMAIL_BACKEND": "outbox",
        "SECURE_COOKIES": "false",
    }
    os.environ.update({k: env[k] for k in ("REFLEX_DB_URL", "APP_BASE_URL", "SECRET_KEY", "EMAIL_BACKEND")})
    from session_app import db
    from session_app.settings import reload_settings

    reload_settings()
    db.reset_engine()
    subprocess.run([REFLEX, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    log = (tmp / "server.log").open("w")
    started = time.monotonic()
    process = subprocess.Popen(
        [REFLEX, "run", "--env", "prod", "--single-port", "--frontend-port", str(port),
         "--backend-port", str(port), "--backend-host", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = started + 240
        while True:
            try:
                if httpx.get(base_url + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        print(f"\nsingle-port server: first page {time.monotonic() - started:.1f} s after start")  # noqa: T201
        yield base_url
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
        log.close()
        db.reset_engine()


@pytest.fixture
def tab(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1200, "height": 850})
    yield context.new_page()
    context.close()


def test_sign_up_by_code_onboard_and_log_out(tab, server):
    sign_in_by_code(tab, new_address())
    url = f"solo-{os.getpid()}"
    onboard(tab, use_case="coaching", name="Single Port", url=url)
    expect(tab).to_have_url(re.compile(rf"/{url}/?$"))
    assert "session" not in tab.evaluate("document.cookie")
    tab.locator("#profile-menu").click()
    tab.get_by_role("menuitem", name="Log out").click()
    expect(tab.locator("#signed-out-notice")).to_be_visible()
    tab.goto(f"/{url}")
    expect(tab.locator("#host-name")).to_have_text("Single Port")


def test_sign_up_by_link(tab):
    sign_in_by_link(tab, new_address())
    expect(tab.locator("#step-counter")).to_have_text("Step 1 of 3")


def test_backend_routes_carry_security_headers(server):
    response = httpx.get(server + "/auth/magic?t=nothing", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["cache-control"] == "no-store"
    page = httpx.get(server + "/")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_the_websocket_refuses_other_origins(server):
    """SECURITY.md C6: the Socket.IO handshake checks Origin (cors_allowed_origins)."""
    import simple_websocket

    url = server.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket"
    ours = simple_websocket.Client.connect(url, headers={"Origin": server})
    try:
        assert ours.receive(timeout=10).startswith("0{")  # engine.io's "open"
    finally:
        ours.close()
    with pytest.raises(simple_websocket.ConnectionError, match="403"):
        simple_websocket.Client.connect(url, headers={"Origin": "https://evil.test"})
