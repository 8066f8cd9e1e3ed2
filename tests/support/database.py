"""A fresh, migrated database for each test: SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set (its public schema is emptied first)."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parents[2]


def database_url_for(tmp_path: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'session.db'}"


def empty_postgres(url: str) -> None:
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def migrate(engine: sqlalchemy.Engine) -> None:
    """Apply the committed Alembic migrations, exactly as `reflex db migrate` does."""
    config = Config(str(ROOT / "alembic.ini"))
    script = ScriptDirectory.from_config(config)
    with engine.connect() as connection:
        with EnvironmentContext(
            config, script, fn=lambda rev, _ctx: script._upgrade_revs("head", rev)
        ) as env:
            env.configure(connection=connection)
            env.run_migrations()
        connection.commit()
