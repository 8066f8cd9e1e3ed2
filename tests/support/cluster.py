"""Session as teams deploy it, on this machine: two backend workers behind nginx
(round robin, no sticky sessions), PostgreSQL, Redis for the tabs' state and the
rate limits, and an S3 object store (moto's server) for photos.

    python -m tests.support.cluster start    # `make cluster`: http://localhost:8080
    python -m tests.support.cluster stop     # `make cluster-stop`: nothing left running

Every part runs from this project's folder `.cluster/` (data, logs, pids) and listens
on loopback only. The journeys in tests/e2e run against it with E2E_MODE=cluster.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / ".cluster"
STATE = HOME / "state.json"
REFLEX = str(Path(sys.executable).with_name("reflex"))
URL = "http://localhost:8080"
WORKER_PORTS = (8001, 8002)
PG_PORT, REDIS_PORT, S3_PORT = 55432, 56379, 59000
BUCKET = "session-media"
START_TIMEOUT = 600  # seconds: the first worker builds the pages


def environment() -> dict[str, str]:
    """What every worker (and a test reading the same database) is configured with."""
    return {
        "APP_BASE_URL": URL,
        "REFLEX_DB_URL": f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/session",
        "REFLEX_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}",
        "SECRET_KEY": "cluster-secret-key-shared-by-every-worker",
        "WORKERS": "1",  # per process: the two processes are the two workers
        "TRUSTED_PROXY_HOPS": "1",
        "STORAGE_URL": f"s3://{BUCKET}",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
        "AWS_ACCESS_KEY_ID": "cluster",
        "AWS_SECRET_ACCESS_KEY": "cluster",
        "AWS_DEFAULT_REGION": "us-east-1",
        "EMAIL_BACKEND": "outbox",
        "SECURE_COOKIES": "false",
    }


# --- PostgreSQL ------------------------------------------------------------------------


def _pg_bin() -> Path:
    candidates = [
        shutil.which("initdb"),
        "/usr/local/bin/initdb",
        *Path("/usr/lib/postgresql").glob("*/bin/initdb"),
    ]
    for initdb in candidates:
        if initdb and Path(initdb).exists() and (Path(initdb).parent / "pg_ctl").exists():
            return Path(initdb).parent
    raise SystemExit("PostgreSQL is not installed: `make cluster` installs Debian's postgresql")


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return command
    if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in command)]


def _start_postgres(state: dict) -> None:
    data = Path(tempfile.mkdtemp(prefix="session-cluster-pg."))
    state["pg_data"] = str(data)
    _save(state)  # so stop() finds it even if starting fails half way
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    pg = _pg_bin()
    subprocess.run(
        _as_postgres([str(pg / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {PG_PORT} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        _as_postgres([str(pg / "pg_ctl"), "-D", str(data), "-o", options, "-l", f"{data}/l", "-w", "start"]),
        check=True,
        capture_output=True,
    )
    import psycopg

    server = f"host=127.0.0.1 port={PG_PORT} user=postgres dbname=postgres"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute("CREATE DATABASE session")


def _stop_postgres(state: dict) -> None:
    data = state.get("pg_data")
    if not data or not Path(data).exists():
        return
    subprocess.run(
        _as_postgres([str(_pg_bin() / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]), capture_output=True
    )
    shutil.rmtree(data, ignore_errors=True)


# --- Processes -------------------------------------------------------------------------


def _spawn(state: dict, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
    log = open(HOME / f"{name}.log", "a")  # the child keeps it open; a restart appends
    tools = {  # as the Makefile sets them: the venv's Node and bun, no network checks
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **tools, **(env or {}), "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    state.setdefault("processes", {})[name] = process.pid


def _wait_for(url: str, what: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=5).status_code < 500:
                return
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not start: see {HOME}")


def _nginx_conf() -> str:
    # max_fails=0: a worker that refuses a connection (restarting) is skipped for that
    # request only (the next one is tried at once), never benched for nginx's default
    # 10 s, which left "no live upstreams" (502) for 10 s after both restarted in turn.
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=0;" for port in WORKER_PORTS)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = HOME / "nginx-temp"
    return f"""{user}worker_processes 1;
pid {HOME}/nginx.pid;
error_log {HOME}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  # Which worker answered each request: the journeys check both served.
  log_format upstream '$request_method $uri $status $upstream_addr';
  access_log {HOME}/nginx-access.log upstream;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi; uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  client_max_body_size 12m;
  # Plain round robin: no sticky sessions, so any request may reach either worker.
  upstream session {{
{servers}
  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:8080;
    location / {{
      proxy_pass http://session;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 1h;
      # The pages come from the workers with their own security headers (CSP with
      # each page's script hashes, no-store); nginx adds none and strips none.
    }}
  }}
}}
"""


def start_worker(state: dict, index: int, settings: dict[str, str] | None = None) -> None:
    """Start (or restart) worker `index`, with `settings` over the cluster's, and wait
    until it serves pages."""
    port = WORKER_PORTS[index]
    command = [REFLEX, "run", "--env", "prod", "--single-port", "--frontend-port", str(port)]
    command += ["--backend-port", str(port), "--backend-host", "127.0.0.1"]
    _spawn(state, f"worker{index}", command, {**environment(), **(settings or {})})
    _wait_for(f"http://127.0.0.1:{port}/", f"worker {index}", time.monotonic() + START_TIMEOUT)
    _save(state)


def kill_worker(state: dict, index: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(state["processes"][f"worker{index}"], sig)


def start() -> dict:
    """Every part, in order; returns the state (pids, folders) also kept in .cluster/."""
    if STATE.exists():
        stop()
    HOME.mkdir(exist_ok=True)
    (HOME / "nginx-temp").mkdir(exist_ok=True)
    for old_log in HOME.glob("*.log"):
        old_log.unlink()
    state: dict = {}
    _save(state)
    try:
        _start_postgres(state)
        _save(state)
        redis = shutil.which("redis-server") or "redis-server"
        _spawn(
            state,
            "redis",
            [redis, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--dir", str(HOME)],
        )
        _spawn(state, "s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(S3_PORT)])
        _save(state)
        _wait_for(f"http://127.0.0.1:{S3_PORT}/", "the object store", time.monotonic() + 60)
        httpx.put(f"http://127.0.0.1:{S3_PORT}/{BUCKET}").raise_for_status()
        env = {**os.environ, **environment()}
        subprocess.run([REFLEX, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
        for index in range(len(WORKER_PORTS)):
            start_worker(state, index)
        (HOME / "nginx.conf").write_text(_nginx_conf())
        _spawn(
            state,
            "nginx",
            [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(HOME / "nginx.conf"), "-g", "daemon off;"],
        )
        _save(state)
        _wait_for(URL + "/", "nginx", time.monotonic() + 60)
    except BaseException:
        stop()
        raise
    return state


def stop() -> None:
    """Stop every part start() began, even after a crash; nothing is left running."""
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    for _name, pid in reversed(list(state.get("processes", {}).items())):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for pid in state.get("processes", {}).values():
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    _stop_postgres(state)
    STATE.unlink(missing_ok=True)


def served_by() -> dict[str, int]:
    """How many requests each worker has answered through nginx so far."""
    counts = {f"127.0.0.1:{port}": 0 for port in WORKER_PORTS}
    log = HOME / "nginx-access.log"
    for line in log.read_text().splitlines() if log.exists() else []:
        upstream = line.rsplit(" ", 1)[-1]
        if upstream in counts:
            counts[upstream] += 1
    return counts


def ports_in_use() -> list[int]:
    import socket

    used = []
    for port in (8080, *WORKER_PORTS, PG_PORT, REDIS_PORT, S3_PORT):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                used.append(port)
    return used


def running_pids() -> list[int]:
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    return [pid for pid in state.get("processes", {}).values() if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _save(state: dict) -> None:
    STATE.write_text(json.dumps(state, indent=2))


@contextlib.contextmanager
def running() -> Iterator[dict]:
    state = start()
    try:
        yield state
    finally:
        stop()


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "start":
        start()
        print(f"Session runs on {URL}: two workers, PostgreSQL, Redis, S3. Stop it with `make cluster-stop`.")  # noqa: T201
    elif action == "stop":
        stop()
        left = ports_in_use()
        if left:
            raise SystemExit(f"Still listening after the stop: ports {left}")
        print("The cluster is stopped: nothing of it is running.")  # noqa: T201
    else:
        raise SystemExit("usage: python -m tests.support.cluster start|stop")
