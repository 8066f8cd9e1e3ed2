"""operator.py: the support and privacy team's commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_operator_help_lists_every_command():
    command = [sys.executable, "-m", "session_app.operator", "--help"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    for command in ("change-email", "deletions", "export"):
        assert command in result.stdout
