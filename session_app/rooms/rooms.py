"""Rooms and sessions under a host's URL: create, rename, delete, lock, look up.

A room's link is fixed at creation: its slug follows the unique-URL syntax and is
unique per host (a database constraint; a clash takes the next free suffix). Every
function that changes a room takes the host's id and checks ownership itself, so a
browser can never act on another host's room, whatever it sends.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from enum import StrEnum

import sqlalchemy.exc
from sqlmodel import col, select

from session_app.accounts import time_zones
from session_app.accounts.names import clean_display_name
from session_app.accounts.urls import MAX_LENGTH, InvalidUrl, check_syntax, normalize_url
from session_app.db import read_session, write_session
from session_app.models import Profile, Room, UniqueUrl

COLOURS = ("violet", "blue", "green", "orange", "crimson", "teal")


class Kind(StrEnum):
    """A room is permanent; a session is scheduled (a start and a duration)."""

    ROOM = "room"
    SESSION = "session"


MAX_NAME = 80


class RoomError(ValueError):
    """The request cannot go ahead; the message is for the person."""


@dataclasses.dataclass(frozen=True)
class RoomView:
    id: int
    slug: str
    name: str
    kind: str
    starts_at: dt.datetime | None
    duration_minutes: int | None
    locked: bool
    host_id: int
    host_name: str
    host_url: str


def _clean_room_name(typed: str) -> str:
    """The display-name rules (any script, no control or bidi characters), up to 80."""
    try:
        return clean_display_name(typed, max_length=MAX_NAME)
    except ValueError as exc:
        message = "Give it a name." if not typed.strip() else str(exc)
        raise RoomError(message) from None


def _slug_base(name: str) -> str:
    """A link from a room's name, with the unique-URL syntax; "room" when nothing is left."""
    kept = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else "-" for ch in normalize_url(name))
    base = "-".join(part for part in kept.split("-") if part)[:MAX_LENGTH].strip("-")
    if len(base) < 3:
        base = f"room-{base}".strip("-")
    try:
        return check_syntax(base)
    except InvalidUrl:
        return "room"


def session_start_utc(local: str, zone: str) -> dt.datetime:
    """A datetime-local value ("2026-12-01T10:00") in the host's zone, as UTC."""
    try:
        naive = dt.datetime.fromisoformat(local[:40])
        tz = zoneinfo.ZoneInfo(zone or "UTC")
        if naive.tzinfo is not None or not 1900 <= naive.year <= 9000:
            raise ValueError(local)
        return naive.replace(tzinfo=tz).astimezone(dt.UTC)
    except (ValueError, OverflowError, zoneinfo.ZoneInfoNotFoundError):
        raise RoomError("Choose a date and time.") from None


def create_room(
    host_id: int,
    typed_name: str,
    kind: str = Kind.ROOM,
    starts_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
) -> RoomView:
    name = _clean_room_name(typed_name)
    if kind not in {Kind.ROOM, Kind.SESSION}:
        raise RoomError("Choose a room or a session.")
    if kind == Kind.SESSION:
        if starts_at is None:
            raise RoomError("Choose when the session starts.")
        if not duration_minutes or not 5 <= duration_minutes <= 24 * 60:
            raise RoomError("Choose a duration between 5 minutes and 24 hours.")
    else:
        starts_at, duration_minutes = None, None
    base = _slug_base(name)
    for attempt in range(1, 200):
        slug = base if attempt == 1 else f"{base[: MAX_LENGTH - 1 - len(str(attempt))]}-{attempt}"
        try:
            with write_session() as db:
                room = Room(
                    host_id=host_id,
                    slug=slug,
                    name=name,
                    kind=kind,
                    starts_at=starts_at,
                    duration_minutes=duration_minutes,
                )
                db.add(room)
                db.flush()
                assert room.id is not None
                room_id = room.id
        except sqlalchemy.exc.IntegrityError:
            continue  # the host already has this slug: try the next suffix
        return room_by_id(room_id)
    raise RoomError("Too many rooms with that name. Try another name.")


def owned_room(db, host_id: int, room_id: int) -> Room:
    room = db.get(Room, room_id)
    if room is None or room.host_id != host_id:
        raise RoomError("That room doesn't exist any more.")
    return room


def rename_room(host_id: int, room_id: int, typed_name: str) -> None:
    name = _clean_room_name(typed_name)
    with write_session() as db:
        owned_room(db, host_id, room_id).name = name


def delete_room(host_id: int, room_id: int) -> None:
    with write_session() as db:
        db.delete(owned_room(db, host_id, room_id))


def set_locked(host_id: int, room_id: int, locked: bool) -> None:
    with write_session() as db:
        owned_room(db, host_id, room_id).locked = bool(locked)


def rooms_of(host_id: int) -> list[Room]:
    with read_session() as db:
        return list(
            db.exec(
                select(Room)
                .where(Room.host_id == host_id)
                .order_by(col(Room.last_used_at).desc(), col(Room.id).desc())
            ).all()
        )


def room_by_id(room_id: int) -> RoomView:
    with read_session() as db:
        row = db.exec(
            select(Room, Profile.display_name, UniqueUrl.url)
            .join(Profile, col(Profile.user_id) == col(Room.host_id))
            .join(UniqueUrl, col(UniqueUrl.user_id) == col(Room.host_id))
            .where(Room.id == room_id)
        ).one()
    return _view(*row)


def room_at(host_url: str, slug: str) -> RoomView | None:
    with read_session() as db:
        row = db.exec(
            select(Room, Profile.display_name, UniqueUrl.url)
            .join(UniqueUrl, col(UniqueUrl.user_id) == col(Room.host_id))
            .join(Profile, col(Profile.user_id) == col(Room.host_id))
            .where(UniqueUrl.url == normalize_url(host_url)[:100], Room.slug == normalize_url(slug)[:100])
        ).first()
    return _view(*row) if row else None


def describe_start(starts_at: dt.datetime, zone: str, duration_minutes: int | None) -> str:
    """A session's time in a viewer's zone, the zone named (the one format everywhere):
    "Fri 15 Jan, 18:30 (Europe/Lisbon) · 60 min". Unknown zones show UTC."""
    local, zone = time_zones.in_zone(starts_at, zone or "UTC")
    text = f"{local:%a %d %b, %H:%M} ({time_zones.zone_name(zone)})"
    return f"{text} · {duration_minutes} min" if duration_minutes else text


def _view(room: Room, host_name: str | None, host_url: str) -> RoomView:
    assert room.id is not None
    return RoomView(
        room.id,
        room.slug,
        room.name,
        room.kind,
        room.starts_at,
        room.duration_minutes,
        room.locked,
        room.host_id,
        host_name or "",
        host_url,
    )
