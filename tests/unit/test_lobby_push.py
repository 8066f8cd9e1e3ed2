"""pages/room/lobby.py: a push to a room's tabs is built once, as Reflex would build it."""

from __future__ import annotations

import asyncio
import json
import threading

from reflex.app import _sio_dumps
from reflex.state import StateUpdate

from session_app.pages.room import lobby
from session_app.pages.room.lobby import Person
from session_app.pages.room.state import RoomState


def test_a_push_carries_the_delta_reflex_itself_sends_for_the_same_change():
    """The push skips each tab's own state (lobby.py), so what it sends must be exactly
    what Reflex would have sent had the tab's state been changed: the same keys (field
    marker and all), the same values, the names-beyond-the-list count included."""
    people = [Person(1, "Ana", "violet", True, "in"), Person(2, "Bo <b>", "teal", False, "in")]
    tab = RoomState(_reflex_internal_init=True)  # a state as Reflex builds one per tab
    tab.people, tab.count = people, 7
    reflex_sends = json.loads(_sio_dumps(StateUpdate(delta=tab.get_delta())))
    pushed = json.loads(_sio_dumps(StateUpdate(delta=RoomState.lobby_delta(people, 7))))
    assert pushed == reflex_sends
    fields = pushed["delta"][RoomState.get_full_name()]
    assert fields[next(key for key in fields if key.startswith("more"))] == 5


def test_tabs_that_close_while_the_last_ones_are_written_leave_together_next(monkeypatch):
    """Closing tabs leave their rooms in one transaction per batch (a room emptying at
    the end of a meeting is a few writes, not one per tab)."""
    calls: list[list[str]] = []
    writing = threading.Event()

    def tab_gone(*tokens: str) -> list[int]:
        calls.append(sorted(tokens))
        if len(calls) == 1:
            assert writing.wait(5)
        return []

    monkeypatch.setattr(lobby.presence, "tab_gone", tab_gone)

    async def close_tabs() -> None:
        lobby._closed.add("a")
        task = asyncio.create_task(lobby._leave_all())
        while not calls:
            await asyncio.sleep(0.01)
        lobby._closed.update({"b", "c"})  # these close while "a" is being written
        writing.set()
        await task

    asyncio.run(close_tabs())
    assert calls == [["a"], ["b", "c"]]
