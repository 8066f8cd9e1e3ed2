"""The summary and the one table of `benchmarks/bench.py`: per metric, the median over the
repetitions of the app's figure and the echo's, and the median of the per-repetition
ratios app / echo, beside the target of ../shared/docs/BENCHMARKS.md. The targets are
shown, never enforced."""

from __future__ import annotations

import math
import statistics


def _median(values: list[float]) -> float:
    clean = [value for value in values if not math.isnan(value)]
    return statistics.median(clean) if clean else float("nan")


def _ratio_row(
    reps: list[dict], key: str, field: str, metric: str, target: str = "", limit: float | None = None
) -> dict:
    app = [rep[key]["app"][field] for rep in reps]
    echo = [rep[key]["echo"][field] for rep in reps]
    ratios = [a / e if e else float("nan") for a, e in zip(app, echo, strict=True)]
    row = {"id": key, "metric": metric, "app": _median(app), "echo": _median(echo), "ratio": _median(ratios)}
    row["target"] = target
    row["meets"] = None if limit is None else bool(row["ratio"] <= limit)
    return row


def summarise(reps: list[dict], size: dict) -> list[dict]:
    rows = [
        _ratio_row(reps, "event-rtt", "p50_ms", "event-rtt p50 (ms)", "≤ 1.15×", 1.15),
        _ratio_row(reps, "event-rtt", "p99_ms", "event-rtt p99 (ms)", "app ≤ 1 ms"),
    ]
    rows[-1]["meets"] = bool(rows[-1]["app"] <= 1.0)
    if all("slug-check-rtt" in rep for rep in reps):
        rows.append(_slug_row(reps, size))
    largest = size["loads"][-1]
    for tabs in size["loads"]:
        key = f"typing-load-{tabs}"
        main = tabs == largest
        rows.append(_ratio_row(reps, key, "p50_ms", f"typing-load {tabs} tabs p50 (ms)"))
        p99 = _ratio_row(reps, key, "p99_ms", f"typing-load {tabs} tabs p99 (ms)")
        if main:
            p99["target"] = "≤ 1.5× and app ≤ 25 ms"
            p99["meets"] = bool(p99["ratio"] <= 1.5 and p99["app"] <= 25)
        rows.append(p99)
        counts = {
            name: {
                "answered": sum(rep[key][name]["answered"] for rep in reps),
                "sent": sum(rep[key][name]["sent"] for rep in reps),
                "errors": sum(rep[key][name]["errors"] for rep in reps),
            }
            for name in ("app", "echo")
        }
        app = counts["app"]
        rows.append(
            {
                "id": key,
                "metric": f"typing-load {tabs} tabs answered/sent, errors",
                "app": f"{app['answered']}/{app['sent']}, {app['errors']}",
                "echo": f"{counts['echo']['answered']}/{counts['echo']['sent']}, {counts['echo']['errors']}",
                "ratio": None,
                "target": "all answered, 0 errors" if main else "",
                "meets": (app["answered"] == app["sent"] and app["errors"] == 0) if main else None,
                "counts": counts,
            }
        )
        cpu = _ratio_row(reps, key, "cpu_per_event_us", f"cpu-per-event at {tabs} tabs (µs)")
        if main:
            cpu["target"], cpu["meets"] = "≤ 1.6×", bool(cpu["ratio"] <= 1.6)
        rows.append(cpu)
    mem = _ratio_row(reps, "mem-per-tab", "kb_per_tab", "mem-per-tab (KB per tab)", "≤ 1.1×", 1.1)
    mem["metric"] = f"mem-per-tab, {size['mem_tabs']} tabs (KB per tab)"
    rows.append(mem)
    after = _ratio_row(reps, "mem-per-tab", "after_pct_of_start", "")
    after["metric"] = f"RSS {size['after_s']:.0f} s after they left (% of start)"
    after["ratio"] = None
    after["target"] = "≤ 110 % after idle expiry (1 h: not waited for)"
    rows.append(after)
    return rows


def _slug_row(reps: list[dict], size: dict) -> dict:
    """The live URL check against the app's own plain setter (event-rtt) of the same
    repetition: the echo has no database to ask."""
    slug = [rep["slug-check-rtt"]["app"]["p50_ms"] for rep in reps]
    plain = [rep["event-rtt"]["app"]["p50_ms"] for rep in reps]
    ratios = [s / p if p else float("nan") for s, p in zip(slug, plain, strict=True)]
    ratio = _median(ratios)
    return {
        "id": "slug-check-rtt",
        "metric": f"slug-check-rtt p50, {size['accounts']:,} accounts (ms; anchor: app's plain setter)",
        "app": _median(slug),
        "echo": _median(plain),
        "ratio": ratio,
        "target": "≤ 1.05× the plain setter",
        "meets": bool(ratio <= 1.05),
    }


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "n/a"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def table(result: dict) -> str:
    size = result["sizes"]
    head = (
        f"{result['mode']} run: {size['repeats']} repetition(s), interleaved; "
        f"server {'on core 0, client on core 1' if result['pinned'] else 'and client unpinned'}; "
        f"keystroke = {result['keystroke'].rsplit('.', 1)[-1]} on {result['page']}"
    )
    columns = ("metric", "app", "echo", "app/echo", "target", "")
    lines = [columns] + [
        (row["metric"], _cell(row["app"]), _cell(row["echo"]), _ratio(row), row["target"], _verdict(row))
        for row in result["summary"]
    ]
    widths = [max(len(line[n]) for line in lines) for n in range(len(columns))]
    rendered = [head, ""]
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [cell.rjust(widths[i + 1]) for i, cell in enumerate(line[1:4])]
        cells += [line[4].ljust(widths[4]), line[5]]
        rendered.append("  ".join(cells).rstrip())
        if n == 0:
            rendered.append("  ".join("-" * width for width in widths[:5]))
    loads = [
        run
        for rep in result["repetitions"]
        for key, runs in rep.items()
        if key.startswith("typing")
        for run in runs.values()
    ]
    if loads:
        lag = max(run["send_lag_p99_ms"] for run in loads)
        cores = max(run["client_cores"] for run in loads)
        rendered.append(
            f"\nload client: p99 lateness of its sends at most {lag:.1f} ms (of a 100 ms interval), "
            f"at most {cores:.2f} of a core. Answered: within {loads[0]['drain_limit_s']:.0f} s of the "
            "last send; latencies are of the answered. App and echo figures are medians of the "
            "repetitions, the ratio the median of each repetition's ratio."
        )
    return "\n".join(rendered)


def _ratio(row: dict) -> str:
    return "—" if row["ratio"] is None else f"{_cell(row['ratio'])}×"


def _verdict(row: dict) -> str:
    return {None: "", True: "meets", False: "misses"}[row["meets"]]
