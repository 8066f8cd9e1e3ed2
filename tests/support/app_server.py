"""The app exactly as `make run` starts it, for the browser journeys: `reflex db migrate`,
then `reflex run --env prod --single-port`, one origin for pages and backend.

Its rate limits live in a real Redis on loopback, so tests can reset them from this
process as they do with the in-process harness.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
REFLEX = str(Path(sys.executable).with_name("reflex"))
START_TIMEOUT = 300  # seconds; a first build on a busy machine compiles every page


@dataclass
class ServerLog:
    """The server's combined output; `new_lines()` is what it wrote since the last call."""

    path: Path
    _offset: int = field(default=0)

    def mark(self) -> None:
        self._offset = self.path.stat().st_size if self.path.exists() else 0

    def new_lines(self) -> list[str]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as log:
            log.seek(self._offset)
            text = log.read().decode("utf-8", "replace")
        self._offset += len(text.encode("utf-8", "replace"))
        return text.splitlines()


@contextlib.contextmanager
def running_redis(folder: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    assert binary, "make test installs redis-server"
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}"
    try:
        import redis

        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextlib.contextmanager
def single_port_server(folder: Path, port: int, env: dict[str, str]) -> Iterator[ServerLog]:
    """Migrate and start `make run`'s server on `port`; yields its log."""
    env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    subprocess.run([REFLEX, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    log_path = folder / "server.log"
    log_file = log_path.open("w")
    started = time.monotonic()
    process = subprocess.Popen(
        [
            REFLEX,
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
            "--backend-host",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(base_url + "/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > started + START_TIMEOUT:
                raise RuntimeError(log_path.read_text()[-3000:])
            time.sleep(0.5)
        print(f"\nsingle-port server: first page {time.monotonic() - started:.1f} s after start")  # noqa: T201
        yield ServerLog(log_path)
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=10)
        log_file.close()


def free_app_port() -> int:
    return free_port()
