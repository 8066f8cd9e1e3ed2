"""Fixtures for every test: an isolated app configuration and database."""

from __future__ import annotations

import pytest

BASE_URL = "https://session.test"


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """Environment pointing at a fresh migrated database and the local outbox."""
    from reflex.config import get_config

    from session_app import db
    from session_app.auth import rate_limits
    from session_app.environment import reload_environment
    from tests.support.database import database_url_for, empty_postgres, migrate

    url = database_url_for(tmp_path)
    if url.startswith("postgresql"):
        empty_postgres(url)
    monkeypatch.setenv("REFLEX_DB_URL", url)
    monkeypatch.setenv("APP_BASE_URL", BASE_URL)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key")
    monkeypatch.setenv("EMAIL_BACKEND", "outbox")
    config = get_config()
    monkeypatch.setattr(config, "deploy_url", BASE_URL)
    monkeypatch.setattr(config, "api_url", BASE_URL)
    env = reload_environment()
    db.reset_engine()
    rate_limits.reset()
    migrate(db.get_engine())
    yield env
    db.reset_engine()
    rate_limits.reset()
    monkeypatch.undo()
    reload_environment()
