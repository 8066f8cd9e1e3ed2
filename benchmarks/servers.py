"""The two servers `benchmarks/bench.py` compares, started and stopped by it, and
their CPU time and memory read with psutil (the whole process tree: granian's
supervisor and its worker).

The app runs as `reflex run --env prod --backend-only` in the repository (no frontend
build is needed for that) against a throwaway SQLite database migrated first, with
its tabs' state in memory (rxconfig.py, one worker); the anchor is echo_server.py
under the same granian. Both are pinned to core 0 when `taskset` and two cores exist,
leaving core 1 to the load client.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SERVER_CORE, CLIENT_CORE = 0, 1


def can_pin() -> bool:
    return shutil.which("taskset") is not None and len(os.sched_getaffinity(0)) >= 2


def pin_client() -> bool:
    """Keep this process (the load client) off the servers' core."""
    if not can_pin():
        return False
    os.sched_setaffinity(0, {CLIENT_CORE})
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen
    log: Path

    def tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def cpu_seconds(self) -> float:
        """utime + stime of the server and every process under it."""
        total = 0.0
        for process in self.tree():
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def rss(self) -> int:
        total = 0
        for process in self.tree():
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            msg = f"the {self.name} server exited ({self.proc.returncode}); its log ends:\n{tail}"
            raise RuntimeError(msg)

    def wait_listening(self, timeout: float = 90) -> None:
        host, port = self.url.removeprefix("http://").split(":")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        msg = f"the {self.name} server did not listen on {self.url} within {timeout:.0f} s"
        raise RuntimeError(msg)

    def stop(self) -> None:
        """SIGTERM to the process group this run started, then SIGKILL if it lingers."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def app_env(workdir: Path, base_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # One worker, its state in memory: no Redis, no worker count from outside.
        if not key.startswith("GRANIAN_") and key not in {"REFLEX_REDIS_URL", "WORKERS", "STORAGE_URL"}
    }
    env.update(
        PATH=f"{BIN}:{env.get('PATH', '')}",
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_CHECK_LATEST_VERSION="0",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_USE_GRANIAN="true",  # what Reflex picks anyway here (no gunicorn); made explicit
        REFLEX_DB_URL=f"sqlite:///{workdir / 'bench.db'}",
        REFLEX_UPLOADED_FILES_DIR=str(workdir / "uploads"),
        APP_BASE_URL=base_url,
        SECRET_KEY=(workdir / "secret_key").read_text(),
    )
    return env


def prepare(workdir: Path) -> None:
    """A secret and a migrated SQLite database of the run's own, in `workdir`."""
    (workdir / "secret_key").write_text(secrets.token_urlsafe(48))
    env = app_env(workdir, "http://127.0.0.1:3000")
    done = subprocess.run(
        [str(BIN / "reflex"), "db", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        msg = f"reflex db migrate failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        raise RuntimeError(msg)


def seed_accounts(workdir: Path, count: int) -> None:
    """`count` onboarded accounts, each with its claimed URL (host-0, host-1 …), straight
    into the run's database: what the live URL check searches."""
    now = "2026-01-01 00:00:00.000000"
    with sqlite3.connect(workdir / "bench.db") as db:
        start = db.execute("SELECT coalesce(max(id), 0) FROM user_account").fetchone()[0] + 1
        users = ((start + n, f"host{n}@example.com", f"host{n}@example.com", now) for n in range(count))
        db.executemany(
            "INSERT INTO user_account (id, email, email_key, created_at) VALUES (?, ?, ?, ?)", users
        )
        urls = ((f"host-{n}", start + n, now) for n in range(count))
        db.executemany("INSERT INTO unique_url (url, user_id, claimed_at) VALUES (?, ?, ?)", urls)
        db.execute("ANALYZE")


def _pinned(command: list[str]) -> list[str]:
    return ["taskset", "-c", str(SERVER_CORE), *command] if can_pin() else command


def _spawn(name: str, command: list[str], env: dict[str, str], workdir: Path, port: int) -> Server:
    log = workdir / f"{name}-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            _pinned(command),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
    return Server(name, f"http://127.0.0.1:{port}", proc, log)


def start_app(workdir: Path, **overrides: str) -> Server:
    """The app as `make run` starts it (backend only), with any environment `overrides`."""
    port = free_port()
    command = [str(BIN / "reflex"), "run", "--env", "prod", "--backend-only"]
    command += ["--backend-host", "127.0.0.1", "--backend-port", str(port)]
    env = {**app_env(workdir, f"http://127.0.0.1:{port}"), **overrides}
    return _spawn("app", command, env, workdir, port)


def start_echo(workdir: Path) -> Server:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRANIAN_")}
    command = [sys.executable, str(ROOT / "benchmarks" / "echo_server.py"), "--port", str(port)]
    return _spawn("echo", command, env, workdir, port)
