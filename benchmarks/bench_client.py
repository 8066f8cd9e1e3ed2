"""The measurements of `benchmarks/bench.py`, each run against one server (the app or
the echo anchor) through the same client.

`BenchTab` is `reflex_client.Tab` with two changes: `open()` returns once the page is
hydrated (`is_hydrated` true, after the page's load handlers), not at the first
update; and each keystroke's answer is found by its value in the delta, so open-loop
typing (sending without waiting) still gets a latency per event.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets

from benchmarks.reflex_client import Tab
from benchmarks.servers import Server

ONBOARDING = (
    "reflex___state____state.session_app___states___account____account_state"
    ".session_app___pages___onboarding___state____onboarding_state"
)
# The display-name field of onboarding: a plain setter that needs no sign-in.
KEYSTROKE = f"{ONBOARDING}.set_display_name"
PAGE = "/onboarding"
VALUE_VAR = "display_name_rx_state_"
# The URL field of onboarding's step 3: the live availability check (with the
# alternatives built from the name when taken), one indexed query per keystroke.
URL_CHECK = f"{ONBOARDING}.set_url"
URL_VAR = "url_typed_rx_state_"
BATCH = 25  # tabs connecting at once


@dataclass
class BenchTab(Tab):
    handler: str = KEYSTROKE  # what a keystroke sends
    argument: str = "value"  # its one argument's name
    value_var: str = VALUE_VAR  # where the answer carries the typed value back
    sent: dict[str, float] = field(default_factory=dict)  # value -> when it was sent
    latencies: list[float] = field(default_factory=list)
    hydrated: asyncio.Event = field(default_factory=asyncio.Event)
    waiter: asyncio.Future | None = None

    async def open(self, timeout: float = 60) -> None:
        await super().open(timeout)
        await asyncio.wait_for(self.hydrated.wait(), timeout)

    def refused(self) -> None:
        self.hydrated.set()  # nothing more will come: open() returns, the error counted

    def received(self, delta: dict, now: float) -> None:
        for values in delta.values():
            if not isinstance(values, dict):
                continue
            if values.get("is_hydrated_rx_state_") is True:
                self.hydrated.set()
            value = values.get(self.value_var)
            if isinstance(value, str) and (sent_at := self.sent.pop(value, None)) is not None:
                self.latencies.append(now - sent_at)
                if self.waiter is not None and not self.waiter.done():
                    self.waiter.set_result(None)

    async def type(self, value: str) -> None:
        """Send one keystroke without waiting for its answer."""
        self.sent[value] = time.perf_counter()
        await self.send(self.handler, **{self.argument: value})

    async def type_and_wait(self, value: str, timeout: float = 30) -> None:
        self.waiter = asyncio.get_running_loop().create_future()
        await self.type(value)
        try:
            await asyncio.wait_for(self.waiter, timeout)
        except TimeoutError:
            self.errors += 1


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))] if ordered else float("nan")


async def open_tabs(url: str, count: int) -> tuple[list[BenchTab], int]:
    """`count` hydrated tabs, BATCH at a time; returns the open ones and the failures."""
    opened: list[BenchTab] = []
    failures = 0
    for start in range(0, count, BATCH):
        batch = [BenchTab(url, PAGE) for _ in range(start, min(count, start + BATCH))]
        outcomes = await asyncio.gather(*(tab.open() for tab in batch), return_exceptions=True)
        for tab, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                failures += 1
                await tab.close()
            else:
                opened.append(tab)
    return opened, failures


async def close_tabs(tabs: list[BenchTab]) -> None:
    for start in range(0, len(tabs), 100):
        await asyncio.gather(*(tab.close() for tab in tabs[start : start + 100]), return_exceptions=True)


async def quiet(server: Server, timeout: float = 20, window: float = 0.5) -> float:
    """Wait until the server is idle (under a tenth of a core for `window` s): whatever
    it still has to do for the last measurement must not run during the next one, on
    the other server sharing its core. Returns the seconds waited."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        before = server.cpu_seconds()
        await asyncio.sleep(window)
        if server.cpu_seconds() - before < 0.1 * window:
            break
    return time.perf_counter() - began


async def warm(server: Server, keystrokes: int) -> None:
    """The server's first tab and keystrokes (imports, caches), left out of every figure."""
    tab = BenchTab(server.url, PAGE)
    await tab.open(timeout=90)
    for n in range(keystrokes):
        await tab.type_and_wait(f"warm {n}")
    await tab.close()


async def event_rtt(server: Server, keystrokes: int) -> dict:
    """One tab, one keystroke at a time, each sent when the last one was answered."""
    tab = BenchTab(server.url, PAGE)
    await tab.open()
    for n in range(keystrokes):
        await tab.type_and_wait(f"Kim {n}")
    await tab.close()
    rtts = tab.latencies
    return {
        "keystrokes": keystrokes,
        "answered": len(rtts),
        "p50_ms": 1000 * percentile(rtts, 0.5),
        "p99_ms": 1000 * percentile(rtts, 0.99),
        "errors": tab.errors,
    }


async def slug_check_rtt(server: Server, keystrokes: int, accounts: int) -> dict:
    """One tab on step 3, as event-rtt but typing URLs: every other one taken (so the
    answer also carries free alternatives from the display name), the others free."""
    tab = BenchTab(server.url, PAGE, handler=URL_CHECK, argument="typed", value_var=URL_VAR)
    await tab.open()
    await tab.call(KEYSTROKE, value="Kim Lee")  # the name the alternatives come from
    for n in range(keystrokes):
        await tab.type_and_wait(f"host-{(n * 7919) % accounts}" if n % 2 == 0 else f"kim-free-{n}")
    await tab.close()
    rtts = tab.latencies
    return {
        "keystrokes": keystrokes,
        "accounts": accounts,
        "answered": len(rtts),
        "p50_ms": 1000 * percentile(rtts, 0.5),
        "p99_ms": 1000 * percentile(rtts, 0.99),
        "errors": tab.errors,
    }


async def typing_load(server: Server, tabs: int, seconds: float, rate: float = 10.0) -> dict:
    """`tabs` tabs each typing `rate` keystrokes a second for `seconds`, open loop (each
    sent on its schedule whatever the answers), staggered evenly over the interval."""
    opened, failures = await open_tabs(server.url, tabs)
    per_tab = round(seconds * rate)
    lags: list[float] = []
    send_errors = 0
    await asyncio.sleep(0.2)
    cpu_before, client_before = server.cpu_seconds(), time.process_time()
    start = time.perf_counter() + 0.1

    async def type_away(tab: BenchTab, phase: float) -> None:
        nonlocal send_errors
        for k in range(per_tab):
            due = start + phase + k / rate
            if (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            lags.append(time.perf_counter() - due)
            try:
                await tab.type(f"Kim {k}")
            except websockets.ConnectionClosed:
                send_errors += 1
                return

    count = max(1, len(opened))
    await asyncio.gather(*(type_away(tab, n / (count * rate)) for n, tab in enumerate(opened)))
    drain = max(3.0, seconds / 2)  # how long after the last send an answer still counts
    deadline = time.perf_counter() + drain
    while any(tab.sent for tab in opened) and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - start
    cpu = server.cpu_seconds() - cpu_before
    client_cores = (time.process_time() - client_before) / elapsed
    latencies = [rtt for tab in opened for rtt in tab.latencies]
    errors = failures + send_errors + sum(tab.errors for tab in opened)
    await close_tabs(opened)
    return {
        "tabs": tabs,
        "seconds": seconds,
        "drain_limit_s": drain,
        "sent": per_tab * len(opened),
        "answered": len(latencies),
        "errors": errors,
        "p50_ms": 1000 * percentile(latencies, 0.5),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "server_cores": cpu / elapsed,  # how much of a core the server used over the window
        "cpu_per_event_us": 1e6 * cpu / max(1, len(latencies)),
        "send_lag_p99_ms": 1000 * percentile(lags, 0.99),  # the client falling behind its schedule
        "client_cores": client_cores,
    }


async def mem_per_tab(server: Server, tabs: int, settle: float, after: float) -> dict:
    """RSS growth of the server's processes once `tabs` tabs connected and hydrated, per
    tab; then RSS `after` seconds after they all disconnected, against the start."""
    await asyncio.sleep(settle)
    start_rss = server.rss()
    opened, failures = await open_tabs(server.url, tabs)
    await asyncio.sleep(settle)
    loaded_rss = server.rss()
    await close_tabs(opened)
    await asyncio.sleep(after)
    after_rss = server.rss()
    return {
        "tabs": len(opened),
        "errors": failures,
        "start_mb": start_rss / 2**20,
        "loaded_mb": loaded_rss / 2**20,
        "after_mb": after_rss / 2**20,
        "kb_per_tab": (loaded_rss - start_rss) / 1024 / max(1, len(opened)),
        "after_pct_of_start": 100 * after_rss / start_rss,
        "after_wait_s": after,
    }
