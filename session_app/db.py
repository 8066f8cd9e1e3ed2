"""The shared database engine, and the two ways to use it: read, or write.

SQLite is set up for durability and concurrent sign-ups (WAL, synchronous=FULL,
foreign keys, a busy timeout). Writes start with BEGIN IMMEDIATE: a deferred BEGIN
upgrades its lock on the first write and fails at once with "database is locked",
ignoring the busy timeout, when another writer got there first. On PostgreSQL the
same code runs with the driver's ordinary transactions.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col, select, update

from session_app.environment import get_environment

SQLITE_BUSY_TIMEOUT_MS = 5000
_WRITE_OPTION = "session_app_write"
_ONE_READ_OPTION = "session_app_one_read"
# SQLite has one write lock. This process's writers queue for it here, where the
# next one goes the moment the lock is free; in SQLite's busy handler a waiter
# sleeps between tries (1, 2, 5 … up to 100 ms) while others take it, so under a
# burst of writes the unlucky waited longest. Other processes (a migration, a second
# `make run`) still queue on the busy timeout.
_SQLITE_WRITERS = threading.RLock()


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def configure_sqlite(engine: Engine) -> None:
    """Durability pragmas on every connection, and our own BEGIN statements."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event below issue BEGIN, instead of pysqlite's
        # implicit deferred one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        options = connection.get_execution_options()
        if options.get(_ONE_READ_OPTION, False):
            return  # a lone statement is atomic by itself: no BEGIN, and no ROLLBACK after
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITE_OPTION, False) else "BEGIN")


@functools.cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database URL."""
    url = get_environment().database_url
    if _is_sqlite(url):
        engine = sqlalchemy.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            # Errors and logs never show bound values: they can be addresses or secrets.
            hide_parameters=True,
        )
        configure_sqlite(engine)
        return engine
    env = get_environment()
    return sqlalchemy.create_engine(
        url,
        pool_pre_ping=True,
        hide_parameters=True,
        pool_size=env.db_pool_size,
        max_overflow=env.db_max_overflow,
    )


def reset_engine() -> None:
    """Forget the engine (tests point the app at a new database)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()


@contextlib.contextmanager
def read_session() -> Iterator[Session]:
    """A session for reads; it never takes SQLite's write lock."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


@contextlib.contextmanager
def one_read() -> Iterator[sqlalchemy.Connection]:
    """A pooled connection for one read statement, for what runs on every keystroke or
    event. On SQLite the statement runs without a transaction around it (it reads one
    consistent snapshot by itself), which saves the BEGIN and the ROLLBACK: a third of
    a cached indexed lookup. Never more than one statement on it."""
    with get_engine().connect() as connection:
        yield connection.execution_options(**{_ONE_READ_OPTION: True})


@contextlib.contextmanager
def write_session() -> Iterator[Session]:
    """One write transaction, committed on success and rolled back on any error.

    On SQLite the write lock is taken up front (BEGIN IMMEDIATE), so two writers
    queue instead of one of them failing half-way: in this process on
    _SQLITE_WRITERS, across processes on the busy timeout.
    """
    engine = get_engine()
    queue = _SQLITE_WRITERS if engine.dialect.name == "sqlite" else contextlib.nullcontext()
    with queue, Session(engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False) as session:
        with session.begin():
            yield session


def use_once(db: Session, model, *conditions):
    """Mark one live single-use row used, in one statement, and return it.

    A row is live while `used_at` is NULL and `expires_at` is in the future. The
    conditional UPDATE is atomic, so of any number of concurrent presses of one link
    (or one code, ticket or Google callback) exactly one gets the row; the others
    get None.
    """
    from session_app.models import utcnow

    now = utcnow()
    result = db.exec(
        update(model)
        .where(*conditions)
        .where(col(model.used_at).is_(None))
        .where(col(model.expires_at) > now)
        .values(used_at=now)
    )
    if result.rowcount != 1:
        return None
    return db.exec(select(model).where(*conditions)).one()
