"""housekeeping.py: expired secrets, sessions and old mail are removed; live ones stay."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlmodel import func, select

from session_app.auth.emails import normalize_email
from session_app.auth.sessions import resolve_session
from session_app.auth.sign_in import confirm_magic_link, issue_sign_in_email
from session_app.db import read_session
from session_app.housekeeping import purge_expired
from session_app.models import AuthSession, SignInRequest
from tests.conftest import BASE_URL
from tests.support.mail import latest_text, token_in


def _count(model) -> int:
    with read_session() as db:
        return db.exec(select(func.count()).select_from(model)).one()


def test_only_what_has_expired_goes(app_env):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        issue_sign_in_email(normalize_email("old@example.com"), BASE_URL)
        old_session = confirm_magic_link(token_in(latest_text("old@example.com")))
        traveller.shift(dt.timedelta(days=40))
        issue_sign_in_email(normalize_email("new@example.com"), BASE_URL)
        new_session = confirm_magic_link(token_in(latest_text("new@example.com")))
        assert purge_expired() > 0
        assert resolve_session(old_session) is None and resolve_session(new_session) is not None
        assert _count(SignInRequest) == 1 and _count(AuthSession) == 1
