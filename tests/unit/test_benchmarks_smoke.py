"""The benchmarks still run (a quick smoke); their numbers are judged in benchmarks/, not here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
