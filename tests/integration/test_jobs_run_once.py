"""Background jobs run once whatever the number of workers (issue 12): each due
deletion and each queued email is held by one worker's lease (leases.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from session_app.db import read_session, write_session
from session_app.environment import reload_environment
from session_app.mail import outbox
from session_app.mail.templates import account_deleted_email
from session_app.models import AccountDeletion, AuditEvent, OutboxMessage
from tests.support.factories import due_deletion, onboarded_user
from tests.support.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]


def _due_deletions(count: int) -> list[int]:
    users = [onboarded_user(f"leaving{n}@example.com", url=f"leaving-{n}") for n in range(count)]
    return [due_deletion(user_id) for user_id in users]


def _count(model, *conditions) -> int:
    with read_session() as db:
        return db.exec(select(func.count()).select_from(model).where(*conditions)).one()


def test_two_workers_running_the_deletion_job_together_delete_each_account_once(app_env, tmp_path):
    _due_deletions(30)
    env = {**os.environ, "REFLEX_UPLOADED_FILES_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "session_app.operator", "deletions", "execute", "--due"]
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    for worker in workers:
        worker.communicate(timeout=300)
        assert worker.returncode == 0
    # What one worker found held by the other, it leaves; a last run finishes any such.
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    assert _count(AccountDeletion, col(AccountDeletion.completed_at).is_not(None)) == 30
    assert _count(AuditEvent, AuditEvent.action == "account deleted") == 30
    goodbye = account_deleted_email().subject
    assert _count(OutboxMessage, OutboxMessage.subject == goodbye) == 30


@pytest.fixture
def slow_smtp(app_env, monkeypatch):
    server = SmtpServer()
    server.handler.delay = 0.4  # seconds per message
    monkeypatch.setenv("EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(server.port))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    monkeypatch.setenv("SMTP_TIMEOUT", "5")
    reload_environment()
    server.start()
    yield server
    server.stop()


def test_a_slow_mail_server_never_gets_a_message_twice(slow_smtp, monkeypatch):
    """Two workers deliver together through a server that takes 0.4 s a message, with
    leases of 2 s: a lease taken once per batch would run out before its message is
    sent, and the other worker would send it again."""
    monkeypatch.setattr(outbox, "lease", lambda _env: dt.timedelta(seconds=2))
    with write_session() as db:
        for n in range(12):
            outbox.enqueue(db, f"person{n}@example.com", account_deleted_email())

    def worker() -> None:
        while outbox.deliver_due() or _count(OutboxMessage, OutboxMessage.outcome == "") > 0:
            pass

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(r.rcpt_tos[0] for r in slow_smtp.received) == sorted(
        f"person{n}@example.com" for n in range(12)
    )
    assert _count(OutboxMessage, OutboxMessage.outcome == "sent") == 12
