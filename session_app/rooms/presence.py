"""Who is in a room right now: join or knock, heartbeats, leaving, the host's answers,
and the arrivals a host is told about.

Presence lives in the database: each open tab beats every few seconds, and whoever
has not beaten for PRESENCE_TIMEOUT is gone (a closed tab disappears on its own).
That works the same with one backend process or several.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum

from sqlmodel import col, delete, select, update

from session_app import routes
from session_app.accounts.names import clean_display_name
from session_app.db import read_session, write_session
from session_app.models import Presence, Room, UniqueUrl, utcnow
from session_app.rooms.rooms import COLOURS, RoomError, owned_room
from session_app.tokens import hash_token

PRESENCE_TIMEOUT = dt.timedelta(seconds=8)


class Status(StrEnum):
    """Where a tab stands in a room (stored in presence.status)."""

    IN = "in"
    WAITING = "waiting"
    DECLINED = "declined"


CLOSED = "closed"  # heartbeat's answer when the room itself is gone


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
        existing = db.exec(
            select(Presence).where(Presence.room_id == room_id, Presence.tab_key == key)
        ).first()
        status = Status.IN if is_host or not room.locked else Status.WAITING
        if existing is not None:
            gone = existing.last_seen <= utcnow() - PRESENCE_TIMEOUT
            if existing.status == Status.DECLINED or (
                gone and existing.status == Status.IN and status == Status.WAITING
            ):
                existing.status, existing.notified = status, False
            existing.display_name, existing.colour, existing.last_seen = name, colour, utcnow()
            return existing.status
        db.add(
            Presence(
                room_id=room_id,
                tab_key=key,
                user_id=user_id,
                display_name=name,
                colour=colour,
                is_host=is_host,
                status=status,
            )
        )
        if is_host:
            room.last_used_at = utcnow()
        return status


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
        db.exec(
            delete(Presence).where(
                col(Presence.room_id) == room_id, col(Presence.tab_key) == tab_key(client_token)
            )
        )


def participants(room_id: int) -> list[Participant]:
    cutoff = utcnow() - PRESENCE_TIMEOUT
    with read_session() as db:
        rows = db.exec(
            select(Presence)
            .where(
                Presence.room_id == room_id,
                col(Presence.last_seen) > cutoff,
                Presence.status != Status.DECLINED,
            )
            .order_by(col(Presence.is_host).desc(), col(Presence.joined_at))
        ).all()
    return [
        Participant(p.id, p.display_name, p.colour, p.is_host, p.status) for p in rows if p.id is not None
    ]


@dataclasses.dataclass(frozen=True)
class Lobby:
    people: list[Participant]  # who is in
    knocking: list[Participant]  # who waits at a locked door


def lobby(room_id: int, *, viewer_is_host: bool, viewer_waiting: bool) -> Lobby:
    """What one viewer may see of a room: a knocking guest learns nothing of who is
    inside, and only the host sees who is knocking."""
    if viewer_waiting and not viewer_is_host:
        return Lobby([], [])
    everyone = participants(room_id)
    people = [p for p in everyone if p.status == Status.IN]
    knocking = [p for p in everyone if p.status == Status.WAITING] if viewer_is_host else []
    return Lobby(people, knocking)


def answer_knock(host_id: int, presence_id: int, admit: bool) -> None:
    with write_session() as db:
        knock = db.get(Presence, presence_id)
        if knock is None:
            return
        owned_room(db, host_id, knock.room_id)
        knock.status = Status.IN if admit else Status.DECLINED


@dataclasses.dataclass(frozen=True)
class Arrival:
    room_name: str
    room_path: str
    who: str
    waiting: bool

    @property
    def message(self) -> str:
        return f"{self.who} {'is waiting in' if self.waiting else 'joined'} {self.room_name}"


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
            .where(col(Presence.last_seen) > cutoff, Presence.status != Status.DECLINED)
        ).all()
        if not rows:
            return []
        url = db.exec(select(UniqueUrl.url).where(UniqueUrl.user_id == host_id)).first() or ""
    with write_session() as db:
        told = db.exec(
            update(Presence)
            .where(col(Presence.id).in_([p.id for p, _, _ in rows]))
            .where(col(Presence.notified).is_(False))  # another tab may have told the host already
            .values(notified=True)
        )
        if told.rowcount == 0:
            return []
    return [
        Arrival(name, routes.room(url, slug), p.display_name, p.status == Status.WAITING)
        for p, name, slug in rows
    ]
