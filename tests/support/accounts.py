"""Accounts in a known state for the accounts/ tests: signed up and onboarded, or with
a confirmed deletion waiting."""

from __future__ import annotations

import sqlalchemy

from session_app.accounts.deletion import confirm_deletion, request_deletion
from session_app.accounts.profiles import ClaimOutcome, claim_url, save_display_name, save_use_case
from session_app.auth.emails import normalize_email
from session_app.auth.sessions import resolve_session
from session_app.auth.sign_in import confirm_magic_link, issue_sign_in_email
from session_app.db import read_session
from session_app.models import AccountDeletion
from tests.conftest import BASE_URL
from tests.support.mail import latest_text, token_in


def signed_up(address: str = "jane@example.com", url: str = "jane-doe") -> tuple[int, str]:
    """Someone signed in by link from Chrome on Linux and onboarded with `url`: (user id, session)."""
    issue_sign_in_email(normalize_email(address), BASE_URL)
    chrome_on_linux = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"
    session = confirm_magic_link(token_in(latest_text(address)), chrome_on_linux)
    user_id = resolve_session(session).user_id
    save_use_case(user_id, "teaching")
    save_display_name(user_id, "Jane Doe")
    assert claim_url(user_id, url).outcome is ClaimOutcome.CLAIMED
    return user_id, session


def scheduled_deletion(user_id: int, address: str, url: str) -> int:
    """Ask for the account's deletion and confirm it from the email; the request's id."""
    request_deletion(user_id, url, BASE_URL)
    token = latest_text(address).split("?t=")[1].split()[0]
    assert confirm_deletion(token) is not None
    with read_session() as db:
        return db.exec(sqlalchemy.select(AccountDeletion.id)).scalars().one()
