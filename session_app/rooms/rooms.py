"""Rooms and sessions under a host's URL, and who is in them right now.

A room's link is fixed at creation: its slug follows the unique-URL syntax and is
unique per host (a database constraint; a clash takes the next free suffix). Every
function that changes a room takes the host's id and checks ownership itself, so a
browser can never act on another host's room, whatever it sends.

Presence lives in the database: each open tab beats every few seconds, and whoever
has not beaten for PRESENCE_TIMEOUT is gone (a closed tab disappears on its own).
That works the same with one backend process or several.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

import sqlalchemy.exc
from sqlmodel import col, delete, select, update

from session_app.accounts.names import clean_display_name
from session_app.accounts.urls import MAX_LENGTH, InvalidUrl, check_syntax, normalize_url
from session_app.auth.tokens import hash_token
from session_app.db import read_session, write_session
from session_app.models import Presence, Profile, Room, UniqueUrl, utcnow

PRESENCE_TIMEOUT = dt.timedelta(seconds=8)
COLOURS = ("violet", "blue", "green", "orange", "crimson", "teal")
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


def create_room(host_id: int, typed_name: str, kind: str = "room", starts_at: dt.datetime | None = None, duration_minutes: int | None = None) -> RoomView:
    name = _clean_room_name(typed_name)
    if kind not in {"room", "session"}:
        raise RoomError("Choose a room or a session.")
    if kind == "session":
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
                room = Room(host_id=host_id, slug=slug, name=name, kind=kind, starts_at=starts_at, duration_minutes=duration_minutes)
                db.add(room)
                db.flush()
                room_id = room.id
        except sqlalchemy.exc.IntegrityError:
            continue  # the host already has this slug: try the next suffix
        return room_by_id(room_id)
    raise RoomError("Too many rooms with that name. Try another name.")


def _owned(db, host_id: int, room_id: int) -> Room:
    room = db.get(Room, room_id)
    if room is None or room.host_id != host_id:
        raise RoomError("That room doesn't exist any more.")
    return room


def rename_room(host_id: int, room_id: int, typed_name: str) -> None:
    name = _clean_room_name(typed_name)
    with write_session() as db:
        _owned(db, host_id, room_id).name = name


def delete_room(host_id: int, room_id: int) -> None:
    with write_session() as db:
        db.delete(_owned(db, host_id, room_id))


def set_locked(host_id: int, room_id: int, locked: bool) -> None:
    with write_session() as db:
        _owned(db, host_id, room_id).locked = bool(locked)


def rooms_of(host_id: int) -> list[Room]:
    with read_session() as db:
        return list(db.exec(select(Room).where(Room.host_id == host_id).order_by(col(Room.last_used_at).desc(), col(Room.id).desc())).all())


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
    """A session's time in a viewer's zone, the zone named: "Fri 15 Jan 2027, 18:30
    Europe/Lisbon (UTC+00:00) · 60 min". Unknown zones show UTC."""
    try:
        tz = zoneinfo.ZoneInfo(zone) if zone else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz, zone = dt.UTC, "UTC"
    local = starts_at.replace(tzinfo=starts_at.tzinfo or dt.UTC).astimezone(tz)
    offset = local.strftime("%z")
    name = (zone or "UTC").replace("_", " ")
    text = f"{local:%a %d %b %Y, %H:%M} {name} (UTC{offset[:3]}:{offset[3:]})"
    return f"{text} · {duration_minutes} min" if duration_minutes else text


def _view(room: Room, host_name: str | None, host_url: str) -> RoomView:
    assert room.id is not None
    return RoomView(room.id, room.slug, room.name, room.kind, room.starts_at, room.duration_minutes, room.locked, room.host_id, host_name or "", host_url)


# --- Presence ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Participant:
    id: int
    name: str
    colour: str
    is_host: bool
    status: str


def tab_key(client_token: str) -> str:
    return hash_token(f"presence:{client_token}")


def join(room_id: int, client_token: str, typed_name: str, colour: str, user_id: int | None) -> str:
    """Enter (or knock at) a room; returns the status: "in" or "waiting"."""
    name = clean_display_name(typed_name)
    colour = colour if colour in COLOURS else COLOURS[0]
    key = tab_key(client_token)
    with write_session() as db:
        room = db.get(Room, room_id)
        if room is None:
            raise RoomError("This room no longer exists.")
        is_host = user_id is not None and user_id == room.host_id
        existing = db.exec(select(Presence).where(Presence.room_id == room_id, Presence.tab_key == key)).first()
        status = "in" if is_host or not room.locked else "waiting"
        if existing is not None:
            gone = existing.last_seen <= utcnow() - PRESENCE_TIMEOUT
            if existing.status == "declined" or (gone and existing.status == "in" and status == "waiting"):
                existing.status, existing.notified = status, False
            existing.display_name, existing.colour, existing.last_seen = name, colour, utcnow()
            return existing.status
        db.add(Presence(room_id=room_id, tab_key=key, user_id=user_id, display_name=name, colour=colour, is_host=is_host, status=status))
        if is_host:
            room.last_used_at = utcnow()
        return status


CLOSED = "closed"  # heartbeat's answer when the room itself is gone


def heartbeat(room_id: int, client_token: str) -> str | None:
    """Still here; returns the current status, CLOSED when the host deleted the room,
    or None when this tab is no longer in it."""
    key = tab_key(client_token)
    with write_session() as db:
        me = db.exec(select(Presence).where(Presence.room_id == room_id, Presence.tab_key == key)).first()
        if me is None:
            return CLOSED if db.get(Room, room_id) is None else None
        me.last_seen = utcnow()
        return me.status


def leave(room_id: int, client_token: str) -> None:
    with write_session() as db:
        db.exec(delete(Presence).where(col(Presence.room_id) == room_id, col(Presence.tab_key) == tab_key(client_token)))


def participants(room_id: int) -> list[Participant]:
    cutoff = utcnow() - PRESENCE_TIMEOUT
    with read_session() as db:
        rows = db.exec(
            select(Presence)
            .where(Presence.room_id == room_id, col(Presence.last_seen) > cutoff, Presence.status != "declined")
            .order_by(col(Presence.is_host).desc(), col(Presence.joined_at))
        ).all()
    return [Participant(p.id, p.display_name, p.colour, p.is_host, p.status) for p in rows]


def answer_knock(host_id: int, presence_id: int, admit: bool) -> None:
    with write_session() as db:
        knock = db.get(Presence, presence_id)
        if knock is None:
            return
        _owned(db, host_id, knock.room_id)
        knock.status = "in" if admit else "declined"


@dataclasses.dataclass(frozen=True)
class Arrival:
    room_name: str
    room_path: str
    who: str
    waiting: bool


def new_arrivals(host_id: int) -> list[Arrival]:
    """Guests who knocked or came in since the host was last told (each told once).

    Dashboards ask every few seconds: a read, and a write only when there is news.
    """
    cutoff = utcnow() - PRESENCE_TIMEOUT
    with read_session() as db:
        rows = db.exec(
            select(Presence, Room.name, Room.slug)
            .join(Room, col(Room.id) == col(Presence.room_id))
            .where(Room.host_id == host_id, Presence.is_host == False, Presence.notified == False)  # noqa: E712
            .where(col(Presence.last_seen) > cutoff, Presence.status != "declined")
        ).all()
        if not rows:
            return []
        url = db.exec(select(UniqueUrl.url).where(UniqueUrl.user_id == host_id)).first() or ""
    with write_session() as db:
        told = db.exec(
            update(Presence)
            .where(col(Presence.id).in_([p.id for p, _, _ in rows]))
            .where(Presence.notified == False)  # noqa: E712 - another tab may have told the host already
            .values(notified=True)
        )
        if told.rowcount == 0:
            return []
    return [Arrival(name, f"/{url}/{slug}", p.display_name, p.status == "waiting") for p, name, slug in rows]
