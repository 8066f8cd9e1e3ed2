"""accounts/deletion.py: deletion asks for the URL and a confirmation, leaves nothing
behind, and resumes when killed (SECURITY.md D5, F2, F3)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy
import time_machine
from sqlmodel import SQLModel

from session_app.accounts import deletion
from session_app.accounts.profiles import ClaimOutcome, claim_url
from session_app.auth.emails import normalize_email
from session_app.auth.sessions import resolve_session
from session_app.auth.sign_in import confirm_magic_link, issue_sign_in_email
from session_app.db import get_engine, read_session, write_session
from session_app.mail import outbox
from session_app.media import profile_photos
from session_app.media.storage import FolderStore
from session_app.models import AccountDeletion, AuditEvent, User
from tests.conftest import BASE_URL
from tests.support.accounts import scheduled_deletion, signed_up
from tests.support.mail import latest_text, token_in
from tests.support.mail import outbox as outbox_rows

ROOT = Path(__file__).resolve().parents[2]


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


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), (1, 2, 3)).save(out, "PNG")
    return out.getvalue()


def test_the_url_must_be_typed_to_ask(app_env):
    user_id, _ = signed_up()
    with pytest.raises(deletion.DeletionError, match="Type your URL, jane-doe"):
        deletion.request_deletion(user_id, "jane", BASE_URL)
    assert deletion.pending_deletion(user_id).scheduled_for is None


def test_confirming_schedules_after_the_grace_period_and_tells_the_privacy_team(app_env):
    user_id, _ = signed_up()
    deletion.request_deletion(user_id, "Jane-Doe ", BASE_URL)
    assert deletion.pending_deletion(user_id).awaiting_confirmation
    token = latest_text("jane@example.com").split("?t=")[1].split()[0]
    scheduled = deletion.confirm_deletion(token)
    assert scheduled - dt.datetime.now(dt.UTC) > dt.timedelta(days=6, hours=23)
    assert deletion.confirm_deletion(token) is None  # single use
    privacy = [m for m in outbox_rows() if m.recipient == app_env.privacy_email]
    assert privacy and str(user_id) in privacy[0].text_body and "jane" not in privacy[0].text_body
    assert deletion.pending_deletion(user_id).scheduled_for == scheduled
    assert deletion.cancel_deletion(user_id)
    assert deletion.pending_deletion(user_id).scheduled_for is None
    assert deletion.due_deletions(scheduled + dt.timedelta(days=1)) == []


def test_after_deletion_nothing_personal_remains(app_env, tmp_path):
    from session_app.rooms import rooms

    user_id, session = signed_up()
    profile_photos.save_upload(FolderStore(tmp_path), user_id, _png())
    rooms.create_room(user_id, "Team room")
    issue_sign_in_email(normalize_email("jane@example.com"), BASE_URL)  # a link issued before
    early_link = token_in(latest_text("jane@example.com"))
    deletion_id = scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    assert deletion.due_deletions() == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        assert deletion.due_deletions() == [deletion_id]
        assert deletion.execute_deletion(deletion_id, FolderStore(tmp_path))
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
    new_id, _ = signed_up("jane@example.com", url="jane-again")
    assert new_id != user_id
    assert claim_url(new_id, "jane-doe").outcome is ClaimOutcome.ALREADY_FINISHED
    with read_session() as db:
        actions = [e.action for e in db.exec(sqlalchemy.select(AuditEvent)).scalars()]
    assert "account deleted" in actions


def test_execution_is_idempotent(app_env, tmp_path):
    user_id, _ = signed_up()
    deletion_id = scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    assert deletion.execute_deletion(deletion_id, FolderStore(tmp_path))
    assert deletion.execute_deletion(deletion_id, FolderStore(tmp_path))
    with read_session() as db:
        assert db.get(AccountDeletion, deletion_id).done_steps == ",".join(deletion.STEPS)


@pytest.mark.parametrize("killed_after", ["sessions", "sign-in", "farewell"])
def test_a_deletion_killed_half_way_completes_when_run_again(app_env, tmp_path, killed_after):
    user_id, session = signed_up()
    profile_photos.save_upload(FolderStore(tmp_path), user_id, _png())
    deletion_id = scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    env = {**os.environ, "DELETION_KILL_AFTER": killed_after, "REFLEX_UPLOADED_FILES_DIR": str(tmp_path)}
    killed = subprocess.run(
        [sys.executable, "-m", "session_app.operator", "deletions", "execute", str(deletion_id)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == -9
    with read_session() as db:
        progress = db.get(AccountDeletion, deletion_id)
    assert progress.completed_at is None and killed_after in progress.done_steps
    assert resolve_session(session) is None  # sessions go first
    env.pop("DELETION_KILL_AFTER")
    again = subprocess.run(
        [sys.executable, "-m", "session_app.operator", "deletions", "execute", str(deletion_id)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "done" in again.stdout
    with read_session() as db:
        assert db.get(User, user_id) is None
        assert db.get(AccountDeletion, deletion_id).completed_at is not None
    assert not (tmp_path / "avatars" / str(user_id)).exists()


def test_deletion_removes_the_persons_name_from_other_lobbies(app_env, tmp_path):
    from session_app.rooms import presence, rooms

    other_host, _ = signed_up("bob@example.com", "bob-b")
    room = rooms.create_room(other_host, "Bob's room")
    user_id, _ = signed_up()
    presence.join(room.id, "jane-tab", "Jane Doe", "green", user_id)
    deletion_id = scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    deletion.execute_deletion(deletion_id, FolderStore(tmp_path))
    assert [p.name for p in presence.participants(room.id)] == []


def test_a_deletion_that_has_started_cannot_be_cancelled(app_env, tmp_path):
    user_id, _ = signed_up()
    deletion_id = scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    with write_session() as db:
        db.get(AccountDeletion, deletion_id).done_steps = "sessions"
    assert not deletion.cancel_deletion(user_id, by="operator")
    assert deletion.execute_deletion(deletion_id, FolderStore(tmp_path))
    with read_session() as db:
        assert db.get(User, user_id) is None
