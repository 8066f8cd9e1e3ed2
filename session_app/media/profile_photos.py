"""A person's avatar files: make them from an upload or a new crop, point the profile
at them, and remove the old ones. Blocking: callers run it in a thread.

Order matters for "never a broken image": new files are written (atomically) first,
then the profile points at them, then the old files go.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

from session_app.accounts.preferences import preferences_of, replace_avatar
from session_app.auth.rate_limits import allow_avatar_upload
from session_app.environment import Environment, get_environment
from session_app.media import avatars
from session_app.media.avatars import CropBox
from session_app.media.remote import fetch_picture


def folder(upload_dir: Path, user_id: int) -> Path:
    return upload_dir / "avatars" / str(int(user_id))


def public_path(user_id: int, stem: str, size: int) -> str:
    """The file's path under the upload folder (pages make it a URL with rx.get_upload_url)."""
    return f"avatars/{int(user_id)}/{stem}-{size}.webp"


def working_name(stem: str) -> str:
    """The uncropped photo's file name: keyed by the server secret, so the public
    avatar names (which a host page shows) do not lead to it."""
    digest = hmac.new(get_environment().secret_key.encode(), f"avatar-work:{stem}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode() + "-work.jpg"


def working_path(user_id: int, stem: str) -> str:
    return f"avatars/{int(user_id)}/{working_name(stem)}"


def _install(upload_dir: Path, user_id: int, rendered: avatars.Rendered) -> str:
    stem = avatars.new_stem()
    avatars.store(folder(upload_dir, user_id), stem, rendered, working_name(stem))
    old = replace_avatar(user_id, stem)
    if old:
        avatars.remove_files(folder(upload_dir, user_id), old, working_name(old))
    return stem


def _count_new_photo(user_id: int) -> None:
    """Each new photo counts against the account's hourly limit (SECURITY.md E7)."""
    refusal = allow_avatar_upload(user_id)
    if refusal is not None:
        raise avatars.AvatarError(refusal.message)


def save_upload(upload_dir: Path, user_id: int, data: bytes) -> tuple[str, avatars.Rendered]:
    """A new avatar from uploaded bytes, centred; AvatarError if refused (nothing changes)."""
    _count_new_photo(user_id)
    return _save(upload_dir, user_id, data)


def _save(upload_dir: Path, user_id: int, data: bytes) -> tuple[str, avatars.Rendered]:
    rendered = avatars.render(avatars.decode_upright(data))
    return _install(upload_dir, user_id, rendered), rendered


def save_google_picture(upload_dir: Path, user_id: int, env: Environment) -> str | None:
    """The photo Google gave, through the same pipeline; None if there is none."""
    url = preferences_of(user_id).google_picture
    if not url:
        return None
    _count_new_photo(user_id)
    stem, _ = _save(upload_dir, user_id, fetch_picture(url, env))
    return stem


def save_crop(upload_dir: Path, user_id: int, crop: CropBox) -> str | None:
    """New avatars from the current working copy and a new square; None without an avatar."""
    stem = preferences_of(user_id).avatar_stem
    if not stem:
        return None
    working = (folder(upload_dir, user_id) / working_name(stem)).read_bytes()
    return _install(upload_dir, user_id, avatars.recrop(working, crop))


def remove(upload_dir: Path, user_id: int) -> None:
    old = replace_avatar(user_id, None)
    if old:
        avatars.remove_files(folder(upload_dir, user_id), old, working_name(old))
