"""The real app (AppHarness: dev server, or the production build with E2E_MODE=prod)
driven by Debian's Chromium through Playwright.

Dev and prod run as separate pytest invocations (`make test` does both): both
harnesses in one process broke the app. The backend runs in this process, so tests
can look at the database and reset the rate limits directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


MODE = os.environ.get("E2E_MODE", "dev")
SINGLE_PORT_TESTS = "test_single_port.py"


def pytest_collection_modifyitems(config, items):
    """dev and prod run the journeys in AppHarness; single-port runs `make run`'s server.

    The other mode's tests are deselected, not skipped: each mode runs all of its own.
    """
    keep, drop = [], []
    for item in items:
        if "tests/e2e/" not in str(item.fspath).replace(os.sep, "/"):
            keep.append(item)
            continue
        item.add_marker(pytest.mark.e2e)
        single = item.fspath.basename == SINGLE_PORT_TESTS
        (keep if single == (MODE == "single-port") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[object]:
    """The running app; yields an object with `url` (pages) and `api_url` (backend)."""
    from reflex.config import get_config
    from reflex.testing import AppHarness, AppHarnessProd

    tmp = tmp_path_factory.mktemp("e2e")
    os.environ.update(
        {
            "REFLEX_DB_URL": f"sqlite:///{tmp / 'session.db'}",
            "REFLEX_UPLOADED_FILES_DIR": str(tmp / "uploads"),
            "REFLEX_CORS_ALLOWED_ORIGINS": "*",  # the harness picks its frontend port at random
            "APP_BASE_URL": "http://localhost:3000",
            "SECRET_KEY": "e2e-secret-key",
            "EMAIL_BACKEND": "outbox",
            "SECURE_COOKIES": "false",
        }
    )
    from session_app import db
    from session_app.settings import reload_settings
    from tests.support.database import migrate

    reload_settings()
    db.reset_engine()
    migrate(db.get_engine())

    from tests.support.oidc import running_provider

    harness_class = AppHarnessProd if os.environ.get("E2E_MODE") == "prod" else AppHarness
    with running_provider() as provider, harness_class.create(root=ROOT) as harness:
        config = get_config()
        # Browse on the backend's host name: a SameSite=Lax cookie set by 127.0.0.1
        # is not sent from a page on localhost.
        url = harness.frontend_url.rstrip("/").replace("//localhost:", "//127.0.0.1:")
        config.deploy_url = url
        harness.url = url
        harness.api_url = config.api_url.rstrip("/")
        # "Google" is the OpenID provider on loopback, registered with our callback.
        provider.register_client(f"{harness.api_url}/auth/google/callback")
        os.environ.update(
            {
                "GOOGLE_CLIENT_ID": provider.client_id,
                "GOOGLE_CLIENT_SECRET": provider.client_secret,
                "GOOGLE_DISCOVERY_URL": provider.discovery_url,
            }
        )
        reload_settings()
        harness.provider = provider
        yield harness


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, app):
    from session_app.auth import rate_limits

    rate_limits.reset()  # every test starts from 127.0.0.1 with fresh counters
    context = browser.new_context(base_url=app.url, viewport={"width": 1200, "height": 850})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
