"""Who is in a room, pushed to every tab inside it (issue 16).

Each tab that is in a room links its `LobbyState` to the room's shared token, as
Reflex's shared states do: whatever changes the room's lobby (someone joins, leaves,
is let in, or their tab closes or stops beating) asks for a `publish`, which reads
the lobby once and sets it on the shared state; Reflex sends the change to each
linked tab (through Redis to the tabs of other workers). Changes that come within
PUSH_DELAY of each other go out as one push, so fifty people arriving at once cost
a few pushes, not fifty times fifty. Nobody reads the room on a heartbeat.

Only tabs that are in link: a guest knocking at a locked door learns nothing of who
is inside, and the knocks themselves stay with the host's tabs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging

import reflex as rx
from reflex_base.registry import RegistrationContext

from session_app.rooms import presence

log = logging.getLogger(__name__)

PUSH_DELAY = 0.1  # seconds: changes closer than this reach the tabs as one
SWEEP_SECONDS = 5  # how often tabs that stopped beating are looked for


@dataclasses.dataclass
class Person:
    id: int
    name: str
    colour: str
    is_host: bool
    status: str


def person_of(participant: presence.Participant) -> Person:
    p = participant
    return Person(p.id, p.name, p.colour, p.is_host, p.status)


class LobbyState(rx.SharedState):
    """The people in one room, the same for every tab inside it."""

    people: list[Person] = []  # the first presence.SHOWN, the host first
    count: int = 0  # everyone in

    @rx.var
    def more(self) -> int:
        """How many are in beyond those listed by name."""
        return max(0, self.count - len(self.people))


def room_token(room_id: int) -> str:
    return f"lobby-{room_id}"  # shared tokens may not contain "_"


_pending: dict[int, asyncio.Task] = {}


def publish(room_id: int, app=None) -> None:
    """The lobby of `room_id` changed: its tabs see it within PUSH_DELAY."""
    if room_id in _pending:
        return  # the push already on its way reads the lobby after this change
    app = app or RegistrationContext.get().app
    _pending[room_id] = asyncio.get_running_loop().create_task(_push(app, room_id))


async def _push(app, room_id: int) -> None:
    try:
        await asyncio.sleep(PUSH_DELAY)
        del _pending[room_id]  # a change from here on asks for a new push
        seen = await asyncio.to_thread(presence.inside, room_id)
        token = rx.BaseStateToken(ident=room_token(room_id), cls=LobbyState)
        async with app.modify_state(token) as root:
            lobby = await root.get_state(LobbyState)
            lobby.people = [person_of(p) for p in seen.shown]
            lobby.count = seen.count
    except Exception:
        _pending.pop(room_id, None)
        log.exception("could not push the lobby of room %s", room_id)


async def watch_tabs(app) -> None:
    """A lifespan task: a tab whose websocket closes leaves its rooms at once, and the
    lobbies of tabs that stopped beating are pushed when their time runs out."""
    while app.event_namespace is None:
        await asyncio.sleep(0.1)
    namespace = app.event_namespace
    on_disconnect = namespace.on_disconnect

    def tab_closed(sid: str):
        token = namespace.sid_to_token.get(sid)
        result = on_disconnect(sid)
        if token:
            asyncio.get_running_loop().create_task(_leave_all(app, token))
        return result

    namespace.on_disconnect = tab_closed
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            within = dt.timedelta(seconds=SWEEP_SECONDS + 1)
            for room_id in await asyncio.to_thread(presence.lapsed_rooms, within):
                publish(room_id, app)
        except Exception:
            log.exception("could not look for tabs that stopped beating; trying again")


async def _leave_all(app, client_token: str) -> None:
    try:
        for room_id in await asyncio.to_thread(presence.tab_gone, client_token):
            publish(room_id, app)
    except Exception:
        log.exception("could not take a closed tab out of its rooms")
