"""The app's websocket path against a bare python-socketio echo under the same granian
(issue 16; ../shared/docs/BENCHMARKS.md: event-rtt, slug-check-rtt, typing-load,
cpu-per-event, mem-per-tab), both started by this run, measured interleaved (app, echo, echo, app …).

    .venv/bin/python benchmarks/bench.py            # `make bench`: 3 repetitions, about 5 min
    .venv/bin/python benchmarks/bench.py --quick    # `make bench-smoke`: tiny sizes, under a minute

Each repetition starts both servers afresh (pinned to core 0, the client on core 1),
warms them, then runs each measurement on one server and at once on the other, the
first server alternating between repetitions. The table gives the median over the
repetitions of the app's figure, the echo's and their ratio (taken per repetition,
then the median). Writes benchmarks/results/bench.json (bench-quick.json with
--quick). Never fails on a number: the exit status is 0 unless something crashed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_client as client  # noqa: E402
from benchmarks import servers  # noqa: E402
from benchmarks.bench_report import summarise, table  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SIZES = {
    "full": {
        "repeats": 3,
        "warm": 300,
        "rtt_keystrokes": 2000,
        "accounts": 1_000_000,
        "loads": [50, 200],
        "load_seconds": 8.0,
        "mem_tabs": 500,
        "settle_s": 2.0,
        "after_s": 10.0,
    },
    "quick": {
        "repeats": 1,
        "warm": 30,
        "rtt_keystrokes": 200,
        "accounts": 2_000,
        "loads": [5, 20],
        "load_seconds": 1.5,
        "mem_tabs": 30,
        "settle_s": 0.5,
        "after_s": 1.0,
    },
}


def versions() -> dict:
    names = ("reflex", "python-socketio", "python-engineio", "granian", "websockets", "psutil")
    return {"python": platform.python_version(), **{name: metadata.version(name) for name in names}}


async def repetition(size: dict, workdir: Path, app_first: bool) -> dict:
    """Both servers, fresh; every measurement on each, one after the other."""
    started = [servers.start_app(workdir), servers.start_echo(workdir)]
    try:
        for server in started:
            server.wait_listening()
        for server in started:
            await client.warm(server, size["warm"])
            await client.quiet(server)
        order = started if app_first else started[::-1]
        runs: dict[str, dict[str, dict]] = {}

        async def each(key: str, measure) -> None:
            runs[key] = {}
            for server in order:
                runs[key][server.name] = await measure(server)
                server.check_alive()
                runs[key][server.name]["quiet_after_s"] = await client.quiet(server)
            print(f"  {key}: " + ", ".join(_brief(name, run) for name, run in runs[key].items()), flush=True)

        # Memory first, on servers that have seen only the warm-up tab.
        await each(
            "mem-per-tab",
            lambda s: client.mem_per_tab(s, size["mem_tabs"], size["settle_s"], size["after_s"]),
        )
        await each("event-rtt", lambda s: client.event_rtt(s, size["rtt_keystrokes"]))
        # The app only: its anchor is the app's own plain setter (event-rtt), just measured.
        app = next(server for server in started if server.name == "app")
        runs["slug-check-rtt"] = {
            "app": await client.slug_check_rtt(app, size["rtt_keystrokes"], size["accounts"])
        }
        await client.quiet(app)
        print(f"  slug-check-rtt: {_brief('app', runs['slug-check-rtt']['app'])}", flush=True)
        for tabs in size["loads"]:
            await each(
                f"typing-load-{tabs}",
                lambda s, tabs=tabs: client.typing_load(s, tabs, size["load_seconds"]),
            )
        return runs
    finally:
        for server in started:
            server.stop()


def _brief(name: str, run: dict) -> str:
    if "kb_per_tab" in run:
        return f"{name} {run['kb_per_tab']:.0f} KB/tab"
    return f"{name} p50 {run['p50_ms']:.2f} ms p99 {run['p99_ms']:.2f} ms"


async def bench(size: dict) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="session-bench-"))
    try:
        servers.prepare(workdir)
        servers.seed_accounts(workdir, size["accounts"])
        pinned = servers.pin_client()
        reps = []
        for n in range(size["repeats"]):
            print(f"repetition {n + 1} of {size['repeats']}", flush=True)
            reps.append(await repetition(size, workdir, app_first=n % 2 == 0))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"pinned": pinned, "repetitions": reps}


def _strict(value):
    """The result as strict JSON: a figure that could not be measured (NaN) is null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strict(item) for item in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smoke run: tiny sizes, one repetition")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    size = SIZES[mode]
    began = time.monotonic()
    measured = asyncio.run(bench(size))
    result = {
        "mode": mode,
        "sizes": size,
        "versions": versions(),
        "cores": os.cpu_count(),
        "pinned": measured["pinned"],
        "keystroke": client.KEYSTROKE,
        "page": client.PAGE,
        "summary": summarise(measured["repetitions"], size),
        "repetitions": measured["repetitions"],
        "wall_s": time.monotonic() - began,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("bench-quick.json" if args.quick else "bench.json")
    out.write_text(json.dumps(_strict(result), indent=2, allow_nan=False))
    print()
    print(table(result))
    print(f"\nwrote {out.relative_to(ROOT)} in {result['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
