"""pages/room/lobby.py: a push to a room's tabs is built once, as Reflex would build it."""

from __future__ import annotations

import json

from reflex.app import _sio_dumps
from reflex.state import StateUpdate

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
