"""A soak (issue 16): mixed typing and lobby traffic for --minutes, fresh tabs coming and
going as page views do, to show whether the server slows down or grows with age.

    .venv/bin/python benchmarks/soak.py              # 30 minutes, then the expiry wait
    .venv/bin/python benchmarks/soak.py --quick      # the smoke run: about a minute

The app runs as `make run` starts it (one worker, tabs' state in memory), except that a
tab's state expires EXPIRY_S after it last spoke (REFLEX_REDIS_TOKEN_EXPIRATION; an hour
in the app), so the return to the starting memory shows within the run. Each cycle of
CYCLE_S seconds, TYPISTS new tabs on onboarding type RATE keystrokes a second each and
GUESTS new guests join a room, beat as the page does and leave. Reported per cycle:
server CPU per answered keystroke (the lobby's work included, the same in every cycle),
keystroke p99, RSS. Then: the first and last cycles compared, and RSS once every tab's
state has expired against the start. Writes benchmarks/results/soak.json (soak-quick.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_client as client  # noqa: E402
from benchmarks import servers  # noqa: E402
from benchmarks.lobby import ROOM_STATE, Guest, _beat, seed  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SIZES = {
    "full": {"minutes": 30.0, "cycle_s": 60.0, "typists": 20, "guests": 25, "expiry_s": 120},
    "quick": {"minutes": 0.5, "cycle_s": 10.0, "typists": 4, "guests": 5, "expiry_s": 10},
}
RATE = 5.0  # keystrokes a second per typing tab


async def cycle(server: servers.Server, host_url: str, slug: str, size: dict, n: int) -> dict:
    typists, failures = await client.open_tabs(server.url, size["typists"])
    guests = [Guest(server.url, host_url, slug) for _ in range(size["guests"])]
    await asyncio.gather(*(guest.open() for guest in guests))
    for k, guest in enumerate(guests):
        await guest.send(f"{ROOM_STATE}.set_join_name", value=f"Guest {n}-{k}")
        await guest.send(f"{ROOM_STATE}.join", _form={})
    beating = asyncio.get_running_loop().create_task(_beat(guests))
    cpu_before, began = server.cpu_seconds(), time.perf_counter()
    per_tab = round(size["cycle_s"] * RATE)

    async def type_away(tab: client.BenchTab, phase: float) -> None:
        for k in range(per_tab):
            if (delay := began + phase + k / RATE - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            await tab.type(f"Soak {n} {k}")

    count = max(1, len(typists))
    await asyncio.gather(*(type_away(tab, m / (count * RATE)) for m, tab in enumerate(typists)))
    deadline = time.perf_counter() + 3
    while any(tab.sent for tab in typists) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    cpu = server.cpu_seconds() - cpu_before
    latencies = [rtt for tab in typists for rtt in tab.latencies]
    beating.cancel()
    await client.close_tabs(typists)
    await asyncio.gather(*(guest.close() for guest in guests), return_exceptions=True)
    return {
        "cycle": n,
        "sent": per_tab * len(typists),
        "answered": len(latencies),
        "errors": failures + sum(tab.errors for tab in typists),
        "cpu_us_per_keystroke": 1e6 * cpu / max(1, len(latencies)),
        "p99_ms": 1000 * client.percentile(latencies, 0.99),
        "rss_mb": server.rss() / 2**20,
    }


async def soak(size: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="soak-bench-") as tmp:
        workdir = Path(tmp)
        servers.prepare(workdir)
        host_url, (slug,) = seed(workdir, 1)
        server = servers.start_app(workdir, REFLEX_REDIS_TOKEN_EXPIRATION=str(size["expiry_s"]))
        try:
            server.wait_listening()
            servers.pin_client()
            await client.warm(server, 50)
            # One short cycle of the same mix first, so the start is a server that has
            # run every path once (imports, compiled queries, caches), as the end is.
            await cycle(server, host_url, slug, {**size, "cycle_s": 5.0}, -1)
            await asyncio.sleep(size["expiry_s"] + 15)  # the warm-up tabs' state gone too
            start_rss = server.rss() / 2**20
            cycles = []
            ends = time.monotonic() + 60 * size["minutes"]
            while time.monotonic() < ends:
                cycles.append(await cycle(server, host_url, slug, size, len(cycles)))
                print(_line(cycles[-1]), flush=True)
            await asyncio.sleep(size["expiry_s"] + 15)  # every tab's state expires
            after_rss = server.rss() / 2**20
        finally:
            server.stop()
    edge = max(1, len(cycles) // 5)
    first = statistics.median(c["cpu_us_per_keystroke"] for c in cycles[:edge])
    last = statistics.median(c["cpu_us_per_keystroke"] for c in cycles[-edge:])
    return {
        "size": size,
        "cycles": cycles,
        "cpu_us_per_keystroke_first": first,
        "cpu_us_per_keystroke_last": last,
        "cpu_last_over_first": last / first if first else float("nan"),
        "start_rss_mb": start_rss,
        "peak_rss_mb": max(c["rss_mb"] for c in cycles),
        "after_expiry_rss_mb": after_rss,
        "after_expiry_pct_of_start": 100 * after_rss / start_rss,
        "errors": sum(c["errors"] for c in cycles),
    }


def _line(run: dict) -> str:
    return (
        f"cycle {run['cycle']:>3}: {run['answered']}/{run['sent']} answered, p99 {run['p99_ms']:.1f} ms, "
        f"CPU {run['cpu_us_per_keystroke']:.0f} µs/keystroke, RSS {run['rss_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smoke run: about a minute")
    parser.add_argument("--minutes", type=float, help="how long the traffic runs")
    args = parser.parse_args()
    size = dict(SIZES["quick" if args.quick else "full"])
    if args.minutes:
        size["minutes"] = args.minutes
    result = asyncio.run(soak(size))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("soak-quick.json" if args.quick else "soak.json")
    out.write_text(json.dumps(result, indent=2))
    print(
        f"\nCPU per keystroke: first {result['cpu_us_per_keystroke_first']:.0f} µs, last "
        f"{result['cpu_us_per_keystroke_last']:.0f} µs ({result['cpu_last_over_first']:.2f}×); RSS "
        f"{result['start_rss_mb']:.0f} MB at the start, {result['peak_rss_mb']:.0f} MB at most, "
        f"{result['after_expiry_rss_mb']:.0f} MB once every state expired "
        f"({result['after_expiry_pct_of_start']:.0f} % of the start); errors {result['errors']}"
    )


if __name__ == "__main__":
    main()
