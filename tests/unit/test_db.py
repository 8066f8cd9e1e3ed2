"""db.py: SQLite durability settings and writers that queue instead of failing (H1)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import sqlalchemy
from sqlmodel import func, select

from session_app import db
from session_app.auth.emails import normalize_email
from session_app.auth.sign_in import issue_sign_in_email
from session_app.db import get_engine, read_session, write_session
from session_app.models import OutboxMessage, User
from tests.conftest import BASE_URL


@pytest.fixture
def sqlite_only(app_env):
    if get_engine().dialect.name != "sqlite":
        pytest.skip("SQLite settings; PostgreSQL runs use their server's")
    return app_env


def test_sqlite_runs_in_wal_with_full_sync_foreign_keys_and_a_busy_timeout(sqlite_only):
    with get_engine().connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


def _all_at_once(count: int, work: Callable[[int], object]) -> list[BaseException]:
    """Run work(0..count-1) in as many threads, released together; what they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(n: int) -> None:
        barrier.wait()
        try:
            work(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_sign_up_requests_all_succeed(app_env):
    ask = lambda n: issue_sign_in_email(normalize_email(f"person{n}@example.com"), BASE_URL)  # noqa: E731
    assert _all_at_once(16, ask) == []
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 16


def test_this_process_writers_queue_for_sqlite_without_its_busy_handler(sqlite_only, monkeypatch):
    """Writers in one process take turns before BEGIN IMMEDIATE, so none of them ever
    finds SQLite's write lock taken: with no busy timeout at all, every write lands."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 0)
    db.reset_engine()

    def write(n: int) -> None:
        with write_session() as session:
            session.add(User(email=f"p{n}@example.com", email_key=f"p{n}@example.com"))
            session.flush()
            time.sleep(0.01)  # hold the lock while the others arrive

    assert _all_at_once(12, write) == []
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 12


def test_a_failed_write_leaves_the_database_as_it_was(app_env):
    with pytest.raises(RuntimeError):
        with write_session() as db:
            db.add(User(email="jane@example.com", email_key="jane@example.com"))
            db.flush()
            raise RuntimeError("something went wrong half-way")
    with read_session() as db:
        assert db.exec(select(User)).all() == []


def test_a_lone_read_runs_without_begin_or_rollback_on_sqlite(sqlite_only):
    """The lookups of every keystroke and event (`one_read`) send only their statement;
    reads in a session and every write still run in a transaction."""
    sent: list[str] = []
    listen = lambda *args: sent.append(args[2].split()[0].upper())  # noqa: E731
    sqlalchemy.event.listen(get_engine(), "before_cursor_execute", listen)
    try:
        with db.one_read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM user_account").scalar() == 0
            assert conn.connection.dbapi_connection.in_transaction is False
        assert sent == ["SELECT"]
        sent.clear()
        with read_session() as session:
            session.exec(select(func.count()).select_from(User)).one()
        with write_session() as session:
            session.add(User(email="jane@example.com", email_key="jane@example.com"))
        assert sent[0] == "BEGIN" and sent[2] == "BEGIN", sent
        assert "INSERT" in sent
    finally:
        sqlalchemy.event.remove(get_engine(), "before_cursor_execute", listen)
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 1
