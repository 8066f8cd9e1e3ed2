"""One link, many presses at once: exactly one session (SECURITY.md A4, §4.6)."""

from __future__ import annotations

import threading

import httpx
from sqlmodel import func, select

from session_app.auth.emails import normalize_email
from session_app.auth.http import auth_routes
from session_app.auth.sign_in import issue_sign_in_email
from session_app.db import read_session
from session_app.models import AuthSession, User
from tests.conftest import BASE_URL
from tests.support.mail import latest_text, token_in
from tests.support.servers import serving


def test_twenty_concurrent_confirmations_create_exactly_one_session(app_env):
    issue_sign_in_email(normalize_email("jane@example.com"), BASE_URL)
    token = token_in(latest_text("jane@example.com"))
    barrier = threading.Barrier(20)
    statuses: list[tuple[int, str, bool]] = []

    with serving(auth_routes()) as url:

        def press() -> None:
            with httpx.Client(base_url=url) as client:
                barrier.wait()
                response = client.post("/auth/magic", data={"t": token}, headers={"Origin": BASE_URL})
                has_cookie = app_env.session_cookie_name in response.cookies
                statuses.append((response.status_code, response.headers.get("location", ""), has_cookie))

        threads = [threading.Thread(target=press) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len(statuses) == 20
    assert all(status == 303 for status, _, _ in statuses)
    winners = [s for s in statuses if s[1].endswith("/onboarding")]
    assert len(winners) == 1 and winners[0][2]
    assert sum(1 for s in statuses if s[1].endswith("notice=link-dead") and not s[2]) == 19
    with read_session() as db:
        assert db.exec(select(func.count()).select_from(AuthSession)).one() == 1
        assert db.exec(select(func.count()).select_from(User)).one() == 1
