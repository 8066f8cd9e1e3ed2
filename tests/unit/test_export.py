"""accounts/export.py: an account's data holds that account and nobody else's."""

from __future__ import annotations

import json

from session_app.accounts.export import export_account
from tests.support.accounts import signed_up


def test_export_holds_this_account_and_nobody_elses(app_env):
    jane, _ = signed_up("jane@example.com", "jane-doe")
    bob, _ = signed_up("bob@example.com", "bob-b")
    from session_app.rooms import rooms

    rooms.create_room(jane, "Jane's room")
    rooms.create_room(bob, "Bob's room")
    data = json.loads(export_account(jane))
    assert [r["link"] for r in data["rooms_and_sessions"]] == ["/jane-doe/jane-s-room"]
    assert data["account"]["email"] == "jane@example.com" and data["account"]["url"] == "jane-doe"
    assert data["profile"]["display_name"] == "Jane Doe"
    text = json.dumps(data)
    assert "bob" not in text and "token" not in text and "hash" not in text
