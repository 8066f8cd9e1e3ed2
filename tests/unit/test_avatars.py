"""media/avatars.py on images the tests make (SECURITY.md E1–E7, §3 image list)."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib

import pytest
from PIL import Image, PngImagePlugin

from session_app.media import avatars
from session_app.media.avatars import AvatarError, CropBox, clamp_crop, decode_upright, render
from session_app.media.storage import FolderStore


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _top_red_bottom_blue(width=600, height=400) -> Image.Image:
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width, height // 2))
    return image


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares a huge size (a pixel flood)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _outputs(data: bytes) -> avatars.Rendered:
    return render(decode_upright(data))


def test_exif_orientation_is_applied_and_gps_is_dropped():
    image = _top_red_bottom_blue(600, 400)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display needs 90° clockwise
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0)}  # GPS IFD
    data = _encode(image, "JPEG", exif=exif.tobytes(), quality=95)
    upright = decode_upright(data)
    assert upright.size == (400, 600)  # portrait after the rotation
    rendered = render(upright)
    for side, blob in rendered.avatars.items():
        out = Image.open(io.BytesIO(blob))
        assert out.format == "WEBP" and out.size == (side, side)
        assert not out.getexif() and "icc_profile" not in out.info and "exif" not in out.info
        assert b"SpyCam" not in blob and b"GPS" not in blob
    # Rotated clockwise, red (the top of the stored image) is now on the right.
    out = Image.open(io.BytesIO(rendered.avatars[512])).convert("RGB")
    assert out.getpixel((500, 256))[0] > 200 and out.getpixel((10, 256))[2] > 200


def test_a_pixel_flood_is_refused_quickly_and_cheaply():
    # The child's own peak (VmHWM): ru_maxrss would also count pytest's memory, which
    # Linux carries into a child across fork and exec.
    code = (
        "from session_app.media.avatars import decode_upright, AvatarError\n"
        f"data = {_png_header_only(20000, 20000)!r}\n"
        "try:\n    decode_upright(data)\nexcept AvatarError as e:\n    print('refused', e)\n"
        "status = open('/proc/self/status').read().splitlines()\n"
        "print(next(int(line.split()[1]) for line in status if line.startswith('VmHWM:')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    refused, peak_kb = result.stdout.strip().splitlines()
    assert refused.startswith("refused") and "too large" in refused
    assert int(peak_kb) < 150_000  # the interpreter and Pillow themselves are most of it


@pytest.mark.parametrize("size", [(20000, 20000), (10000, 10000), (7000, 7000)])
def test_too_many_pixels_are_refused_before_decoding(size):
    with pytest.raises(AvatarError, match="too large"):
        decode_upright(_png_header_only(*size))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tiff", _encode(Image.new("RGB", (10, 10)), "TIFF")),
        ("bmp", _encode(Image.new("RGB", (10, 10)), "BMP")),
        ("ico", _encode(Image.new("RGB", (16, 16)), "ICO")),
        ("svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("eps", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"),
        ("html-named-png", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("random", bytes(range(256)) * 40),
    ],
)
def test_other_formats_are_refused_as_not_accepted(name, data):
    with pytest.raises(AvatarError, match="not an image we accept"):
        decode_upright(data)


def test_an_empty_file_is_refused():
    with pytest.raises(AvatarError, match="not an image we accept"):
        decode_upright(b"")


def test_a_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(AvatarError, match="under 10 MB"):
        decode_upright(b"\xff\xd8" + b"\x00" * (avatars.MAX_BYTES + 1))


def test_a_truncated_jpeg_looks_damaged():
    data = _encode(_top_red_bottom_blue(800, 800), "JPEG", quality=90)
    with pytest.raises(AvatarError, match="looks damaged"):
        decode_upright(data[: int(len(data) * 0.6)])


@pytest.mark.parametrize(
    "image",
    [
        Image.new("CMYK", (300, 200), (0, 255, 255, 0)),
        Image.new("I;16", (300, 200), 40000),
        Image.new("LA", (300, 200), (128, 100)),
        Image.new("1", (300, 200), 1),
        Image.new("RGB", (1, 1), (10, 20, 30)),
        Image.new("RGB", (50, 4000), (10, 20, 30)),
        Image.new("RGB", (4000, 50), (10, 20, 30)),
    ],
    ids=["cmyk", "16-bit", "la", "1-bit", "1x1", "50x4000", "4000x50"],
)
def test_unusual_modes_and_shapes_become_square_rgb(image):
    fmt = "JPEG" if image.mode == "CMYK" else "PNG"
    rendered = _outputs(_encode(image, fmt))
    for side, blob in rendered.avatars.items():
        out = Image.open(io.BytesIO(blob))
        assert out.size == (side, side) and out.mode == "RGB"


def test_palette_transparency_is_flattened_onto_white():
    image = Image.new("P", (100, 100), 0)
    image.putpalette([0, 0, 0] * 256)
    data = _encode(image, "PNG", transparency=0)
    out = Image.open(io.BytesIO(_outputs(data).avatars[128])).convert("RGB")
    assert out.getpixel((64, 64)) >= (250, 250, 250)


def test_only_the_first_frame_of_an_animated_gif_is_used():
    frames = [Image.new("RGB", (120, 120), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    out = Image.open(io.BytesIO(_outputs(data).avatars[128])).convert("RGB")
    red, green, blue = out.getpixel((64, 64))
    assert red > 200 and green < 60 and blue < 60


@pytest.mark.parametrize("payload", [b"<html><script>alert(1)</script></html>", b"PK\x03\x04zipzipzip"])
def test_appended_payloads_leave_no_trace(payload):
    data = _encode(_top_red_bottom_blue(), "JPEG") + payload
    rendered = _outputs(data)
    for blob in (*rendered.avatars.values(), rendered.working):
        assert b"<html" not in blob and b"PK\x03\x04" not in blob


def test_png_text_chunks_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    data = _encode(_top_red_bottom_blue(), "PNG", pnginfo=info)
    rendered = _outputs(data)
    assert all(b"<script>" not in blob for blob in (*rendered.avatars.values(), rendered.working))


def test_a_large_jpeg_is_decoded_at_reduced_scale():
    data = _encode(_top_red_bottom_blue(6000, 4000), "JPEG", quality=85)
    upright = decode_upright(data)
    assert avatars.WORK_SHORT_SIDE <= min(upright.size) <= avatars.WORK_SHORT_SIDE * avatars.WORK_SLACK
    assert upright.size[0] <= 6000 // 4


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        (CropBox(-50, -50, 100), CropBox(0, 0, 100)),
        (CropBox(580, 390, 100), CropBox(500, 300, 100)),
        (CropBox(10, 10, 5000), CropBox(10, 0, 400)),
        (CropBox(10, 10, 0), CropBox(10, 10, 1)),
    ],
)
def test_crop_boxes_outside_the_image_are_clamped(box, expected):
    assert clamp_crop(box, (600, 400)) == expected


@pytest.mark.parametrize(
    "pixels",
    [
        {"x": None, "y": None, "width": None, "height": None},  # react-easy-crop's first report
        {},
        {"x": 1, "y": 2, "width": 3},
        {"x": "1", "y": 2, "width": 3, "height": 3},
        {"x": float("nan"), "y": 0, "width": 10, "height": 10},
        {"x": 0, "y": 0, "width": 0, "height": 10},
        {"x": True, "y": 0, "width": 10, "height": 10},
        {"x": 0, "y": 0, "width": 1e300, "height": 10},
        None,
        [1, 2, 3, 4],
    ],
)
def test_incomplete_crop_reports_are_ignored(pixels):
    assert CropBox.from_pixels(pixels) is None


def test_a_complete_crop_report_becomes_a_square():
    assert CropBox.from_pixels({"x": 10.4, "y": -0.2, "width": 300.6, "height": 299.5}) == CropBox(10, 0, 300)


def test_a_crop_picks_the_part_of_the_image():
    image = _top_red_bottom_blue(600, 400)  # red on top, blue below
    top = Image.open(io.BytesIO(render(image, CropBox(0, 0, 200)).avatars[128])).convert("RGB")
    assert top.getpixel((64, 64))[0] > 200
    bottom = Image.open(io.BytesIO(render(image, CropBox(0, 200, 200)).avatars[128])).convert("RGB")
    assert bottom.getpixel((64, 64))[2] > 200


def test_stored_names_are_generated_not_taken_from_the_upload(tmp_path):
    rendered = _outputs(_encode(_top_red_bottom_blue(), "PNG"))
    stem = avatars.new_stem()
    names = avatars.store(FolderStore(tmp_path), "avatars/7", stem, rendered, "secret-name-work.jpg")
    for role, name in names.items():
        assert (
            name.startswith(stem if role != "working" else "secret-name")
            and "/" not in name
            and ".." not in name
        )
        assert (tmp_path / "avatars" / "7" / name).stat().st_size > 0
    assert not list((tmp_path / "avatars" / "7").glob(".*.tmp"))
    avatars.remove_files(FolderStore(tmp_path), "avatars/7", stem, "secret-name-work.jpg")
    assert not list((tmp_path / "avatars" / "7").iterdir())


def test_a_large_transparent_image_stays_within_a_memory_budget():
    """SECURITY.md E4: the flattening happens after a fast downscale, not at 40 MP."""
    code = (
        "import io, resource\n"
        "from PIL import Image\n"
        "from session_app.media.avatars import decode_upright, render\n"
        "image = Image.new('RGBA', (6300, 6300), (200, 30, 30, 128))\n"
        "buffer = io.BytesIO(); image.save(buffer, 'PNG'); data = buffer.getvalue(); del image\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "render(decode_upright(data))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    peak_mb = int(result.stdout.strip()) / 1024
    assert peak_mb < 500, peak_mb


def test_the_photo_limit_holds_whoever_calls(app_env, tmp_path):
    """save_upload counts each new photo itself (SECURITY.md E7), not only the page."""
    from session_app.media import profile_photos
    from tests.support.factories import image_bytes, onboarded_user

    user_id = onboarded_user()
    picture = image_bytes((64, 64))
    for _ in range(20):
        profile_photos.save_upload(FolderStore(tmp_path), user_id, picture)
    with pytest.raises(AvatarError, match="Too many photo uploads for now"):
        profile_photos.save_upload(FolderStore(tmp_path), user_id, picture)
