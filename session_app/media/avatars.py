"""Avatars: any common photo in, square metadata-free WebP images out.

Hostile files are the normal case here, so: the size is checked before reading, the
format allow-list is decided by content (not name or type), the pixel count is checked
before decoding and Pillow's decompression-bomb warning is an error, only the first
frame of an animation is read. The output is rebuilt from raw pixels, so no metadata
(GPS, camera, comments, ICC, appended payloads) can survive. JPEGs are decoded at a
reduced scale (`draft`) when the output allows, which makes a 24-megapixel photo a
fraction of a full decode. Everything here is blocking: callers run it in a thread.
"""

from __future__ import annotations

import dataclasses
import io
import math
import secrets
import threading
import warnings

from PIL import Image

from session_app.media.storage import Store

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
SIZES = (512, 128)
WORK_SHORT_SIDE = 960  # the kept working copy: enough for a ~2x zoom at 512 px
# A decoded image up to this much larger is kept as it is: one resize less.
WORK_SLACK = 1.6
WORK_LONG_SIDE_MAX = 4096
WEBP_QUALITY = 88

# At most two images decode at once in a process; more would only add memory.
_DECODE_SLOTS = threading.BoundedSemaphore(2)


class AvatarError(ValueError):
    """The upload cannot become an avatar; the message is for the person."""


TOO_BIG = f"Images must be under {MAX_BYTES // (1024 * 1024)} MB."
NOT_ACCEPTED = "That file is not an image we accept. Use a JPEG, PNG, WebP or GIF."
DAMAGED = "This image looks damaged. Try another one."
TOO_MANY_PIXELS = f"That image is too large. Use one under {MAX_PIXELS // 1_000_000} megapixels."


@dataclasses.dataclass(frozen=True)
class CropBox:
    """A square in working-copy pixels."""

    x: int
    y: int
    size: int

    @classmethod
    def from_pixels(cls, pixels: object) -> CropBox | None:
        """The square a crop widget reported, or None when its report is incomplete.

        react-easy-crop reports once before the image is measured, with empty values;
        anything that is not four finite numbers is ignored, never an error.
        """
        if not isinstance(pixels, dict):
            return None
        numbers = []
        for key in ("x", "y", "width", "height"):
            value = pixels.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            if not (math.isfinite(value) and -1 < value < 100_000):
                return None
            numbers.append(round(value))
        x, y, width, height = numbers
        size = min(width, height)
        if size <= 0:
            return None
        return cls(x=max(0, x), y=max(0, y), size=size)


@dataclasses.dataclass(frozen=True)
class Rendered:
    """Encoded files, not yet stored: the working copy (JPEG) and the avatars (WebP)."""

    working: bytes
    working_size: tuple[int, int]
    avatars: dict[int, bytes]
    crop: CropBox


def _flatten(image: Image.Image) -> Image.Image:
    """Any mode to RGB: alpha onto white, 16-bit scaled down, CMYK and palettes converted."""
    if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _rebuilt(image: Image.Image) -> Image.Image:
    """A new image from the raw pixels only: no info, no EXIF, no ICC, nothing else."""
    return Image.frombytes("RGB", image.size, image.tobytes())


def decode_upright(data: bytes) -> Image.Image:
    """The upload as an upright RGB image, at most WORK_SHORT_SIDE on its short side."""
    if len(data) > MAX_BYTES:
        raise AvatarError(TOO_BIG)
    if not data:
        raise AvatarError(NOT_ACCEPTED)
    with _DECODE_SLOTS, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(io.BytesIO(data), formats=FORMATS)
        except Image.UnidentifiedImageError:
            raise AvatarError(NOT_ACCEPTED) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AvatarError(TOO_MANY_PIXELS) from None
        except (OSError, SyntaxError, ValueError):
            raise AvatarError(DAMAGED) from None
        try:
            width, height = image.size
            if width * height > MAX_PIXELS or width < 1 or height < 1:
                raise AvatarError(TOO_MANY_PIXELS)
            if image.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when the short side stays big enough.
                scale = min(width, height) / WORK_SHORT_SIDE
                if scale >= 2:
                    image.draft("RGB", (max(1, width // int(scale)), max(1, height // int(scale))))
            image.seek(0)  # first frame only
            image.load()
            orientation = image.getexif().get(0x0112, 1)
            # Shrink before flattening: a 40 MP image with alpha would otherwise be
            # copied three times at full size.
            image = _box_reduce(image)
            image = _flatten(image)
        except AvatarError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AvatarError(TOO_MANY_PIXELS) from None
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
            raise AvatarError(DAMAGED) from None
    image = _shrink(image)
    # Apply the EXIF orientation after shrinking: cheaper, same result.
    if orientation in _UPRIGHT:
        image = image.transpose(_UPRIGHT[orientation])
    return image


_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _box_reduce(image: Image.Image) -> Image.Image:
    """A fast integer downscale (box filter) to near the working size, where possible."""
    factor = int(min(image.size) // (WORK_SHORT_SIDE * WORK_SLACK))
    if factor < 2:
        return image
    try:
        return image.reduce(factor)
    except ValueError:  # modes without reduce (palette, 1-bit): they are small per pixel
        return image


def _shrink(image: Image.Image) -> Image.Image:
    width, height = image.size
    if min(width, height) <= WORK_SHORT_SIDE * WORK_SLACK and max(width, height) <= WORK_LONG_SIDE_MAX:
        return image
    factor = min(1.0, WORK_SHORT_SIDE / min(width, height), WORK_LONG_SIDE_MAX / max(width, height))
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def centred_crop(size: tuple[int, int]) -> CropBox:
    width, height = size
    side = min(width, height)
    return CropBox(x=(width - side) // 2, y=(height - side) // 2, size=side)


def clamp_crop(box: CropBox, size: tuple[int, int]) -> CropBox:
    """A square that fits the image, whatever the browser sent."""
    width, height = size
    side = max(1, min(int(box.size), width, height))
    x = min(max(0, int(box.x)), width - side)
    y = min(max(0, int(box.y)), height - side)
    return CropBox(x=x, y=y, size=side)


def squares(image: Image.Image, box: CropBox) -> dict[int, Image.Image]:
    """The avatar images, largest first, each resized from the one before."""
    current = image.crop((box.x, box.y, box.x + box.size, box.y + box.size))
    out: dict[int, Image.Image] = {}
    for side in sorted(SIZES, reverse=True):
        if current.size[0] != side:
            current = current.resize((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
        out[side] = current
    return out


def render(image: Image.Image, crop: CropBox | None = None) -> Rendered:
    """Encode the working copy and the square avatars for a crop (centred by default)."""
    box = clamp_crop(crop, image.size) if crop else centred_crop(image.size)
    avatars = {side: _encode(_rebuilt(square), "WEBP") for side, square in squares(image, box).items()}
    return Rendered(
        working=_encode(_rebuilt(image), "JPEG"), working_size=image.size, avatars=avatars, crop=box
    )


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "WEBP":
        # method 1: a third of the default's time for a slightly larger file.
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=1)
    else:
        image.save(out, "JPEG", quality=90, optimize=False)
    return out.getvalue()


def recrop(working: bytes, crop: CropBox) -> Rendered:
    """New avatars from the stored working copy (ours, already clean) and a new crop."""
    with _DECODE_SLOTS:
        image: Image.Image = Image.open(io.BytesIO(working), formats=("JPEG",))
        image.load()
        image = image.convert("RGB")
    return render(image, crop)


# --- Storage -------------------------------------------------------------------------


def new_stem() -> str:
    """A random file name stem: never derived from anything the person sent."""
    return secrets.token_urlsafe(16)


def store(files: Store, folder: str, stem: str, rendered: Rendered, working_name: str) -> dict[str, str]:
    """Write every file of a rendering under `folder` (a storage key prefix); returns
    their names by role.

    The working copy (the whole photo, before cropping) gets a name that cannot be
    derived from the public avatars' names.
    """
    names = {"working": working_name, **{str(side): f"{stem}-{side}.webp" for side in rendered.avatars}}
    files.write(f"{folder}/{names['working']}", rendered.working, "image/jpeg")
    for side, data in rendered.avatars.items():
        files.write(f"{folder}/{names[str(side)]}", data, "image/webp")
    return names


def remove_files(files: Store, folder: str, stem: str, working_name: str) -> None:
    """Remove a stem's avatars and its working copy."""
    files.delete(*(f"{folder}/{stem}-{side}.webp" for side in SIZES), f"{folder}/{working_name}")
