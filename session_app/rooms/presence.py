"""Who is in a room right now: join or knock, heartbeats, leaving, the host's answers,
and the arrivals a host is told about.

Presence lives in the database, written when someone comes, goes or is let in. A
heartbeat writes nothing: it is noted in the worker's memory, and every few seconds
one statement writes all of that worker's beats (`write_beats`, run by
pages/room/lobby.py), however many tabs beat. A tab whose websocket closes is gone
at once (`tab_gone`); one that stops beating without closing (a machine asleep, a
worker killed) is gone after PRESENCE_TIMEOUT. Its row stays a while, so the same
tab coming back (a reload, a reconnect) takes its place again. Who is in is pushed
to the room's tabs (pages/room/lobby.py): nobody reads the room per heartbeat.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col, delete, func, select, update

from session_app import routes
from session_app.accounts.names import clean_display_name
from session_app.db import read_session, write_session
from session_app.models import Presence, Room, UniqueUrl, utcnow
from session_app.rooms.rooms import COLOURS, RoomError, owned_room
from session_app.tokens import hash_token

# A tab inside beats every 10 s and its beats are written every few seconds: gone
# after four missed beats.
PRESENCE_TIMEOUT = dt.timedelta(seconds=45)
# A beat for a row older than this (a tab back from sleep, or reopened after its
# websocket closed) is written at once, so the lobby pushed next shows it in again.
WRITE_AT_ONCE = PRESENCE_TIMEOUT / 2
SHOWN = 50  # the people a lobby lists by name; the rest are counted


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


# Beats not yet written, (room id, tab key) -> when, and what guards them (threads).
_beats: dict[tuple[int, str], dt.datetime] = {}
_beats_lock = threading.Lock()


def heartbeat(room_id: int, client_token: str) -> str | None:
    """Still here; returns the current status, CLOSED when the host deleted the room,
    or None when this tab is no longer in it. A read: the beat itself waits in memory
    for `write_beats`, unless the row had lapsed."""
    key = tab_key(client_token)
    mine = (col(Presence.room_id) == room_id, col(Presence.tab_key) == key)
    with read_session() as db:
        me = db.exec(select(Presence.status, Presence.last_seen).where(*mine)).first()
        if me is None:
            return CLOSED if db.get(Room, room_id) is None else None
    status, last_seen = me
    now = utcnow()
    if last_seen > now - WRITE_AT_ONCE:
        _note(room_id, key)
        return status
    with write_session() as db:
        db.exec(update(Presence).where(*mine).values(last_seen=now))
    return status


def note_beat(room_id: int, client_token: str) -> None:
    """A beat from a tab known to be inside, kept for `write_beats`: no database at all."""
    _note(room_id, tab_key(client_token))


def _note(room_id: int, key: str) -> None:
    with _beats_lock:
        _beats[room_id, key] = utcnow()


def write_beats() -> int:
    """Write every beat noted since the last call, in one transaction; returns how many.

    A row that left meanwhile (its tab closed, or it left the room) stays gone: only
    rows still within PRESENCE_TIMEOUT take a beat.
    """
    with _beats_lock:
        beats = list(_beats.items())
        _beats.clear()
    if not beats:
        return 0
    table: sa.Table = Presence.__table__  # type: ignore[attr-defined]
    statement = (
        sa.update(table)
        .where(table.c.room_id == sa.bindparam("b_room"), table.c.tab_key == sa.bindparam("b_key"))
        .where(table.c.last_seen > utcnow() - PRESENCE_TIMEOUT)
        .values(last_seen=sa.bindparam("b_seen"))
    )
    rows = [{"b_room": room, "b_key": key, "b_seen": seen} for (room, key), seen in beats]
    with write_session() as db:
        db.connection().execute(statement, rows)
    return len(rows)


def tab_gone(*client_tokens: str) -> list[int]:
    """Tabs' websockets closed: they leave every room they were in at once (their rows
    are kept, so a reload or reconnect of the same tab takes its place again), all in
    one transaction. Returns the rooms whose lobby changed."""
    keys = [tab_key(token) for token in client_tokens]
    gone = utcnow() - PRESENCE_TIMEOUT - dt.timedelta(seconds=1)
    inside = (col(Presence.tab_key).in_(keys), col(Presence.last_seen) > gone)
    with read_session() as db:  # most closing tabs were in no room: no write lock for them
        if db.exec(select(Presence.id).where(*inside).limit(1)).first() is None:
            return []
    with write_session() as db:
        rooms = db.exec(select(Presence.room_id).where(*inside).distinct()).all()
        db.exec(update(Presence).where(*inside).values(last_seen=gone))
        return sorted(rooms)


def lapsed_rooms(within: dt.timedelta) -> list[int]:
    """Rooms where someone stopped beating in the last `within` before the timeout:
    their lobbies lost a person without anyone saying so."""
    cutoff = utcnow() - PRESENCE_TIMEOUT
    with read_session() as db:
        return list(
            db.exec(
                select(Presence.room_id)
                .where(col(Presence.last_seen) <= cutoff, col(Presence.last_seen) > cutoff - within)
                .distinct()
            ).all()
        )


@dataclasses.dataclass(frozen=True)
class Inside:
    shown: list[Participant]  # the first SHOWN people in, the host first
    count: int  # everyone in
    open: bool = True  # False: the host deleted the room


def inside(room_id: int) -> Inside:
    """Who is in a room, as every tab inside sees it (pushed to them on each change)."""
    cutoff = utcnow() - PRESENCE_TIMEOUT
    where = (Presence.room_id == room_id, col(Presence.last_seen) > cutoff, Presence.status == Status.IN)
    with read_session() as db:
        if db.get(Room, room_id) is None:
            return Inside([], 0, open=False)
        rows = db.exec(
            select(Presence)
            .where(*where)
            .order_by(col(Presence.is_host).desc(), col(Presence.joined_at))
            .limit(SHOWN)
        ).all()
        count = db.exec(select(func.count()).select_from(Presence).where(*where)).one()
    shown = [Participant(p.id, p.display_name, p.colour, p.is_host, p.status) for p in rows if p.id]
    return Inside(shown, count)


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


def knocks(room_id: int) -> list[Participant]:
    """Who waits at a locked door: the host's to see, nobody else's."""
    return [p for p in participants(room_id) if p.status == Status.WAITING]


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
