"""The real app driven by Debian's Chromium through Playwright, in one of three modes:

- `single-port` (the default `make test` runs last, and the one people run): the server
  exactly as `make run` starts it, in its own process, with its rate limits in a
  Redis on loopback;
- `dev` and `prod`: AppHarness (dev server, or the production build) with the backend
  in this process;
- `cluster`: the deployment `make cluster` starts (two workers behind nginx, PostgreSQL,
  Redis, an S3 store) at http://localhost:8080, for the journeys marked `cluster`.

Every journey runs in every mode, except the few marked `in_process` that change the
backend's configuration from the test. Dev and prod run as separate pytest
invocations: both harnesses in one process broke the app.

Three guards fail any journey that did not expect them: an ERROR or a traceback in the
server's log while it ran, the "Something went wrong" toast in any of its pages, and a
Content Security Policy violation (single-port sends the strict policy). A test that
expects one says so with `expected_server_error` / `expected_error_toast` /
`expected_csp_violation`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

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
MODE = os.environ.get("E2E_MODE", "single-port")
IN_PROCESS = MODE in {"dev", "prod"}
ERROR_TOAST = "Something went wrong"
SERVER_ERROR = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback \(most recent call last\)")
# The pages a journey starts on; each is opened once before the first test so the dev
# server's compile-on-first-request never counts against a test's timeouts.
WARM_UP_PATHS = ("/", "/signup", "/login", "/onboarding", "/nobody-warm-up", "/nobody-warm-up/room")

# Reports text that looks like the error toast, from every page of a guarded context.
_WATCH_TOASTS = f"""
(() => {{
  const seen = new WeakSet();
  const check = () => {{
    for (const node of document.querySelectorAll("[data-sonner-toast], [role=status], [role=alert]")) {{
      if (!seen.has(node) && node.textContent.includes({ERROR_TOAST!r})) {{
        seen.add(node);
        window.__sessionErrorToast(node.textContent);
      }}
    }}
  }};
  new MutationObserver(check).observe(document, {{childList: true, subtree: true, characterData: true}});
}})();
"""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "in_process: changes the in-process backend; not run in single-port mode"
    )
    config.addinivalue_line(
        "markers", "expected_server_error(pattern): the server may log an error matching it"
    )
    config.addinivalue_line("markers", "expected_error_toast: the test provokes the error toast on purpose")
    config.addinivalue_line("markers", "expected_csp_violation: the test breaks the CSP on purpose")
    config.addinivalue_line("markers", "single_port_only: checks only the one-origin server shows")
    config.addinivalue_line("markers", "cluster: runs against the cluster too (E2E_MODE=cluster)")
    config.addinivalue_line("markers", "cluster_only: needs the cluster (two workers, nginx, S3)")


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        if "tests/e2e/" not in str(item.fspath).replace(os.sep, "/"):
            keep.append(item)
            continue
        item.add_marker(pytest.mark.e2e)
        if MODE == "cluster":
            wrong_mode = not item.get_closest_marker("cluster")
        else:
            wrong_mode = (
                (item.get_closest_marker("in_process") and not IN_PROCESS)
                or (item.get_closest_marker("single_port_only") and IN_PROCESS)
                or item.get_closest_marker("cluster_only")
            )
        (drop if wrong_mode else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


class _ErrorRecords(logging.Handler):
    """Every ERROR the in-process backend logs (the single-port server has its file)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def _base_env(tmp: Path) -> dict[str, str]:
    return {
        "REFLEX_DB_URL": f"sqlite:///{tmp / 'session.db'}",
        "REFLEX_UPLOADED_FILES_DIR": str(tmp / "uploads"),
        "SECRET_KEY": "e2e-secret-key",
        "EMAIL_BACKEND": "outbox",
        "SECURE_COOKIES": "false",
    }


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[object]:
    """The running app: `url` (pages), `api_url` (backend), `provider` (the OpenID
    provider standing in for Google), `new_log_lines()` (what the server logged since
    the last call)."""
    from session_app import db
    from session_app.environment import reload_environment
    from tests.support.oidc import running_provider

    tmp = tmp_path_factory.mktemp("e2e")
    os.environ.update(_base_env(tmp))
    with running_provider() as provider:
        if IN_PROCESS:
            yield from _harness(tmp, provider)
        elif MODE == "cluster":
            yield from _cluster()
        else:
            yield from _single_port(tmp, provider)
    db.reset_engine()
    reload_environment()


def _harness(tmp: Path, provider) -> Iterator[object]:
    from reflex.config import get_config
    from reflex.testing import AppHarness, AppHarnessProd

    from session_app import db
    from session_app.environment import reload_environment
    from tests.support.database import migrate

    os.environ.update(
        {
            "REFLEX_CORS_ALLOWED_ORIGINS": "*",  # the harness picks its frontend port at random
            "APP_BASE_URL": "http://localhost:3000",
        }
    )
    reload_environment()
    db.reset_engine()
    migrate(db.get_engine())
    records = _ErrorRecords()
    logging.getLogger().addHandler(records)
    harness_class = AppHarnessProd if MODE == "prod" else AppHarness
    try:
        with harness_class.create(root=ROOT) as harness:
            config = get_config()
            # Browse on the backend's host name: a SameSite=Lax cookie set by 127.0.0.1
            # is not sent from a page on localhost.
            url = harness.frontend_url.rstrip("/").replace("//localhost:", "//127.0.0.1:")
            config.deploy_url = url
            api_url = config.api_url.rstrip("/")
            provider.register_client(f"{api_url}/auth/google/callback")
            _use_provider(provider)
            reload_environment()

            def new_log_lines() -> list[str]:
                lines, records.lines[:] = list(records.lines), []
                return lines

            yield SimpleNamespace(
                url=url, api_url=api_url, provider=provider, new_log_lines=new_log_lines, mode=MODE
            )
    finally:
        logging.getLogger().removeHandler(records)


def _single_port(tmp: Path, provider) -> Iterator[object]:
    from session_app import db
    from session_app.environment import reload_environment
    from tests.support.app_server import free_app_port, running_redis, single_port_server

    port = free_app_port()
    url = f"http://localhost:{port}"
    provider.register_client(f"{url}/auth/google/callback")
    with running_redis(tmp) as redis_url:
        os.environ.update({"APP_BASE_URL": url, "RATE_LIMIT_STORAGE_URL": redis_url})
        _use_provider(provider)
        reload_environment()
        db.reset_engine()
        env = {**_base_env(tmp), "APP_BASE_URL": url, "RATE_LIMIT_STORAGE_URL": redis_url}
        with single_port_server(tmp, port, env) as log:
            yield SimpleNamespace(
                url=url, api_url=url, provider=provider, new_log_lines=log.new_lines, mode=MODE
            )


def _cluster() -> Iterator[object]:
    """The running cluster (started here when `make cluster` did not); this process
    reads and resets the same database and Redis as its workers."""
    from session_app import db
    from session_app.environment import reload_environment
    from tests.support import cluster
    from tests.support.app_server import ServerLog

    started_here = not cluster.running_pids()
    if started_here:
        cluster.start()
    env = cluster.environment()
    os.environ.update({**env, "RATE_LIMIT_STORAGE_URL": env["REFLEX_REDIS_URL"]})
    reload_environment()
    db.reset_engine()
    logs = [ServerLog(cluster.HOME / f"worker{index}.log") for index in range(len(cluster.WORKER_PORTS))]
    for log in logs:
        log.mark()
    try:
        yield SimpleNamespace(
            url=cluster.URL,
            api_url=cluster.URL,
            provider=None,
            new_log_lines=lambda: [line for log in logs for line in log.new_lines()],
            mode=MODE,
        )
    finally:
        db.reset_engine()
        if started_here:
            cluster.stop()


def _use_provider(provider) -> None:
    """ "Google" is the OpenID provider on loopback, registered with our callback."""
    os.environ.update(
        {
            "GOOGLE_CLIENT_ID": provider.client_id,
            "GOOGLE_CLIENT_SECRET": provider.client_secret,
            "GOOGLE_DISCOVERY_URL": provider.discovery_url,
        }
    )


# Reports every Content Security Policy violation (the single-port server sends the policy).
_WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  const { effectiveDirective, blockedURI, sample, sourceFile, lineNumber } = event;
  const where = sourceFile ? ` at ${sourceFile}:${lineNumber}` : "";
  window.__sessionCspViolation(`${effectiveDirective} blocked ${blockedURI} ${sample || ""}${where}`);
});
"""


class _GuardedBrowser:
    """The browser, but every context it opens reports the error toast and CSP violations."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.error_toasts: list[str] = []
        self.csp_violations: list[str] = []

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.set_default_timeout(15_000)
        context.expose_binding("__sessionErrorToast", lambda _source, text: self.error_toasts.append(text))
        context.add_init_script(_WATCH_TOASTS)
        context.expose_binding("__sessionCspViolation", lambda _source, it: self.csp_violations.append(it))
        context.add_init_script(_WATCH_CSP)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser(app):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        real = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _warm_up(real, app.url)
        app.new_log_lines()  # what warming up logged is not any test's
        yield _GuardedBrowser(real)
        real.close()


def _warm_up(browser, url: str) -> None:
    """Open each kind of page once, with a generous timeout, before any test's clock runs."""
    context = browser.new_context(base_url=url)
    page = context.new_page()
    for path in WARM_UP_PATHS:
        page.goto(path, timeout=180_000, wait_until="networkidle")
    context.close()


@pytest.fixture(autouse=True)
def _no_unexpected_errors(request):
    """Fail a journey when the server logged an error, a page showed the error toast or
    the browser refused something under the Content Security Policy."""
    if "tests/e2e/" not in str(request.node.fspath).replace(os.sep, "/"):
        yield
        return
    app = request.getfixturevalue("app")
    guarded = request.getfixturevalue("browser")
    app.new_log_lines()
    guarded.error_toasts.clear()
    guarded.csp_violations.clear()
    yield
    lines = [line for line in app.new_log_lines() if SERVER_ERROR.search(line)]
    expected = request.node.get_closest_marker("expected_server_error")
    if expected is not None and any(re.search(expected.args[0], line) for line in lines):
        lines = [line for line in lines if not re.search(expected.args[0], line) and "Traceback" not in line]
    toasts = [] if request.node.get_closest_marker("expected_error_toast") else list(guarded.error_toasts)
    violations = [] if request.node.get_closest_marker("expected_csp_violation") else guarded.csp_violations
    problems = (
        [f"server logged: {line}" for line in lines[:10]]
        + [f"page showed: {toast}" for toast in toasts]
        + [f"CSP refused: {violation}" for violation in violations]
    )
    assert not problems, "\n".join(problems)


@pytest.fixture
def context(browser, app):
    from session_app.auth import rate_limits

    rate_limits.reset()  # every test starts from 127.0.0.1 with fresh counters
    context = browser.new_context(base_url=app.url, viewport={"width": 1200, "height": 850})
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
