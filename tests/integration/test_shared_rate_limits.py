"""Rate limits hold across backend processes when they share Redis (SECURITY.md A9, §4.11).

Several workers need Redis anyway (Reflex's state manager); RATE_LIMIT_STORAGE_URL
defaults to REFLEX_REDIS_URL. Two separate processes here count against one limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.app_server import running_redis

ROOT = Path(__file__).resolve().parents[2]
ASK_TWICE = (
    "from session_app.auth.rate_limits import allow_sign_in_email\n"
    "for _ in range(2):\n"
    "    refusal = allow_sign_in_email('jane@example.com', '')\n"
    "    print('refused' if refusal else 'allowed')\n"
)


@pytest.fixture
def redis_url(tmp_path):
    with running_redis(tmp_path) as url:
        yield url


def test_two_processes_share_one_limit(redis_url):
    env = {**os.environ, "RATE_LIMIT_STORAGE_URL": redis_url, "SECRET_KEY": "x"}
    answers = []
    for _ in range(2):  # two "workers", one after the other, each asking twice
        result = subprocess.run(
            [sys.executable, "-c", ASK_TWICE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        answers += result.stdout.split()
    assert answers == ["allowed", "allowed", "allowed", "refused"]
