"""Who is in a room, pushed to every tab inside it (issue 16).

Whatever changes a room's lobby (someone joins, leaves, is let in, their tab closes
or stops beating, or the host deletes the room) calls `publish(room_id)`. Each worker keeps the tabs inside
each room whose websocket it holds (`enter` / `leave`); a publish reaches every
worker (through Redis when there are several) and each reads the lobby once, builds
the room page's delta once (`RoomState.lobby_delta`), and Socket.IO encodes it once
and writes it to each of its tabs' sockets. A tab's state on the server is not opened
for it (its lock, its delta, its copy in Redis cost ~0.7 ms a tab, 0.35 s of the core
for a push to 500): the lists live in the page, and a tab that loads or reconnects
reads the lobby afresh. Only the room's closing goes through each tab's state, since
it changes what the tab shows. Changes that come within PUSH_DELAY of each other go
out as one push, so fifty people arriving at once cost a few pushes, not fifty times
fifty. Nobody reads the room on a heartbeat.

Only tabs that are in enter: a guest knocking at a locked door learns nothing of who
is inside, and the knocks themselves stay with the host's tabs.

Reflex's own shared states were tried first and dropped: every event of any linked
tab (a heartbeat included) fanned out to every other linked tab, and each fan-out
walked the whole list of links, so a room's cost grew with the square of its size.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from typing import Any

import reflex as rx
from reflex.istate.manager.redis import StateManagerRedis
from reflex.state import StateUpdate
from reflex_base.constants import SocketEvent
from reflex_base.registry import RegistrationContext

from session_app.rooms import presence

log = logging.getLogger(__name__)

PUSH_DELAY = 0.1  # seconds: changes closer than this reach the tabs as one
# A big room gathers changes a little longer (0.2 ms per tab inside, 0.1 s at 500),
# so its pushes, each written to every tab's socket, never take the whole worker.
# Measured at 500 guests joining 25 a second: 1 ms a tab gave p99 635-685 ms at 25 ms
# of CPU per join, 0.2 ms p99 450-495 ms at 32-35 ms (benchmarks/lobby.py).
PUSH_DELAY_PER_TAB = 0.0002
SWEEP_SECONDS = 5  # how often beats are written and tabs that stopped beating looked for
CHANNEL = "session:lobby-changed"  # Redis pub/sub: room ids whose lobby changed


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


# The tabs inside each room whose websocket this worker holds.
_tabs: defaultdict[int, set[str]] = defaultdict(set)
_room_of: dict[str, int] = {}
_pending: dict[int, asyncio.Task] = {}
_app: Any = None  # set by watch_tabs when the worker starts
_state: Any = None  # the room page's state class, which takes each push (`serve`)


def serve(state: type) -> None:
    """The room page's state class (it imports this module): its `lobby_delta(people,
    count)` is what a push sends, and its `room_closed(room_id)` closes each tab."""
    global _state
    _state = state


def enter(room_id: int, client_token: str) -> None:
    """This tab is inside `room_id`: it is sent every change of the lobby."""
    leave(client_token)
    _tabs[room_id].add(client_token)
    _room_of[client_token] = room_id


def tabs_in(room_id: int) -> set[str]:
    return _tabs.get(room_id, set())


def leave(client_token: str) -> None:
    room_id = _room_of.pop(client_token, None)
    if room_id is not None:
        _tabs[room_id].discard(client_token)
        if not _tabs[room_id]:
            del _tabs[room_id]


def publish(room_id: int) -> None:
    """The lobby of `room_id` changed: its tabs, on every worker, see it within PUSH_DELAY."""
    app = _app or RegistrationContext.get().app
    redis = _redis(app)
    if redis is None:
        _schedule(app, room_id)
    else:
        task = asyncio.get_running_loop().create_task(redis.publish(CHANNEL, str(room_id)))
        task.add_done_callback(_log_failure)


def _schedule(app, room_id: int) -> None:
    if room_id not in _tabs or room_id in _pending:
        return  # nobody inside here, or the push on its way reads the lobby after this change
    _pending[room_id] = asyncio.get_running_loop().create_task(_push(app, room_id))


async def _push(app, room_id: int) -> None:
    try:
        await asyncio.sleep(max(PUSH_DELAY, PUSH_DELAY_PER_TAB * len(_tabs.get(room_id, ()))))
        del _pending[room_id]  # a change from here on asks for a new push
        seen = await asyncio.to_thread(presence.inside, room_id)
        tokens = list(_tabs.get(room_id, ()))
        assert _state is not None
        if seen.open:
            delta = _state.lobby_delta([person_of(p) for p in seen.shown], seen.count)
            namespace = app.event_namespace
            sid_of = namespace.token_to_sid  # a copy of the whole map: taken once
            sids = [sid for token in tokens if (sid := sid_of.get(token))]
            if sids:  # one packet, encoded once, written to every socket
                await namespace.emit(str(SocketEvent.EVENT), StateUpdate(delta=delta), to=sids)
            return

        async def close(token: str) -> None:
            leave(token)
            async with app.modify_state(rx.BaseStateToken(ident=token, cls=_state)) as root:
                (await root.get_state(_state)).room_closed(room_id)

        # Each tab on its own: one busy with a long event does not hold up the others.
        await asyncio.gather(*(close(token) for token in tokens))
    except Exception:
        _pending.pop(room_id, None)
        log.exception("could not push the lobby of room %s", room_id)


def _redis(app):
    manager = app.state_manager if app is not None else None
    return manager.redis if isinstance(manager, StateManagerRedis) else None


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("could not tell the other workers of a lobby change", exc_info=task.exception())


async def watch_tabs(app) -> None:
    """A lifespan task: a tab whose websocket closes leaves its rooms at once; lobby
    changes from other workers are pushed to this worker's tabs; the heartbeats of this
    worker's tabs are written together; and the lobbies of tabs that stopped beating
    are pushed when their time runs out."""
    global _app
    _app = app
    while app.event_namespace is None:
        await asyncio.sleep(0.1)
    namespace = app.event_namespace
    on_disconnect = namespace.on_disconnect

    def tab_closed(sid: str):
        token = namespace.sid_to_token.get(sid)
        result = on_disconnect(sid)
        if token:
            leave(token)
            _closed.add(token)
            global _closing
            if _closing is None or _closing.done():
                _closing = asyncio.get_running_loop().create_task(_leave_all())
        return result

    namespace.on_disconnect = tab_closed
    listener = asyncio.get_running_loop().create_task(_listen(app))
    try:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await asyncio.to_thread(presence.write_beats)  # before looking for who lapsed
                within = dt.timedelta(seconds=SWEEP_SECONDS + 1)
                for room_id in await asyncio.to_thread(presence.lapsed_rooms, within):
                    publish(room_id)
            except Exception:
                log.exception("could not look for tabs that stopped beating; trying again")
    finally:
        listener.cancel()


async def _listen(app) -> None:
    """With several workers: push the lobby changes any of them publishes."""
    redis = _redis(app)
    while redis is not None:
        try:
            pubsub = redis.pubsub()
            await pubsub.subscribe(CHANNEL)
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    _schedule(app, int(message["data"]))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("lost the lobby channel in Redis; listening again in a second")
            await asyncio.sleep(1)


# Tabs whose websockets closed, not yet taken out of their rooms, and the task that
# does it: the tabs that close while it writes go together in its next transaction.
_closed: set[str] = set()
_closing: asyncio.Task | None = None


async def _leave_all() -> None:
    while _closed:
        tokens = list(_closed)
        _closed.clear()
        try:
            for room_id in await asyncio.to_thread(presence.tab_gone, *tokens):
                publish(room_id)
        except Exception:
            log.exception("could not take closed tabs out of their rooms")
