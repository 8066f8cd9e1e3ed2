"""The migrations in alembic/ build exactly the tables models.py declares."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALEMBIC = str(Path(sys.executable).with_name("alembic"))


def _alembic(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "REFLEX_DB_URL": f"sqlite:///{database}"}
    return subprocess.run([ALEMBIC, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_plain_alembic_command_migrates_the_apps_database_and_finds_nothing_missing(tmp_path):
    database = tmp_path / "migrated.db"
    upgraded = _alembic("upgrade", "head", database=database)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    checked = _alembic("check", database=database)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    assert "No new upgrade operations detected" in checked.stdout + checked.stderr
