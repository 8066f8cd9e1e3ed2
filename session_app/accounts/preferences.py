"""Settings a person changes after onboarding, one field per function.

Each function owns exactly one field and validates it, so a settings event can never
reach anything else: the email (support changes it) and the unique URL (never
changes) have no function here at all.
"""

from __future__ import annotations

import functools
import zoneinfo

from session_app.accounts.names import clean_display_name
from session_app.accounts.use_cases import use_case
from session_app.db import read_session, write_session
from session_app.models import Profile

THEMES = ("light", "dark", "system")


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows, sorted."""
    return tuple(sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone or zone == "UTC"))


def _profile(db, user_id: int) -> Profile:
    profile = db.get(Profile, user_id)
    if profile is None:
        raise LookupError(user_id)
    return profile


def set_display_name(user_id: int, typed: str) -> str:
    """Clean and store the name (InvalidName if refused); returns what was stored."""
    name = clean_display_name(typed)
    with write_session() as db:
        _profile(db, user_id).display_name = name
    return name


def set_use_case(user_id: int, key: str) -> None:
    if use_case(key) is None:
        raise ValueError(f"unknown use case {key!r}")
    with write_session() as db:
        _profile(db, user_id).use_case = key


def set_theme(user_id: int, theme: str) -> None:
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}")
    with write_session() as db:
        _profile(db, user_id).theme = theme


def set_time_zone(user_id: int, zone: str) -> None:
    if zone not in time_zones():
        raise ValueError(f"unknown time zone {zone!r}")
    with write_session() as db:
        _profile(db, user_id).time_zone = zone


def set_notifications(user_id: int, enabled: bool) -> None:
    with write_session() as db:
        _profile(db, user_id).notifications = bool(enabled)


def replace_avatar(user_id: int, stem: str | None) -> str | None:
    """Point the profile at new avatar files (or none); returns the old stem to delete.

    Called only after the new files exist, so the profile never names a missing file.
    """
    with write_session() as db:
        profile = _profile(db, user_id)
        old, profile.avatar_stem = profile.avatar_stem, stem
    return old


def preferences_of(user_id: int) -> Profile:
    with read_session() as db:
        return _profile(db, user_id)


def dismiss_passkey_offer(user_id: int) -> None:
    """ "Not now" on the dashboard's passkey offer: it is never shown again."""
    with write_session() as db:
        _profile(db, user_id).passkey_offer_dismissed = True
