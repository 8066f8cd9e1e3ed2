"""The lobby under load (issue 16): how long until every tab in a room sees someone
join or leave, as the room grows.

    .venv/bin/python benchmarks/lobby.py            # 1 room x 25/100/250/500, 50 rooms x 10
    .venv/bin/python benchmarks/lobby.py --quick    # the smoke run: a room of 10

The app runs as `make run` would (one worker, its state in memory) on a throwaway
database with one host and their rooms. Each guest is a tab without the browser
(benchmarks/reflex_client.py) on the room's page: it loads the page, then joins, and
beats as the page does.
Guests join one after another at JOIN_RATE per room; for every join, each tab
already in the room notes when it first sees the lobby count the new arrival (a
pushed delta of `RoomState.count`); then a tenth of them close their websockets and
the rest note when the count drops. Reported: p50/p99 of join-to-seen and
leave-to-seen over every (event, tab) pair, tabs that never saw an event (errors),
and the server's CPU per join. Writes benchmarks/results/lobby.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import servers  # noqa: E402
from benchmarks.reflex_client import Tab  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
ROOM_STATE = (
    "reflex___state____state.session_app___states___account____account_state"
    ".session_app___pages___room___state____room_state"
)
JOIN_RATE = 25.0  # joins per second into one room (--rate)
SEEN_TIMEOUT = 10.0  # a tab that has not seen an event by then counts as an error


class Guest(Tab):
    """A tab on a room's page that notes each lobby count it is sent."""

    def __init__(self, base_url: str, host_url: str, slug: str) -> None:
        super().__init__(base_url, f"/{host_url}/{slug}")
        self.query = {"url": host_url, "room": slug}
        self.counts: list[tuple[float, int]] = []  # (when, count) as pushed
        self.view = ""

    def _router_data(self) -> dict:
        return {"pathname": self.path, "asPath": self.path, "query": self.query}

    async def open(self, timeout: float = 30) -> None:
        """Open the page and wait for its load handler: the join form is showing (a
        name typed before that would be reset by the load, as in a browser)."""
        await super().open(timeout)
        deadline = time.perf_counter() + timeout
        while self.view != "join" and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)

    def received(self, delta: dict, now: float) -> None:
        for name, values in delta.items():
            if name.endswith("room_state") and "view_rx_state_" in values:
                self.view = values["view_rx_state_"]
            if name.endswith("room_state") and "count_rx_state_" in values:
                self.counts.append((now, values["count_rx_state_"]))

    def seen(self, predicate, since: float) -> float | None:
        return next((when - since for when, count in self.counts if when >= since and predicate(count)), None)


def seed(workdir: Path, rooms: int) -> tuple[str, list[str]]:
    """A host with `rooms` open rooms in the run's database; returns their URL and slugs."""
    os.environ.update(servers.app_env(workdir, "http://127.0.0.1:3000"))
    from session_app import db
    from session_app.environment import reload_environment
    from session_app.rooms import rooms as room_store
    from tests.support.factories import onboarded_user

    reload_environment()
    db.reset_engine()
    user_id = onboarded_user("host@example.com", "Bench Host", "bench-host")
    return "bench-host", [room_store.create_room(user_id, f"Room {n}").slug for n in range(rooms)]


async def _wait(condition, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)


async def one_room(
    server: servers.Server, host_url: str, slug: str, guests: int, rate: float = JOIN_RATE
) -> dict:
    tabs = [Guest(server.url, host_url, slug) for _ in range(guests)]
    for start in range(0, guests, 25):  # pages open 25 at a time
        await asyncio.gather(*(tab.open() for tab in tabs[start : start + 25]))
    beating = asyncio.get_running_loop().create_task(_beat(tabs))
    join_lags: list[float] = []
    errors = 0
    joined_at: list[float] = []
    cpu, client_cpu, started = server.cpu_seconds(), time.process_time(), time.perf_counter()
    for n, tab in enumerate(tabs):
        joined_at.append(time.perf_counter())
        await tab.send(f"{ROOM_STATE}.set_join_name", value=f"Guest {n}")
        await tab.send(f"{ROOM_STATE}.join", _form={})
        await asyncio.sleep(1 / rate)
    await _wait(lambda: all(t.counts and t.counts[-1][1] >= guests for t in tabs), SEEN_TIMEOUT)
    join_cpu = server.cpu_seconds() - cpu
    client_cores = (time.process_time() - client_cpu) / (time.perf_counter() - started)
    disconnected = sum(1 for t in tabs if t._reader is not None and t._reader.done())
    finals = sorted(t.counts[-1][1] if t.counts else 0 for t in tabs)
    lowest = finals[0]
    for n, since in enumerate(joined_at):
        for tab in tabs[: n + 1]:  # everyone in by then, the new guest included
            lag = tab.seen(lambda count, n=n: count >= n + 1, since)
            if lag is None or lag > SEEN_TIMEOUT:
                errors += 1
            else:
                join_lags.append(lag)
    leaving, staying = tabs[: max(1, guests // 10)], tabs[max(1, guests // 10) :]
    left_at = time.perf_counter()
    await asyncio.gather(*(tab.close() for tab in leaving))
    target = guests - len(leaving)
    await _wait(lambda: all(t.counts and t.counts[-1][1] <= target for t in staying), SEEN_TIMEOUT)
    leave_lags = [lag for t in staying if (lag := t.seen(lambda count: count <= target, left_at)) is not None]
    errors += len(staying) - len(leave_lags)
    beating.cancel()
    await asyncio.gather(*(tab.close() for tab in staying))
    return {
        "guests": guests,
        "join_p50_ms": 1000 * _pct(join_lags, 0.5),
        "join_p99_ms": 1000 * _pct(join_lags, 0.99),
        "leave_p50_ms": 1000 * _pct(leave_lags, 0.5),
        "leave_p99_ms": 1000 * _pct(leave_lags, 0.99),
        "errors": errors,
        "cpu_ms_per_join": 1000 * join_cpu / guests,
        "samples": len(join_lags),
        "lowest_final_count": lowest,  # what the tab that saw least saw last
        "client_cores": client_cores,  # the load client's share of the machine while joining
        "dropped_sockets": disconnected,
    }


async def _beat(tabs: list[Guest]) -> None:
    """Each tab's heartbeat, as the page's timer sends it (every BEAT_MS inside), spread out."""
    from session_app.pages.room.state import BEAT_MS

    gap = BEAT_MS / 1000 / len(tabs)
    while True:
        for tab in tabs:
            if tab._reader is not None and not tab._reader.done():
                await tab.send(f"{ROOM_STATE}.beat", _now=None)
            await asyncio.sleep(gap)


async def many_rooms(
    server: servers.Server, host_url: str, slugs: list[str], guests: int, rate: float
) -> dict:
    """Rooms filling at once, the joins into all of them together at `rate` per second."""
    each = rate / len(slugs)
    runs = await asyncio.gather(*(one_room(server, host_url, slug, guests, each) for slug in slugs))
    return {
        "rooms": len(slugs),
        "guests": guests,
        "join_p99_ms": max(run["join_p99_ms"] for run in runs),
        "join_p50_ms": statistics.median(run["join_p50_ms"] for run in runs),
        "leave_p99_ms": max(run["leave_p99_ms"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
    }


def _pct(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def sweep(
    quick: bool,
    sizes: list[int] | None = None,
    rate: float = JOIN_RATE,
    spread: tuple[int, ...] | None = None,
) -> dict:
    spread = spread or ((0, 0) if quick or sizes is not None else (50, 10))
    sizes = ([10] if quick else [25, 100, 250, 500]) if sizes is None else sizes
    with tempfile.TemporaryDirectory(prefix="lobby-bench-") as tmp:
        workdir = Path(tmp)
        servers.prepare(workdir)
        host_url, slugs = seed(workdir, len(sizes) + spread[0])
        server = servers.start_app(workdir)
        try:
            server.wait_listening()
            servers.pin_client()
            result: dict = {"one_room": [], "many_rooms": None}
            for guests, slug in zip(sizes, slugs, strict=False):
                result["one_room"].append(await one_room(server, host_url, slug, guests, rate))
                print(_line(f"1 room x {guests}", result["one_room"][-1]), flush=True)
            if spread[0]:
                rooms = slugs[len(sizes) :]
                result["many_rooms"] = await many_rooms(server, host_url, rooms, spread[1], rate)
                print(_line(f"{spread[0]} rooms x {spread[1]}", result["many_rooms"]), flush=True)
        finally:
            server.stop()
    return result


def _line(label: str, run: dict) -> str:
    return (
        f"{label:<18} join p50 {run['join_p50_ms']:>7.0f} ms  p99 {run['join_p99_ms']:>7.0f} ms   "
        f"leave p99 {run['leave_p99_ms']:>7.0f} ms   errors {run['errors']}"
        + (f"   CPU {run['cpu_ms_per_join']:.1f} ms/join" if "cpu_ms_per_join" in run else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smoke run: one room of 10")
    parser.add_argument("--sizes", type=int, nargs="*", help="only these room sizes (none: --spread alone)")
    parser.add_argument("--rate", type=float, default=JOIN_RATE, help="joins per second into a room")
    parser.add_argument("--spread", type=int, nargs=2, metavar=("ROOMS", "GUESTS"), help="many rooms at once")
    args = parser.parse_args()
    spread = tuple(args.spread) if args.spread else None
    result = asyncio.run(sweep(args.quick, args.sizes, args.rate, spread))
    result["join_rate"] = args.rate
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("lobby-quick.json" if args.quick else "lobby.json")).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
