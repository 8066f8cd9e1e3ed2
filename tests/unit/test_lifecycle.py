"""accounts/lifecycle.py: deletion leaves nothing behind and resumes when killed;
email changes; sessions; export (SECURITY.md C5, D5, F1–F3, G2)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy
import time_machine
from sqlmodel import SQLModel

from session_app.accounts import lifecycle
from session_app.accounts.profiles import ClaimOutcome, claim_url, save_display_name, save_use_case
from session_app.auth.emails import normalize_email
from session_app.auth.sessions import create_session, resolve_session
from session_app.auth.sign_in import confirm_magic_link, issue_sign_in_email
from session_app.db import get_engine, read_session, write_session
from session_app.mail import outbox
from session_app.media import profile_photos
from session_app.models import AccountDeletion, AuditEvent, User
from tests.conftest import BASE_URL
from tests.support.mail import latest_text, token_in

ROOT = Path(__file__).resolve().parents[2]


def _signed_up(address: str = "jane@example.com", url: str = "jane-doe") -> tuple[int, str]:
    issue_sign_in_email(normalize_email(address), BASE_URL)
    session = confirm_magic_link(token_in(latest_text(address)), "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
    user_id = resolve_session(session).user_id
    save_use_case(user_id, "teaching")
    save_display_name(user_id, "Jane Doe")
    assert claim_url(user_id, url).outcome is ClaimOutcome.CLAIMED
    return user_id, session


def _scheduled_deletion(user_id: int, address: str, url: str) -> int:
    lifecycle.request_deletion(user_id, url, BASE_URL)
    token = latest_text(address).split("?t=")[1].split()[0]
    assert lifecycle.confirm_deletion(token) is not None
    with read_session() as db:
        return db.exec(sqlalchemy.select(AccountDeletion.id)).scalars().one()


def _rows_mentioning(user_id: int, address: str) -> list[tuple[str, tuple]]:
    found = []
    with get_engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(table.select()).all():
                mapping = row._mapping
                ids = [mapping[name] for name in ("user_id", "account") if name in mapping]
                if table.name == "user_account":
                    ids.append(mapping["id"])
                if user_id in ids or address.lower() in " ".join(str(v).lower() for v in row):
                    found.append((table.name, tuple(row)))
    return found


def test_the_url_must_be_typed_to_ask(app_env):
    user_id, _ = _signed_up()
    with pytest.raises(lifecycle.DeletionError, match="Type your URL, jane-doe"):
        lifecycle.request_deletion(user_id, "jane", BASE_URL)
    assert lifecycle.pending_deletion(user_id).scheduled_for is None


def test_confirming_schedules_after_the_grace_period_and_tells_the_privacy_team(app_env):
    user_id, _ = _signed_up()
    lifecycle.request_deletion(user_id, "Jane-Doe ", BASE_URL)
    assert lifecycle.pending_deletion(user_id).awaiting_confirmation
    token = latest_text("jane@example.com").split("?t=")[1].split()[0]
    scheduled = lifecycle.confirm_deletion(token)
    assert scheduled - dt.datetime.now(dt.UTC) > dt.timedelta(days=6, hours=23)
    assert lifecycle.confirm_deletion(token) is None  # single use
    privacy = [m for m in outbox_rows() if m.recipient == app_env.privacy_email]
    assert privacy and str(user_id) in privacy[0].text_body and "jane" not in privacy[0].text_body
    assert lifecycle.pending_deletion(user_id).scheduled_for == scheduled
    assert lifecycle.cancel_deletion(user_id)
    assert lifecycle.pending_deletion(user_id).scheduled_for is None
    assert lifecycle.due_deletions(scheduled + dt.timedelta(days=1)) == []


def outbox_rows():
    from tests.support.mail import outbox as rows

    return rows()


def test_after_deletion_nothing_personal_remains(app_env, tmp_path):
    from session_app.rooms import rooms

    user_id, session = _signed_up()
    profile_photos.save_upload(tmp_path, user_id, _png())
    rooms.create_room(user_id, "Team room")
    issue_sign_in_email(normalize_email("jane@example.com"), BASE_URL)  # a link issued before
    early_link = token_in(latest_text("jane@example.com"))
    deletion_id = _scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    assert lifecycle.due_deletions() == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        assert lifecycle.due_deletions() == [deletion_id]
        assert lifecycle.execute_deletion(deletion_id, tmp_path)
    outbox.deliver_due(now=later)
    assert resolve_session(session) is None
    assert confirm_magic_link(early_link) is None
    assert rooms.room_at("jane-doe", "team-room") is None  # its link: "this room no longer exists"
    assert not (tmp_path / "avatars" / str(user_id)).exists()
    leftovers = _rows_mentioning(user_id, "jane@example.com")
    assert {table for table, _ in leftovers} <= {"audit_event", "account_deletion", "unique_url"}
    assert not any("jane@example.com" in str(row).lower() for _, row in leftovers)
    with read_session() as db:
        url_row = db.exec(sqlalchemy.text("SELECT url, user_id FROM unique_url")).one()
    assert tuple(url_row) == ("jane-doe", None)
    # The retired URL cannot be claimed; the address starts afresh.
    new_id, _ = _signed_up("jane@example.com", url="jane-again")
    assert new_id != user_id
    assert claim_url(new_id, "jane-doe").outcome is ClaimOutcome.ALREADY_FINISHED
    with read_session() as db:
        actions = [e.action for e in db.exec(sqlalchemy.select(AuditEvent)).scalars()]
    assert "account deleted" in actions


def test_execution_is_idempotent(app_env, tmp_path):
    user_id, _ = _signed_up()
    deletion_id = _scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    assert lifecycle.execute_deletion(deletion_id, tmp_path)
    assert lifecycle.execute_deletion(deletion_id, tmp_path)
    with read_session() as db:
        assert db.get(AccountDeletion, deletion_id).done_steps == ",".join(lifecycle.STEPS)


@pytest.mark.parametrize("killed_after", ["sessions", "sign-in", "farewell"])
def test_a_deletion_killed_half_way_completes_when_run_again(app_env, tmp_path, killed_after):
    user_id, session = _signed_up()
    profile_photos.save_upload(tmp_path, user_id, _png())
    deletion_id = _scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    env = {**os.environ, "DELETION_KILL_AFTER": killed_after, "REFLEX_UPLOADED_FILES_DIR": str(tmp_path)}
    killed = subprocess.run(
        [sys.executable, "-m", "session_app.operator", "deletions", "execute", str(deletion_id)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert killed.returncode == -9
    with read_session() as db:
        progress = db.get(AccountDeletion, deletion_id)
    assert progress.completed_at is None and killed_after in progress.done_steps
    assert resolve_session(session) is None  # sessions go first
    env.pop("DELETION_KILL_AFTER")
    again = subprocess.run(
        [sys.executable, "-m", "session_app.operator", "deletions", "execute", str(deletion_id)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )
    assert "done" in again.stdout
    with read_session() as db:
        assert db.get(User, user_id) is None
        assert db.get(AccountDeletion, deletion_id).completed_at is not None
    assert not (tmp_path / "avatars" / str(user_id)).exists()


def test_email_change_moves_the_account_and_tells_both(app_env):
    user_id, _ = _signed_up()
    assert lifecycle.change_email("Jane@example.com", "jane.new@example.com") == user_id
    assert [m.recipient for m in outbox_rows()[-2:]] == ["jane@example.com", "jane.new@example.com"]
    issue_sign_in_email(normalize_email("jane.new@example.com"), BASE_URL)
    new_session = confirm_magic_link(token_in(latest_text("jane.new@example.com")))
    assert resolve_session(new_session).user_id == user_id
    issue_sign_in_email(normalize_email("jane@example.com"), BASE_URL)
    old_session = confirm_magic_link(token_in(latest_text("jane@example.com")))
    assert resolve_session(old_session).user_id != user_id  # a new person now


def test_email_change_to_an_address_in_use_is_refused(app_env):
    _signed_up("jane@example.com", "jane-doe")
    _signed_up("bob@example.com", "bob-b")
    with pytest.raises(ValueError, match="already belongs"):
        lifecycle.change_email("jane@example.com", "BOB@example.com")
    with pytest.raises(ValueError, match="No account"):
        lifecycle.change_email("nobody@example.com", "x@example.com")


def test_sign_out_of_other_sessions_keeps_this_one(app_env):
    user_id, first = _signed_up()
    with write_session() as db:
        second = create_session(db, user_id, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/605")
    current = resolve_session(first)
    listed = lifecycle.active_sessions(user_id, current.session_id)
    assert len(listed) == 2 and sum(s.current for s in listed) == 1
    assert {s.device for s in listed} == {"Chrome on Linux", "Safari on iPhone"}
    assert lifecycle.sign_out_other_sessions(user_id, current.session_id) == 1
    assert resolve_session(second) is None and resolve_session(first) is not None


def test_export_holds_this_account_and_nobody_elses(app_env):
    jane, _ = _signed_up("jane@example.com", "jane-doe")
    bob, _ = _signed_up("bob@example.com", "bob-b")
    from session_app.rooms import rooms

    rooms.create_room(jane, "Jane's room")
    rooms.create_room(bob, "Bob's room")
    data = json.loads(lifecycle.export_account(jane))
    assert [r["link"] for r in data["rooms_and_sessions"]] == ["/jane-doe/jane-s-room"]
    assert data["account"]["email"] == "jane@example.com" and data["account"]["url"] == "jane-doe"
    assert data["profile"]["display_name"] == "Jane Doe"
    text = json.dumps(data)
    assert "bob" not in text and "token" not in text and "hash" not in text


def test_operator_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "session_app.operator", "--help"], cwd=ROOT, capture_output=True, text=True, check=True)
    for command in ("change-email", "deletions", "export"):
        assert command in result.stdout


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), (1, 2, 3)).save(out, "PNG")
    return out.getvalue()


def test_account_actions_are_audited_without_addresses(app_env, tmp_path, caplog):
    caplog.set_level("INFO")
    user_id, session = _signed_up()
    current = resolve_session(session)
    lifecycle.sign_out_other_sessions(user_id, current.session_id)
    lifecycle.export_account(user_id)
    lifecycle.change_email("jane@example.com", "jane.new@example.com")
    deletion_id = _scheduled_deletion(user_id, "jane.new@example.com", "jane-doe")
    lifecycle.cancel_deletion(user_id)
    with read_session() as db:
        events = db.exec(sqlalchemy.select(AuditEvent)).scalars().all()
    actions = [e.action for e in events]
    for expected in ("other sessions signed out", "data exported", "email changed", "deletion requested",
                     "deletion confirmed", "deletion cancelled"):
        assert expected in actions
    recorded = " ".join(f"{e.action} {e.detail}" for e in events) + caplog.text
    assert "jane" not in recorded.lower() and session not in recorded
    assert deletion_id


def test_deletion_removes_the_persons_name_from_other_lobbies(app_env, tmp_path):
    from session_app.rooms import rooms

    other_host, _ = _signed_up("bob@example.com", "bob-b")
    room = rooms.create_room(other_host, "Bob's room")
    user_id, _ = _signed_up()
    rooms.join(room.id, "jane-tab", "Jane Doe", "green", user_id)
    deletion_id = _scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    lifecycle.execute_deletion(deletion_id, tmp_path)
    assert [p.name for p in rooms.participants(room.id)] == []


def test_email_change_unlinks_google_and_allows_a_change_of_case(app_env):
    user_id, _ = _signed_up()
    from session_app.models import OAuthIdentity

    with write_session() as db:
        db.add(OAuthIdentity(issuer="https://accounts.google.com", subject="g-1", user_id=user_id))
    assert lifecycle.change_email("jane@example.com", "Jane@Example.com") == user_id
    with read_session() as db:
        assert db.exec(sqlalchemy.select(OAuthIdentity)).scalars().all() == []
        assert db.get(User, user_id).email == "Jane@example.com"


def test_a_deletion_that_has_started_cannot_be_cancelled(app_env, tmp_path):
    user_id, _ = _signed_up()
    deletion_id = _scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    with write_session() as db:
        db.get(AccountDeletion, deletion_id).done_steps = "sessions"
    assert not lifecycle.cancel_deletion(user_id, by="operator")
    assert lifecycle.execute_deletion(deletion_id, tmp_path)
    with read_session() as db:
        assert db.get(User, user_id) is None
