"""Avatar benchmarks from ../shared/docs/BENCHMARKS.md, each against its baseline in the
same run, interleaved (A B A B …), reported as ratios.

    .venv/bin/python benchmarks/avatar.py            # the full run (about a minute)
    .venv/bin/python benchmarks/avatar.py --quick    # a smoke run on a small image

Writes benchmarks/results/avatar.json and prints a table. Absolute times are for
context only; the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import io
import json
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from session_app.media import avatars  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def photo_like(width: int, height: int, orientation: int | None = None, fmt: str = "JPEG") -> bytes:
    """A deterministic image with photo-like detail: gradients, noise and edges."""
    base = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width // 4, height // 4), 40).resize(
        (width, height), Image.Resampling.BILINEAR
    )
    mandel = Image.effect_mandelbrot((width // 8, height // 8), (-2, -1.2, 1, 1.2), 60).resize(
        (width, height)
    )
    image = Image.merge("RGB", (base, noise, mandel)).filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
        image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    else:
        # A smooth image, so that 24 MP fits the 10 MB upload limit as a PNG.
        smooth = Image.merge("RGB", (base, mandel, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
        smooth.save(out, "PNG", compress_level=6)
    return out.getvalue()


def naive(data: bytes) -> Image.Image:
    """The baseline: full decode, transpose, centre crop, LANCZOS to 512, save."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image = image.convert("RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.crop((left, top, left + side, top + side)).resize((512, 512), Image.Resampling.LANCZOS)
    square.save(io.BytesIO(), "WEBP", quality=avatars.WEBP_QUALITY)  # Pillow's default method (4)
    square.resize((128, 128), Image.Resampling.LANCZOS).save(
        io.BytesIO(), "WEBP", quality=avatars.WEBP_QUALITY
    )
    return square


def ours(data: bytes) -> Image.Image:
    """The shipped pipeline (decode at reduced scale, working copy, both avatars)."""
    image = avatars.decode_upright(data)
    avatars.render(image)
    return avatars.squares(image, avatars.centred_crop(image.size))[512]


def decode_only_at_draft(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    scale = min(image.size) / avatars.WORK_SHORT_SIDE
    if image.format == "JPEG" and scale >= 2:
        image.draft("RGB", (image.width // int(scale), image.height // int(scale)))
    image.load()


def decode_only(data: bytes) -> None:
    Image.open(io.BytesIO(data)).load()


def interleaved(a, b, data: bytes, rounds: int) -> tuple[float, float]:
    """Median seconds of a and of b, run A B A B …"""
    times_a, times_b = [], []
    for _ in range(rounds):
        for fn, times in ((a, times_a), (b, times_b)):
            started = time.perf_counter()
            fn(data)
            times.append(time.perf_counter() - started)
    return statistics.median(times_a), statistics.median(times_b)


def difference(x: Image.Image, y: Image.Image) -> tuple[float, float]:
    diff = ImageChops.difference(x.convert("RGB"), y.convert("RGB"))
    mean_abs = sum(ImageStat.Stat(diff).mean) / 3
    mse = sum(v for v in ImageStat.Stat(diff).rms) / 3
    mse = mse**2
    psnr = float("inf") if mse == 0 else 10 * __import__("math").log10(255**2 / mse)
    return mean_abs, psnr


def throughput(data: bytes, workers: int, count: int) -> float:
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(ours, [data] * count))
    return count / (time.perf_counter() - started)


async def worst_lateness(work, data: bytes, mode: str) -> float:
    """The worst lateness (ms) of a 5 ms ticker while `work` runs once."""
    lateness: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            expected = time.perf_counter() + 0.005
            await asyncio.sleep(0.005)
            lateness.append(max(0.0, time.perf_counter() - expected))

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    if mode == "inline":
        work(data)
    elif mode == "thread":
        await asyncio.to_thread(work, data)
    else:
        await asyncio.sleep(0.3)
    await asyncio.sleep(0.02)
    done.set()
    await task
    return max(lateness) * 1000


def run(quick: bool) -> dict:
    width, height = (1200, 800) if quick else (6000, 4000)
    rounds = 1 if quick else 5
    jpeg = photo_like(width, height)
    jpeg_rotated = photo_like(width, height, orientation=6)
    png = photo_like(width, height, fmt="PNG")
    results: dict[str, dict] = {}

    naive_s, ours_s = interleaved(naive, ours, jpeg, rounds)
    mean_abs, psnr = difference(naive(jpeg), ours(jpeg))
    results["avatar-jpeg"] = {
        "ours_s": ours_s,
        "baseline_s": naive_s,
        "ratio": ours_s / naive_s,
        "mean_abs_diff": mean_abs,
        "psnr_db": psnr,
        "target": "<= 0.25, diff <= 0.5/255, PSNR >= 48",
    }
    naive_r, ours_r = interleaved(naive, ours, jpeg_rotated, rounds)
    mean_abs_r, psnr_r = difference(naive(jpeg_rotated), ours(jpeg_rotated))
    results["avatar-jpeg-orientation-6"] = {
        "ours_s": ours_r,
        "baseline_s": naive_r,
        "ratio": ours_r / naive_r,
        "mean_abs_diff": mean_abs_r,
        "psnr_db": psnr_r,
        "target": "as avatar-jpeg",
    }
    floor_s, ours_f = interleaved(decode_only_at_draft, ours, jpeg, rounds)
    results["avatar-floor"] = {
        "ours_s": ours_f,
        "baseline_s": floor_s,
        "ratio": ours_f / floor_s,
        "target": "<= 1.5",
    }
    decode_s, ours_p = interleaved(decode_only, ours, png, rounds)
    results["avatar-png"] = {
        "ours_s": ours_p,
        "baseline_s": decode_s,
        "ratio": ours_p / decode_s,
        "target": "<= 1.05",
    }
    huge = avatars.MAX_PIXELS + 1
    started = time.perf_counter()
    try:
        avatars.decode_upright(_png_header(huge // 5000 + 1, 5000))
        refused = False
    except avatars.AvatarError:
        refused = True
    results["avatar-png"]["over_40mp_refused_before_decoding"] = refused
    results["avatar-png"]["refusal_s"] = time.perf_counter() - started

    count = 2 if quick else 8
    one = throughput(jpeg, 1, count)
    two = throughput(jpeg, 2, count)
    results["avatar-threads"] = {
        "one_thread_per_s": one,
        "two_threads_per_s": two,
        "ratio": two / one,
        "target": ">= 1.8",
    }

    idle = asyncio.run(worst_lateness(ours, jpeg, "idle"))
    inline = asyncio.run(worst_lateness(ours, jpeg, "inline"))
    threaded = asyncio.run(worst_lateness(ours, jpeg, "thread"))
    results["loop-stall"] = {
        "idle_ms": idle,
        "inline_ms": inline,
        "to_thread_ms": threaded,
        "target": "to_thread <= 10 ms",
    }
    return {"image": f"{width}x{height}", "rounds": rounds, "results": results}


def _png_header(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def table(report: dict) -> str:
    rows = [f"avatar benchmarks on a {report['image']} image, {report['rounds']} interleaved rounds", ""]
    rows.append(f"{'id':28} {'measured':>34}  target")
    for name, r in report["results"].items():
        if "ratio" in r and name != "avatar-threads":
            measured = f"{r['ratio']:.2f}x ({r['ours_s'] * 1000:.0f} vs {r['baseline_s'] * 1000:.0f} ms)"
            if "psnr_db" in r:
                measured += f", diff {r['mean_abs_diff']:.2f}, {r['psnr_db']:.1f} dB"
        elif name == "avatar-threads":
            measured = f"{r['ratio']:.2f}x ({r['two_threads_per_s']:.1f} vs {r['one_thread_per_s']:.1f}/s)"
        else:
            measured = f"{r['to_thread_ms']:.1f} ms (inline {r['inline_ms']:.0f}, idle {r['idle_ms']:.1f})"
        rows.append(f"{name:28} {measured:>34}  {r['target']}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small image and one round (smoke test)")
    args = parser.parse_args()
    report = run(args.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / ("avatar-quick.json" if args.quick else "avatar.json")).write_text(
        json.dumps(report, indent=2)
    )
    print(table(report))


if __name__ == "__main__":
    main()
