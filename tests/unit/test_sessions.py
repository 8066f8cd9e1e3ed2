"""auth/sessions.py: the cookie and the session lifecycle (SECURITY.md C1–C4)."""

from __future__ import annotations

import datetime as dt
from http.cookies import SimpleCookie

import pytest
import sqlalchemy
import time_machine
from starlette.responses import Response

from session_app.auth.sessions import (
    clear_session_cookie,
    create_session,
    end_session,
    resolve_session,
    set_session_cookie,
    token_from_cookie_header,
)
from session_app.db import get_engine, write_session
from session_app.environment import reload_environment
from tests.support.factories import make_user


def _user(email="jane@example.com") -> int:
    return make_user(email)


def _start(user_id: int) -> str:
    with write_session() as db:
        return create_session(db, user_id, "Test browser")


def _set_cookie_header(response: Response) -> str:
    (header,) = [v.decode() for k, v in response.raw_headers if k == b"set-cookie"]
    return header


def test_session_token_is_long_and_stored_only_as_a_hash(app_env):
    token = _start(_user())
    assert len(token) >= 43
    with get_engine().connect() as conn:
        rows = conn.execute(sqlalchemy.text("SELECT * FROM auth_session")).all()
    assert token not in " ".join(str(v) for row in rows for v in row)


def test_secure_cookie_has_every_attribute(app_env, monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "true")
    reload_environment()
    response = Response()
    set_session_cookie(response, "t" * 43)
    header = _set_cookie_header(response)
    name_value, *attributes = [part.strip() for part in header.split(";")]
    assert name_value == "__Host-session=" + "t" * 43
    lowered = {a.lower() for a in attributes}
    assert {"httponly", "secure", "path=/", "samesite=lax"} <= lowered
    assert not any(a.startswith("domain") for a in lowered)
    assert f"max-age={30 * 24 * 3600}" in lowered
    assert len(header) < 4096


def test_plain_http_cookie_drops_the_host_prefix_but_stays_httponly(app_env, monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "false")
    reload_environment()
    response = Response()
    set_session_cookie(response, "abc")
    header = _set_cookie_header(response).lower()
    assert header.startswith("session=abc")
    assert "httponly" in header and "samesite=lax" in header and "secure" not in header


def test_clearing_the_cookie_expires_it(app_env):
    response = Response()
    clear_session_cookie(response)
    cookie = SimpleCookie(_set_cookie_header(response))
    morsel = next(iter(cookie.values()))
    assert morsel["max-age"] == "0"


def test_cookie_header_parsing(app_env):
    name = app_env.session_cookie_name
    assert token_from_cookie_header(f"a=1; {name}=tok; b=2") == "tok"
    assert token_from_cookie_header("a=1") is None
    assert token_from_cookie_header("") is None
    assert token_from_cookie_header('bad"cookie') is None


def test_logged_out_token_is_anonymous(app_env):
    token = _start(_user())
    assert resolve_session(token) is not None
    end_session(token)
    assert resolve_session(token) is None


def test_each_sign_in_gets_a_new_session(app_env):
    user_id = _user()
    first, second = _start(user_id), _start(user_id)
    assert first != second
    assert resolve_session("attacker-chosen-value") is None


def test_idle_sessions_end_after_14_days(app_env):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        token = _start(_user())
        traveller.shift(dt.timedelta(days=13, hours=23))
        assert resolve_session(token) is not None  # and this use resets the idle clock
        traveller.shift(dt.timedelta(days=13, hours=23))
        assert resolve_session(token) is not None
        traveller.shift(dt.timedelta(days=14, minutes=1))
        assert resolve_session(token) is None


def test_active_sessions_still_end_after_30_days(app_env):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        token = _start(_user())
        for _ in range(29):
            traveller.shift(dt.timedelta(days=1))
            assert resolve_session(token) is not None
        traveller.shift(dt.timedelta(days=1, minutes=1))
        assert resolve_session(token) is None


@pytest.mark.parametrize("token", [None, "", "x" * 500])
def test_nonsense_tokens_are_anonymous(app_env, token):
    assert resolve_session(token) is None
    end_session(token)  # and logging out with them is harmless
