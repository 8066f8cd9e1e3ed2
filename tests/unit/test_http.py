"""auth/http.py: the magic link's confirm page, the cookie routes, cross-site refusals
(SECURITY.md A6, A7, C2, C3, C7, G3)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from session_app.auth.emails import normalize_email
from session_app.auth.sessions import resolve_session
from session_app.auth.sign_in import issue_sign_in_email, verify_code
from session_app.db import read_session
from session_app.models import SignInRequest
from session_app.security_headers import SecurityHeaders
from tests.conftest import BASE_URL
from tests.support.mail import code_in, latest_text, token_in

SAME_ORIGIN = {"Origin": BASE_URL}
EVIL = {"Origin": "https://evil.test"}


@pytest.fixture
def client(app_env):
    from session_app.auth.http import auth_routes

    with TestClient(SecurityHeaders(auth_routes()), base_url=BASE_URL) as test_client:
        yield test_client


def _link_token(address="jane@example.com") -> str:
    issue_sign_in_email(normalize_email(address), BASE_URL)
    return token_in(latest_text(address))


def _session_cookie(response, env) -> str | None:
    return response.cookies.get(env.session_cookie_name)


def test_scanners_opening_the_link_use_nothing(client, app_env):
    token = _link_token()
    assert client.head(f"/auth/magic?t={token}").status_code == 200
    for _ in range(2):
        page = client.get(f"/auth/magic?t={token}")
        assert page.status_code == 200
        assert "Continue as j…@example.com" in page.text
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "same-origin"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert _session_cookie(page, app_env) is None
    with read_session() as db:
        assert db.exec(SignInRequest.__table__.select()).one().used_at is None
    signed_in = client.post("/auth/magic", data={"t": token}, headers=SAME_ORIGIN, follow_redirects=False)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == f"{BASE_URL}/onboarding"
    assert resolve_session(_session_cookie(signed_in, app_env)).email == "jane@example.com"


def test_used_link_sends_the_person_to_ask_again(client, app_env):
    token = _link_token()
    client.post("/auth/magic", data={"t": token}, headers=SAME_ORIGIN, follow_redirects=False)
    client.cookies.clear()
    again = client.post("/auth/magic", data={"t": token}, headers=SAME_ORIGIN, follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"{BASE_URL}/login?notice=link-dead"
    assert _session_cookie(again, app_env) is None
    opened = client.get(f"/auth/magic?t={token}", follow_redirects=False)
    assert opened.headers["location"] == f"{BASE_URL}/login?notice=link-dead"


def test_cross_site_post_is_refused(client, app_env):
    token = _link_token()
    refused = client.post("/auth/magic", data={"t": token}, headers=EVIL, follow_redirects=False)
    assert refused.status_code == 403
    assert _session_cookie(refused, app_env) is None
    # The link still works for its owner.
    ok = client.post("/auth/magic", data={"t": token}, headers=SAME_ORIGIN, follow_redirects=False)
    assert ok.status_code == 303


def test_null_origin_falls_back_to_fetch_metadata(client):
    token = _link_token()
    cross = {"Origin": "null", "Sec-Fetch-Site": "cross-site"}
    assert client.post("/auth/magic", data={"t": token}, headers=cross).status_code == 403
    same = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    assert (
        client.post("/auth/magic", data={"t": token}, headers=same, follow_redirects=False).status_code == 303
    )


def test_ticket_route_only_accepts_the_apps_own_navigation(client, app_env):
    issue_sign_in_email(normalize_email("jane@example.com"), BASE_URL)
    text = latest_text("jane@example.com")
    with read_session() as db:
        request_id = db.exec(SignInRequest.__table__.select()).one().id
    ticket = verify_code(request_id, code_in(text)).ticket
    pasted = client.get(
        f"/auth/ticket?t={ticket}", headers={"Sec-Fetch-Site": "none"}, follow_redirects=False
    )
    assert pasted.status_code == 403
    from_evil = client.get(f"/auth/ticket?t={ticket}", headers={"Sec-Fetch-Site": "cross-site"})
    assert from_evil.status_code == 403
    ours = client.get(
        f"/auth/ticket?t={ticket}", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False
    )
    assert ours.status_code == 303
    assert resolve_session(_session_cookie(ours, app_env)) is not None
    replay = client.get(
        f"/auth/ticket?t={ticket}", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False
    )
    assert replay.headers["location"] == f"{BASE_URL}/login?notice=code-dead"


def test_signing_in_replaces_a_planted_session_cookie(client, app_env):
    client.cookies.set(app_env.session_cookie_name, "attacker-chosen")
    token = _link_token()
    response = client.post("/auth/magic", data={"t": token}, headers=SAME_ORIGIN, follow_redirects=False)
    issued = _session_cookie(response, app_env)
    assert issued and issued != "attacker-chosen"
    assert resolve_session("attacker-chosen") is None


def test_signed_out_route_ends_the_session_and_expires_the_cookie(client, app_env):
    token = _link_token()
    signed_in = client.post("/auth/magic", data={"t": token}, headers=SAME_ORIGIN, follow_redirects=False)
    session_token = _session_cookie(signed_in, app_env)
    out = client.get("/auth/signed-out", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["location"] == f"{BASE_URL}/?signed_out=1"
    set_cookie = out.headers["set-cookie"].lower()
    assert "max-age=0" in set_cookie or "expires=thu, 01 jan 1970" in set_cookie
    assert resolve_session(session_token) is None


def test_cross_site_sign_out_is_refused(client, app_env):
    token = _link_token()
    signed_in = client.post("/auth/magic", data={"t": token}, headers=SAME_ORIGIN, follow_redirects=False)
    session_token = _session_cookie(signed_in, app_env)
    assert client.get("/auth/signed-out", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert resolve_session(session_token) is not None


@pytest.mark.parametrize("token", ["", "a", "x" * 5000, "not-base64!!", "A" * 43])
def test_bad_tokens_get_the_same_way_forward(client, token):
    response = client.get("/auth/magic", params={"t": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE_URL}/login?notice=link-dead"


def test_oversized_form_is_not_read(client):
    response = client.post(
        "/auth/magic", data={"t": "x" * 10_000}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert response.headers["location"] == f"{BASE_URL}/login?notice=link-dead"


def test_a_sibling_subdomain_cannot_hand_over_a_ticket(client, app_env):
    """Pages and backend share one origin here, so "same-site" (a sibling) is not enough."""
    issue_sign_in_email(normalize_email("jane@example.com"), BASE_URL)
    text = latest_text("jane@example.com")
    with read_session() as db:
        request_id = db.exec(SignInRequest.__table__.select()).one().id
    ticket = verify_code(request_id, code_in(text)).ticket
    sibling = client.get(
        f"/auth/ticket?t={ticket}", headers={"Sec-Fetch-Site": "same-site"}, follow_redirects=False
    )
    assert sibling.status_code == 403


def test_signing_in_again_ends_the_session_the_browser_held(client, app_env):
    """SECURITY.md C3: one session per sign-in; the old cookie is dead afterwards."""
    first = client.post("/auth/magic", data={"t": _link_token()}, headers=SAME_ORIGIN, follow_redirects=False)
    old = _session_cookie(first, app_env)
    assert resolve_session(old) is not None
    client.cookies.set(app_env.session_cookie_name, old)
    again = client.post("/auth/magic", data={"t": _link_token()}, headers=SAME_ORIGIN, follow_redirects=False)
    new = _session_cookie(again, app_env)
    assert new and new != old
    assert resolve_session(old) is None
    assert resolve_session(new).email == "jane@example.com"


def test_a_new_browser_gets_one_email_and_the_same_browser_none_again(app_env):
    """SECURITY.md A12: "New sign-in to Session from …", once per browser; never for the
    account's very first sign-in."""
    import datetime as dt

    import time_machine

    from session_app.auth.http import auth_routes
    from tests.support.mail import outbox

    def new_browser() -> TestClient:
        headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"}
        return TestClient(SecurityHeaders(auth_routes()), base_url=BASE_URL, headers=headers)

    def sign_in(browser: TestClient) -> None:
        response = browser.post(
            "/auth/magic", data={"t": _link_token()}, headers=SAME_ORIGIN, follow_redirects=False
        )
        assert response.status_code == 303

    def new_device_mail() -> list:
        return [m for m in outbox("jane@example.com") if m.subject.startswith("New sign-in to Session")]

    with time_machine.travel(dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)) as traveller:
        first = new_browser()
        sign_in(first)  # the account's first sign-in: nothing to compare with
        assert new_device_mail() == []
        traveller.shift(dt.timedelta(minutes=20))
        sign_in(first)  # the same browser again
        assert new_device_mail() == []
        second = new_browser()
        sign_in(second)  # a browser this account never used
        (mail,) = new_device_mail()
        assert mail.subject == "New sign-in to Session from Chrome on Linux"
        assert "Sunday 29 November 2026, 12:20 (UTC)" in mail.text_body
        assert "Sign out everywhere:" in mail.text_body
        traveller.shift(dt.timedelta(minutes=20))
        sign_in(second)  # now known: no second email
        assert len(new_device_mail()) == 1
