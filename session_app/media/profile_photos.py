"""A person's avatar files: make them from an upload or a new crop, point the profile
at them, and remove the old ones. Blocking: callers run it in a thread.

Order matters for "never a broken image": new files are written (atomically) first,
then the profile points at them, then the old files go. Files go to the configured
store (media/storage.py): a folder, or an object store every worker shares.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from session_app import routes
from session_app.accounts.preferences import preferences_of, replace_avatar
from session_app.auth.rate_limits import allow_avatar_upload
from session_app.environment import Environment, get_environment
from session_app.media import avatars
from session_app.media.avatars import CropBox
from session_app.media.remote import fetch_picture
from session_app.media.storage import Store


def folder(user_id: int) -> str:
    """The storage key prefix of one account's files."""
    return f"avatars/{int(user_id)}"


def public_path(user_id: int, stem: str, size: int) -> str:
    """An avatar's storage key; its URL is routes.media(key)."""
    return f"{folder(user_id)}/{stem}-{size}.webp"


def public_url(base_url: str | None, user_id: int, stem: str, size: int) -> str:
    return routes.absolute(base_url, routes.media(public_path(user_id, stem, size)))


def working_name(stem: str) -> str:
    """The uncropped photo's file name: keyed by the server secret, so the public
    avatar names (which a host page shows) do not lead to it."""
    digest = hmac.new(get_environment().secret_key.encode(), f"avatar-work:{stem}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode() + "-work.jpg"


def working_path(user_id: int, stem: str) -> str:
    return f"{folder(user_id)}/{working_name(stem)}"


def _install(files: Store, user_id: int, rendered: avatars.Rendered) -> str:
    stem = avatars.new_stem()
    avatars.store(files, folder(user_id), stem, rendered, working_name(stem))
    old = replace_avatar(user_id, stem)
    if old:
        avatars.remove_files(files, folder(user_id), old, working_name(old))
    return stem


def _count_new_photo(user_id: int) -> None:
    """Each new photo counts against the account's hourly limit (SECURITY.md E7)."""
    refusal = allow_avatar_upload(user_id)
    if refusal is not None:
        raise avatars.AvatarError(refusal.message)


def save_upload(files: Store, user_id: int, data: bytes) -> tuple[str, avatars.Rendered]:
    """A new avatar from uploaded bytes, centred; AvatarError if refused (nothing changes)."""
    _count_new_photo(user_id)
    return _save(files, user_id, data)


def _save(files: Store, user_id: int, data: bytes) -> tuple[str, avatars.Rendered]:
    rendered = avatars.render(avatars.decode_upright(data))
    return _install(files, user_id, rendered), rendered


def save_google_picture(files: Store, user_id: int, env: Environment) -> str | None:
    """The photo Google gave, through the same pipeline; None if there is none."""
    url = preferences_of(user_id).google_picture
    if not url:
        return None
    _count_new_photo(user_id)
    stem, _ = _save(files, user_id, fetch_picture(url, env))
    return stem


def save_crop(files: Store, user_id: int, crop: CropBox) -> str | None:
    """New avatars from the current working copy and a new square; None without an avatar."""
    stem = preferences_of(user_id).avatar_stem
    if not stem:
        return None
    working = files.read(working_path(user_id, stem))
    if working is None:
        raise avatars.AvatarError("That photo is no longer available. Upload it again.")
    return _install(files, user_id, avatars.recrop(working, crop))


def remove(files: Store, user_id: int) -> None:
    old = replace_avatar(user_id, None)
    if old:
        avatars.remove_files(files, folder(user_id), old, working_name(old))


def remove_all(files: Store, user_id: int) -> None:
    """Every file of an account (its deletion)."""
    files.delete_prefix(folder(user_id))
