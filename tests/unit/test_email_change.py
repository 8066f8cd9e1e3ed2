"""accounts/email_change.py: support moves an account to a new address and both are
told (SECURITY.md F1)."""

from __future__ import annotations

import pytest
import sqlalchemy

from session_app.accounts.email_change import change_email
from session_app.auth.emails import normalize_email
from session_app.auth.sessions import resolve_session
from session_app.auth.sign_in import confirm_magic_link, issue_sign_in_email
from session_app.db import read_session, write_session
from session_app.models import OAuthIdentity, User
from tests.conftest import BASE_URL
from tests.support.accounts import signed_up
from tests.support.mail import latest_text, token_in
from tests.support.mail import outbox as outbox_rows


def test_email_change_moves_the_account_and_tells_both(app_env):
    user_id, _ = signed_up()
    assert change_email("Jane@example.com", "jane.new@example.com") == user_id
    assert [m.recipient for m in outbox_rows()[-2:]] == ["jane@example.com", "jane.new@example.com"]
    issue_sign_in_email(normalize_email("jane.new@example.com"), BASE_URL)
    new_session = confirm_magic_link(token_in(latest_text("jane.new@example.com")))
    assert resolve_session(new_session).user_id == user_id
    issue_sign_in_email(normalize_email("jane@example.com"), BASE_URL)
    old_session = confirm_magic_link(token_in(latest_text("jane@example.com")))
    assert resolve_session(old_session).user_id != user_id  # a new person now


def test_email_change_to_an_address_in_use_is_refused(app_env):
    signed_up("jane@example.com", "jane-doe")
    signed_up("bob@example.com", "bob-b")
    with pytest.raises(ValueError, match="already belongs"):
        change_email("jane@example.com", "BOB@example.com")
    with pytest.raises(ValueError, match="No account"):
        change_email("nobody@example.com", "x@example.com")


def test_email_change_unlinks_google_and_allows_a_change_of_case(app_env):
    user_id, _ = signed_up()
    with write_session() as db:
        db.add(OAuthIdentity(issuer="https://accounts.google.com", subject="g-1", user_id=user_id))
    assert change_email("jane@example.com", "Jane@Example.com") == user_id
    with read_session() as db:
        assert db.exec(sqlalchemy.select(OAuthIdentity)).scalars().all() == []
        assert db.get(User, user_id).email == "Jane@example.com"
