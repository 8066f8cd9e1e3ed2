"""The benchmarks still run (a quick smoke); their numbers are judged in benchmarks/, not here.

Each benchmark makes its own throwaway SQLite database whatever the stage, so the
PostgreSQL stage (TEST_DATABASE_URL) skips them: it would run the same thing again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="the SQLite stage runs the benchmarks once"
)


def test_the_avatar_benchmark_runs_and_reports_every_id():
    subprocess.run(
        [sys.executable, "benchmarks/avatar.py", "--quick"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    report = json.loads((ROOT / "benchmarks" / "results" / "avatar-quick.json").read_text())
    assert set(report["results"]) >= {
        "avatar-jpeg",
        "avatar-floor",
        "avatar-png",
        "avatar-threads",
        "loop-stall",
    }
    assert report["results"]["avatar-png"]["over_40mp_refused_before_decoding"] is True


def test_the_websocket_benchmark_runs_against_its_echo_anchor():
    """make bench's quick run (issue 16): the app and the bare python-socketio echo
    under the same granian, every measurement present for both."""
    command = [sys.executable, "benchmarks/bench.py", "--quick"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)
    report = json.loads((ROOT / "benchmarks" / "results" / "bench-quick.json").read_text())
    ids = {row["id"] for row in report["summary"]}
    assert ids >= {"event-rtt", "slug-check-rtt", "mem-per-tab"}
    assert any(i.startswith("typing-load") for i in ids)
    assert all(row["app"] is not None and row["echo"] is not None for row in report["summary"])
    (slug,) = (rep["slug-check-rtt"]["app"] for rep in report["repetitions"])
    assert slug["answered"] == slug["keystrokes"] and slug["errors"] == 0


def test_the_lobby_benchmark_runs_a_room_where_every_tab_sees_every_join():
    command = [sys.executable, "benchmarks/lobby.py", "--quick"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)
    report = json.loads((ROOT / "benchmarks" / "results" / "lobby-quick.json").read_text())
    (room,) = report["one_room"]
    assert room["guests"] == 10 and room["errors"] == 0 and room["lowest_final_count"] == 10


def test_the_soak_runs_cycles_and_reports_its_start_end_and_expiry():
    """The soak's quick run: fresh typing tabs and guests each cycle, then the wait for
    every tab's state to expire (about a minute and a half)."""
    command = [sys.executable, "benchmarks/soak.py", "--quick"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=400)
    report = json.loads((ROOT / "benchmarks" / "results" / "soak-quick.json").read_text())
    assert len(report["cycles"]) >= 2 and report["errors"] == 0
    assert all(cycle["answered"] == cycle["sent"] for cycle in report["cycles"])
    assert report["after_expiry_rss_mb"] > 0 and report["cpu_us_per_keystroke_last"] > 0
