"""First paint of the room page and the public host page (issue 16): when the room's or
host's name is on screen, against the first contentful paint of a page that needs no
script at all (the landing page), in the same run, interleaved.

Starts the app as `make run` does (one process serving the built pages and the
backend on one port, SQLite), seeds a host with a room, and loads each page in a fresh
Chromium context (nothing cached, as for someone opening a link), `ROUNDS` times:

- `anchor`: the landing page's first contentful paint (static HTML and the stylesheet);
- `name`: when the name the server put in the HTML shell was painted (page_status.py);
- `live`: when the page's own heading, filled in over the websocket, was painted (what
  the name waited for before).

Element Timing (`elementtiming`) gives each paint's time from the navigation's start.
`python benchmarks/paint.py [--quick]`; writes benchmarks/results/paint.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import servers  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
ROUNDS = {"quick": 2, "full": 15}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TARGET = 1.3  # the name painted within 1.3x the anchor's first contentful paint

# Each paint's time, from the navigation's start, as the page records it.
WATCH_PAINTS = """
window.__paints = {};
const note = (name, at) => { if (!(name in window.__paints)) window.__paints[name] = at; };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) note(entry.name, entry.startTime);
}).observe({ type: "paint", buffered: true });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) note(entry.identifier, entry.renderTime || entry.loadTime);
}).observe({ type: "element", buffered: true });
"""


def paints(browser, base_url: str, path: str, wait_for: tuple[str, ...]) -> dict[str, float]:
    """Load `path` in a fresh context; the paint times (ms) named in `wait_for`."""
    context = browser.new_context(base_url=base_url)
    try:
        context.add_init_script(WATCH_PAINTS)
        page = context.new_page()
        page.goto(path)
        names = json.dumps(list(wait_for))
        page.wait_for_function(f"() => {names}.every((name) => name in window.__paints)")
        found = page.evaluate("() => window.__paints")
        return {name: found[name] for name in wait_for}
    finally:
        context.close()


def seed(workdir: Path) -> tuple[str, str]:
    """A host with one room in the run's database: their paths."""
    os.environ.update(servers.app_env(workdir, "http://127.0.0.1:3000"))
    from session_app import db
    from session_app.environment import reload_environment
    from session_app.rooms import rooms as room_store
    from tests.support.factories import onboarded_user

    reload_environment()
    db.reset_engine()
    user_id = onboarded_user("host@example.com", "Paint Host", "paint-host")
    return "/paint-host", f"/paint-host/{room_store.create_room(user_id, 'Weekly standup').slug}"


def start(workdir: Path) -> servers.Server:
    """The app as `make run` starts it: built pages and the backend on one port."""
    port = servers.free_port()
    command = [str(servers.BIN / "reflex"), "run", "--env", "prod", "--single-port"]
    command += ["--frontend-port", str(port), "--backend-port", str(port), "--backend-host", "127.0.0.1"]
    env = servers.app_env(workdir, f"http://localhost:{port}")
    log = workdir / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = servers.Server("app", f"http://localhost:{port}", proc, log)
    server.wait_listening(timeout=600)  # the first run builds the pages
    return server


def measure(rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="session-paint-"))
    try:
        servers.prepare(workdir)
        host, room = seed(workdir)
        server = start(workdir)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                base = server.url
                paints(browser, base, "/", ("first-contentful-paint",))  # warm the server up
                runs: dict[str, list[dict]] = {"anchor": [], "room": [], "host": []}
                for _ in range(rounds):
                    runs["anchor"].append(paints(browser, base, "/", ("first-contentful-paint",)))
                    runs["room"].append(paints(browser, base, room, ("name", "live-name")))
                    runs["host"].append(paints(browser, base, host, ("name", "live-name")))
                browser.close()
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return runs


def summarise(runs: dict) -> dict:
    anchor = statistics.median(run["first-contentful-paint"] for run in runs["anchor"])
    summary: dict = {"anchor_fcp_ms": anchor}
    for page in ("room", "host"):
        name = statistics.median(run["name"] for run in runs[page])
        live = statistics.median(run["live-name"] for run in runs[page])
        summary[page] = {
            "name_ms": name,
            "live_ms": live,
            "name_ratio": name / anchor,
            "live_ratio": live / anchor,
            "meets": name / anchor <= TARGET,
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smoke run: two rounds")
    mode = "quick" if parser.parse_args().quick else "full"
    runs = measure(ROUNDS[mode])
    result = {"mode": mode, "rounds": ROUNDS[mode], "summary": summarise(runs), "runs": runs}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("paint-quick.json" if mode == "quick" else "paint.json")
    out.write_text(json.dumps(result, indent=2))
    summary = result["summary"]
    print(f"anchor: the landing page's first contentful paint, median {summary['anchor_fcp_ms']:.0f} ms")
    print("| page | name painted | ratio | page's own heading | ratio | target |")
    print("|---|---|---|---|---|---|")
    for page in ("room", "host"):
        row = summary[page]
        print(
            f"| {page} | {row['name_ms']:.0f} ms | {row['name_ratio']:.2f}x | {row['live_ms']:.0f} ms "
            f"| {row['live_ratio']:.2f}x | <= {TARGET}x: {'meets' if row['meets'] else 'misses'} |"
        )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
