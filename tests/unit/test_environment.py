"""environment.py: where dev-only features are safe (SECURITY.md: the development
mailbox), and the settings a deployment must get right (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from session_app import environment
from session_app.environment import ConfigError, is_loopback_client, is_loopback_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("ip", ["127.0.0.1", "127.0.0.53", "::1", " 127.0.0.1 ", "::ffff:127.0.0.1"])
def test_requests_from_this_machine_may_read_the_mailbox(ip):
    assert is_loopback_client(ip)


ELSEWHERE = ["", "10.0.0.7", "192.168.1.2", "203.0.113.9", "::ffff:8.8.8.8", "localhost", "x"]


@pytest.mark.parametrize("ip", ELSEWHERE)
def test_requests_from_anywhere_else_may_not(ip):
    assert not is_loopback_client(ip)


def test_only_a_loopback_base_url_counts_as_local():
    assert is_loopback_url("http://localhost:3000") and is_loopback_url("http://127.0.0.1:8000")
    assert not is_loopback_url("https://session.example.com")


# --- Settings for deployments (issue 12) ------------------------------------------


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "REFLEX_REDIS_URL", "WORKERS", "TRUSTED_PROXY_HOPS", "DB_POOL_SIZE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(environment, "INSTANCE_DIR", tmp_path)  # a local key, kept apart
    return monkeypatch


def test_a_deployment_without_a_secret_key_refuses_to_start_and_says_why(clean_env):
    clean_env.setenv("APP_BASE_URL", "https://session.example.com")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        environment._load()
    clean_env.setenv("SECRET_KEY", "shared-by-every-worker")
    assert environment._load().secret_key == "shared-by-every-worker"


def test_this_machine_makes_and_keeps_its_own_key(clean_env):
    clean_env.setenv("APP_BASE_URL", "http://localhost:3000")
    assert environment._load().secret_key == environment._load().secret_key


def test_one_worker_without_redis_and_one_per_core_with_it(clean_env):
    clean_env.setenv("APP_BASE_URL", "http://localhost:3000")
    assert environment._load().workers == 1
    clean_env.setenv("REFLEX_REDIS_URL", "redis://localhost:6379")
    assert environment._load().workers == (os.cpu_count() or 1)
    clean_env.setenv("WORKERS", "2")
    assert environment._load().workers == 2


def test_several_workers_without_redis_refuse_to_start(clean_env):
    clean_env.setenv("APP_BASE_URL", "http://localhost:3000")
    clean_env.setenv("WORKERS", "3")
    with pytest.raises(ConfigError, match="needs REFLEX_REDIS_URL"):
        environment._load()


def test_proxy_hops_and_pool_sizes_are_settings(clean_env):
    clean_env.setenv("APP_BASE_URL", "http://localhost:3000")
    clean_env.setenv("TRUSTED_PROXY_HOPS", "1")
    clean_env.setenv("DB_POOL_SIZE", "12")
    loaded = environment._load()
    assert (loaded.trusted_proxy_hops, loaded.db_pool_size, loaded.db_max_overflow) == (1, 12, 10)
    clean_env.setenv("TRUSTED_PROXY_HOPS", "-1")
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_HOPS"):
        environment._load()


def test_the_server_refuses_to_start_with_a_clear_message(tmp_path):
    """What an operator sees: one line, no traceback."""
    env = {**os.environ, "APP_BASE_URL": "https://session.example.com"}
    env.pop("SECRET_KEY", None)
    started = subprocess.run(
        [sys.executable, "-c", "import rxconfig"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "Session cannot start: SECRET_KEY must be set" in started.stderr
    assert "Traceback" not in started.stderr
