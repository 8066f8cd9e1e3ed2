"""accounts/audit.py: account actions are recorded without addresses or secrets (SECURITY.md G2)."""

from __future__ import annotations

import sqlalchemy

from session_app.accounts.deletion import cancel_deletion
from session_app.accounts.email_change import change_email
from session_app.accounts.export import export_account
from session_app.accounts.sign_ins import sign_out_other_sessions
from session_app.auth.sessions import resolve_session
from session_app.db import read_session
from session_app.models import AuditEvent
from tests.support.accounts import scheduled_deletion, signed_up


def test_account_actions_are_audited_without_addresses(app_env, tmp_path, caplog):
    caplog.set_level("INFO")
    user_id, session = signed_up()
    current = resolve_session(session)
    sign_out_other_sessions(user_id, current.session_id)
    export_account(user_id)
    change_email("jane@example.com", "jane.new@example.com")
    deletion_id = scheduled_deletion(user_id, "jane.new@example.com", "jane-doe")
    cancel_deletion(user_id)
    with read_session() as db:
        events = db.exec(sqlalchemy.select(AuditEvent)).scalars().all()
    actions = [e.action for e in events]
    for expected in (
        "other sessions signed out",
        "data exported",
        "email changed",
        "deletion requested",
        "deletion confirmed",
        "deletion cancelled",
    ):
        assert expected in actions
    recorded = " ".join(f"{e.action} {e.detail}" for e in events) + caplog.text
    assert "jane" not in recorded.lower() and session not in recorded
    assert deletion_id
