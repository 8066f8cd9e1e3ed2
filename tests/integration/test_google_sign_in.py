"""Sign in with Google against a real OpenID provider on loopback, over real HTTP
(SECURITY.md B1–B9, C3). The browser journeys are in tests/e2e/test_google.py."""

from __future__ import annotations

import re
import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import func, select

from session_app.accounts.profiles import load_profile
from session_app.auth import oidc
from session_app.auth.http import auth_routes
from session_app.auth.sessions import resolve_session
from session_app.db import read_session, write_session
from session_app.environment import reload_environment
from session_app.models import OAuthAttempt, OAuthIdentity, User
from tests.support.factories import make_user
from tests.support.mail import outbox as mail_outbox
from tests.support.oidc import approve, deny, running_provider
from tests.support.servers import serving


@pytest.fixture
def google(app_env, monkeypatch):
    """Our auth routes on loopback, registered with a provider on loopback."""
    from reflex.config import get_config

    oidc.clear_caches()
    with serving(auth_routes()) as app_url, running_provider() as provider:
        config = get_config()
        monkeypatch.setattr(config, "api_url", app_url)
        monkeypatch.setattr(config, "deploy_url", app_url)
        provider.register_client(f"{app_url}/auth/google/callback")
        monkeypatch.setenv("GOOGLE_CLIENT_ID", provider.client_id)
        monkeypatch.setenv("GOOGLE_CLIENT_SECRET", provider.client_secret)
        monkeypatch.setenv("GOOGLE_DISCOVERY_URL", provider.discovery_url)
        monkeypatch.setenv("APP_BASE_URL", app_url)
        monkeypatch.setenv("SECURE_COOKIES", "false")
        reload_environment()
        provider.app_url = app_url
        yield provider
    oidc.clear_caches()


def _browser(provider) -> httpx.Client:
    return httpx.Client(base_url=provider.app_url, headers={"User-Agent": "Test browser"})


def _start(browser: httpx.Client, next_path: str = "") -> str:
    response = browser.get("/auth/google/start", params={"next": next_path} if next_path else None)
    assert response.status_code == 303
    return response.headers["location"]


def _sign_in(browser: httpx.Client, provider, sub: str, next_path: str = "") -> httpx.Response:
    callback = approve(_start(browser, next_path), sub)
    return browser.get(callback)


def _users() -> int:
    with read_session() as db:
        return db.exec(select(func.count()).select_from(User)).one()


def test_authorization_request_uses_state_nonce_and_pkce_s256(google):
    with _browser(google) as browser:
        query = parse_qs(urlsplit(_start(browser)).query)
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 43 and len(query["nonce"][0]) >= 43
    assert query["redirect_uri"] == [f"{google.app_url}/auth/google/callback"]
    with read_session() as db:
        (attempt,) = db.exec(select(OAuthAttempt)).all()
    assert attempt.state_hash != query["state"][0]  # only the hash is stored


def test_a_new_person_signs_up_and_gets_their_name_prefilled(google):
    google.set_user(
        "google-sub-1",
        email="new.person@example.com",
        email_verified=True,
        name="New  Person",
        picture="https://lh3.googleusercontent.com/a/photo=s96-c",
    )
    with _browser(google) as browser:
        response = _sign_in(browser, google, "google-sub-1")
    assert response.status_code == 303
    assert response.headers["location"] == f"{google.app_url}/onboarding"
    who = resolve_session(response.cookies["session"])
    assert who.email == "new.person@example.com"
    profile = load_profile(who.user_id)
    assert profile.step == 1 and profile.display_name == "New Person"
    from session_app.accounts.preferences import preferences_of

    assert preferences_of(who.user_id).google_picture == "https://lh3.googleusercontent.com/a/photo=s96-c"
    assert "google_attempt" not in response.cookies or response.cookies["google_attempt"] == ""


def test_an_existing_gmail_account_is_the_same_account_and_gets_linked_at_once(google):
    """SECURITY.md B6: Google hosts a Gmail address, so its word is enough."""
    make_user("Jane@gmail.com")
    google.set_user("google-jane", email="jane@gmail.com", email_verified=True, name="Jane")
    with _browser(google) as browser:
        first = resolve_session(_sign_in(browser, google, "google-jane").cookies["session"])
    assert _users() == 1
    # Later Google reports another address for the same subject: still the same account.
    google.set_user("google-jane", email="jane.new@gmail.com", email_verified=True)
    with _browser(google) as browser:
        second = resolve_session(_sign_in(browser, google, "google-jane").cookies["session"])
    assert first.user_id == second.user_id and _users() == 1
    with read_session() as db:
        (identity,) = db.exec(select(OAuthIdentity)).all()
    assert identity.subject == "google-jane" and identity.user_id == first.user_id


def test_a_workspace_address_links_at_once_when_google_names_its_domain(google):
    make_user("sam@acme-corp.com")
    google.set_user("google-sam", email="sam@acme-corp.com", email_verified=True, hd="acme-corp.com")
    with _browser(google) as browser:
        response = _sign_in(browser, google, "google-sam")
    assert resolve_session(response.cookies["session"]) is not None
    assert _identities() == 1


def _link_google_email(address: str) -> str:
    (message,) = [m for m in mail_outbox(address) if m.subject.startswith("Link Google")]
    match = re.search(r"https?://\S+/auth/link-google\?t=[\w-]+", message.text_body)
    assert match, message.text_body
    return match.group(0)


def test_another_domain_links_only_after_the_owner_confirms_by_email(google):
    """SECURITY.md B6: for any other domain, the emailed link makes the link."""
    owner = make_user("kim@example.com")
    google.set_user("google-kim", email="kim@example.com", email_verified=True)
    with _browser(google) as browser:
        waiting = _sign_in(browser, google, "google-kim")
    assert waiting.headers["location"].endswith("/login?notice=google-confirm-by-email")
    assert "session" not in waiting.cookies and _identities() == 0
    link = _link_google_email("kim@example.com")
    with _browser(google) as browser:
        page = browser.get(link)  # a mail scanner opening the link changes nothing
        assert page.status_code == 200 and "Link Google to your account?" in page.text
        assert "k…@example.com" in page.text and _identities() == 0
        token = parse_qs(urlsplit(link).query)["t"][0]
        origin = {"Origin": google.app_url}
        linked = browser.post("/auth/link-google", data={"t": token}, headers=origin)
        assert linked.status_code == 303 and resolve_session(linked.cookies["session"]).user_id == owner
        again = browser.post("/auth/link-google", data={"t": token}, headers=origin)
        assert again.headers["location"].endswith("/login?notice=link-dead")
    assert _identities() == 1
    with _browser(google) as browser:  # from now on Google signs Kim in at once
        response = _sign_in(browser, google, "google-kim")
    assert resolve_session(response.cookies["session"]).user_id == owner


def test_a_link_confirmation_from_another_site_is_refused(google):
    make_user("lee@example.com")
    google.set_user("google-lee", email="lee@example.com", email_verified=True)
    with _browser(google) as browser:
        _sign_in(browser, google, "google-lee")
        token = parse_qs(urlsplit(_link_google_email("lee@example.com")).query)["t"][0]
        forged = browser.post("/auth/link-google", data={"t": token}, headers={"Origin": "https://evil.test"})
    assert forged.status_code == 403 and _identities() == 0


def _identities() -> int:
    with read_session() as db:
        return db.exec(select(func.count()).select_from(OAuthIdentity)).one()


def test_another_subject_with_a_linked_address_does_not_get_in(google):
    google.set_user("google-a", email="shared@example.com", email_verified=True)
    google.set_user("google-b", email="shared@example.com", email_verified=True)
    with _browser(google) as browser:
        assert _sign_in(browser, google, "google-a").status_code == 303
    with _browser(google) as browser:
        refused = _sign_in(browser, google, "google-b")
    assert refused.headers["location"].endswith("/login?notice=google-conflict")
    assert "session" not in refused.cookies


def test_an_unverified_email_is_refused(google):
    google.set_user("google-unverified", email="someone@example.com", email_verified=False)
    with _browser(google) as browser:
        response = _sign_in(browser, google, "google-unverified")
    assert response.headers["location"].endswith("/login?notice=google-unverified")
    assert "session" not in response.cookies
    assert _users() == 0


def test_denied_consent_is_a_clear_cancel(google):
    with _browser(google) as browser:
        callback = deny(_start(browser))
        assert "error=access_denied" in callback
        response = browser.get(callback)
    assert response.headers["location"].endswith("/login?notice=google-cancelled")
    assert _users() == 0


def test_a_replayed_callback_is_refused(google):
    google.set_user("google-replay", email="replay@example.com", email_verified=True)
    with _browser(google) as browser:
        callback = approve(_start(browser), "google-replay")
        assert browser.get(callback).headers["location"].endswith("/onboarding")
        browser.cookies.clear()
        browser.cookies.set("google_attempt", "whatever", path="/auth/google")
        replay = browser.get(callback)
    assert replay.headers["location"].endswith("/login?notice=google-expired")
    assert "session" not in replay.cookies


def test_a_callback_opened_in_another_browser_is_refused(google):
    google.set_user("google-victim", email="victim@example.com", email_verified=True)
    with _browser(google) as attacker:
        callback = approve(_start(attacker), "google-victim")
    with _browser(google) as victim:
        response = victim.get(callback)
    assert response.headers["location"].endswith("/login?notice=google-expired")
    assert _users() == 0


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?code=abc",
        "?state=abc",
        "?state=a&state=b&code=c",
        "?error=server_error&state=x",
        f"?state={'x' * 4096}&code=c",
    ],
)
def test_malformed_callbacks_get_a_clean_page(google, query):
    with _browser(google) as browser:
        response = browser.get(f"/auth/google/callback{query}")
    assert response.status_code == 303
    assert "/login?notice=google-" in response.headers["location"]
    assert "session" not in response.cookies


@pytest.mark.parametrize(
    "target", ["https://evil.test", "//evil.test", "/\\evil.test", "/%2F%2Fevil.test", "javascript:alert(1)"]
)
def test_next_never_leaves_the_app(google, target):
    google.set_user("google-next", email="next@example.com", email_verified=True)
    with _browser(google) as browser:
        response = _sign_in(browser, google, "google-next", next_path=target)
    assert response.headers["location"] == f"{google.app_url}/onboarding"


def test_an_allowed_next_is_honoured(google):
    google.set_user("google-next-ok", email="next-ok@example.com", email_verified=True)
    with _browser(google) as browser:
        response = _sign_in(browser, google, "google-next-ok", next_path="/onboarding")
    assert response.headers["location"] == f"{google.app_url}/onboarding"


def test_keys_are_cached_not_fetched_per_sign_in(google, monkeypatch):
    fetched: list[str] = []
    original = oidc._get_json

    async def counting(url: str, timeout: float) -> dict:
        fetched.append(url)
        return await original(url, timeout)

    monkeypatch.setattr(oidc, "_get_json", counting)
    for n in range(3):
        google.set_user(f"google-cache-{n}", email=f"cache{n}@example.com", email_verified=True)
        with _browser(google) as browser:
            assert _sign_in(browser, google, f"google-cache-{n}").headers["location"].endswith("/onboarding")
    assert sum(1 for url in fetched if "jwk" in url or "certs" in url) <= 1


def test_a_provider_that_is_down_is_reported_quickly(google, monkeypatch):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("GOOGLE_DISCOVERY_URL", f"http://127.0.0.1:{port}/.well-known/openid-configuration")
    reload_environment()
    oidc.clear_caches()
    started = time.monotonic()
    with _browser(google) as browser:
        response = browser.get("/auth/google/start")
    assert time.monotonic() - started < 5
    assert response.headers["location"].endswith("/login?notice=google-unavailable")
    assert _users() == 0


def test_a_token_endpoint_that_is_down_is_reported_as_unavailable(google):
    """Discovery answered, then the token request cannot connect: Google is unavailable
    (try again), not a failed sign-in; the error comes from Authlib's HTTP client."""
    google.set_user("google-down", email="down@example.com", email_verified=True)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with _browser(google) as browser:
        callback = approve(_start(browser), "google-down")
        _fetched_at, metadata = oidc._metadata[google.discovery_url]
        metadata["token_endpoint"] = f"http://127.0.0.1:{port}/token"
        response = browser.get(callback)
    assert response.headers["location"].endswith("/login?notice=google-unavailable")
    assert _users() == 0


def test_a_provider_that_hangs_is_reported_within_the_timeout(google, monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    monkeypatch.setenv("GOOGLE_DISCOVERY_URL", f"http://127.0.0.1:{listener.getsockname()[1]}/slow")
    monkeypatch.setenv("GOOGLE_TIMEOUT_SECONDS", "2")
    reload_environment()
    oidc.clear_caches()
    started = time.monotonic()
    try:
        with _browser(google) as browser:
            response = browser.get("/auth/google/start", timeout=30)
    finally:
        listener.close()
        for conn in accepted:
            conn.close()
    assert time.monotonic() - started < 6
    assert response.headers["location"].endswith("/login?notice=google-unavailable")


def test_no_provider_token_is_stored(google):
    google.set_user("google-tokens", email="tokens@example.com", email_verified=True)
    with _browser(google) as browser:
        _sign_in(browser, google, "google-tokens")
    columns = {c for model in (OAuthAttempt, OAuthIdentity, User) for c in model.model_fields}
    assert not {c for c in columns if "token" in c and c != "state_hash"}


def test_the_token_request_proves_the_pkce_challenge(google, monkeypatch):
    """The provider on loopback does not enforce PKCE, so check our side of it here."""
    import base64
    import hashlib

    from authlib.integrations.httpx_client import AsyncOAuth2Client

    sent: dict = {}
    original = AsyncOAuth2Client.fetch_token

    async def recording(self, url=None, **kwargs):
        sent.update(kwargs)
        return await original(self, url, **kwargs)

    monkeypatch.setattr(AsyncOAuth2Client, "fetch_token", recording)
    google.set_user("google-pkce", email="pkce@example.com", email_verified=True)
    with _browser(google) as browser:
        authorization_url = _start(browser)
        challenge = parse_qs(urlsplit(authorization_url).query)["code_challenge"][0]
        assert (
            browser.get(approve(authorization_url, "google-pkce")).headers["location"].endswith("/onboarding")
        )
    verifier = sent["code_verifier"]
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == expected


def test_an_expired_attempt_is_refused(google):
    import datetime as dt

    google.set_user("google-late", email="late@example.com", email_verified=True)
    with _browser(google) as browser:
        callback = approve(_start(browser), "google-late")
        with write_session() as db:
            attempt = db.exec(select(OAuthAttempt)).one()
            attempt.expires_at = attempt.created_at - dt.timedelta(seconds=1)
        response = browser.get(callback)
    assert response.headers["location"].endswith("/login?notice=google-expired")
    assert _users() == 0


def test_a_token_endpoint_error_is_a_clean_failure(google):
    google.set_user("google-bad-code", email="bad-code@example.com", email_verified=True)
    with _browser(google) as browser:
        callback = approve(_start(browser), "google-bad-code")
        query = parse_qs(urlsplit(callback).query)
        forged = f"/auth/google/callback?state={query['state'][0]}&code=not-a-real-code"
        response = browser.get(forged)
    assert response.headers["location"].endswith("/login?notice=google-failed")
    assert "session" not in response.cookies
    assert _users() == 0
