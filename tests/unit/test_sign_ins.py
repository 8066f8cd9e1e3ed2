"""accounts/sign_ins.py: where a person is signed in, and signing the others out (SECURITY.md C5)."""

from __future__ import annotations

from session_app.accounts.sign_ins import active_sessions, sign_out_other_sessions
from session_app.auth.sessions import create_session, resolve_session
from session_app.db import write_session
from tests.support.accounts import signed_up


def test_sign_out_of_other_sessions_keeps_this_one(app_env):
    user_id, first = signed_up()
    with write_session() as db:
        iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/605"
        second = create_session(db, user_id, iphone)
    current = resolve_session(first)
    listed = active_sessions(user_id, current.session_id)
    assert len(listed) == 2 and sum(s.current for s in listed) == 1
    assert {s.device for s in listed} == {"Chrome on Linux", "Safari on iPhone"}
    assert sign_out_other_sessions(user_id, current.session_id) == 1
    assert resolve_session(second) is None and resolve_session(first) is not None
