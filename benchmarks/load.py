"""Load on the running app through Reflex's own protocol (benchmarks/reflex_client.py).

    .venv/bin/python benchmarks/load.py workers            # `make cluster` first
    .venv/bin/python benchmarks/load.py workers --quick    # the smoke run

`workers`: events per second that one backend worker answers against two, under the
same load (tabs typing a display name as fast as each answer comes back), each tab
talking to a worker directly, interleaved one, two, one, two … Writes
benchmarks/results/workers.json and prints a table. Absolute figures are for context:
the load client shares this machine's cores with the workers it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reflex_client import Tab  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
ONBOARDING = (
    "reflex___state____state.session_app___states___account____account_state"
    ".session_app___pages___onboarding___state____onboarding_state"
)
KEYSTROKE = f"{ONBOARDING}.set_display_name"
WORKER_URLS = ("http://127.0.0.1:8001", "http://127.0.0.1:8002")


async def typing(targets: list[str], tabs: int, seconds: float) -> dict:
    """`tabs` tabs spread over `targets`, each typing as fast as it is answered."""
    opened = [Tab(targets[n % len(targets)], "/onboarding") for n in range(tabs)]
    await asyncio.gather(*(tab.open() for tab in opened))
    rtts: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def type_away(tab: Tab) -> None:
        n = 0
        while time.perf_counter() < stop_at:
            rtts.append(await tab.call(KEYSTROKE, value=f"Kim {n}"))
            n += 1

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(type_away(tab) for tab in opened))
    elapsed = time.perf_counter() - started
    client_cores = (time.process_time() - cpu_started) / elapsed
    errors = sum(tab.errors for tab in opened)
    await asyncio.gather(*(tab.close() for tab in opened))
    ordered = sorted(rtts)
    return {
        "events_per_s": len(rtts) / elapsed,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[int(0.99 * (len(ordered) - 1))],
        "errors": errors,
        "client_cores": client_cores,  # how much of the machine the load client took
    }


async def workers(tabs: int, seconds: float, repeats: int) -> dict:
    runs: dict[str, list[dict]] = {"one": [], "two": []}
    await typing(list(WORKER_URLS), tabs, 2)  # warm both
    for _ in range(repeats):
        runs["one"].append(await typing(list(WORKER_URLS[:1]), tabs, seconds))
        runs["two"].append(await typing(list(WORKER_URLS), tabs, seconds))
    one = statistics.median(r["events_per_s"] for r in runs["one"])
    two = statistics.median(r["events_per_s"] for r in runs["two"])
    return {
        "tabs": tabs,
        "seconds": seconds,
        "runs": runs,
        "one_events_per_s": one,
        "two_events_per_s": two,
        "ratio": two / one,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["workers"])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few tabs, a second each")
    args = parser.parse_args()
    tabs, seconds, repeats = (10, 1.0, 1) if args.quick else (100, 8.0, 3)
    result = asyncio.run(workers(tabs, seconds, repeats))
    RESULTS.mkdir(exist_ok=True)
    name = "workers-quick.json" if args.quick else "workers.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2))
    print(f"{'workers':<8} {'events/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'client cores':>13}")
    for label in ("one", "two"):
        for run in result["runs"][label]:
            figures = f"{run['events_per_s']:>9.0f} {run['p50_ms']:>8.1f} {run['p99_ms']:>8.1f}"
            print(f"{label:<8} {figures} {run['errors']:>7} {run['client_cores']:>13.2f}")
    print(f"two workers answer {result['ratio']:.2f}× the events of one ({tabs} tabs)")


if __name__ == "__main__":
    main()
