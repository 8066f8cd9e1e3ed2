"""Who is in a room: joining, knocking, heartbeats and arrivals (rooms/presence.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from session_app.models import User
from session_app.rooms import presence, rooms
from session_app.rooms.rooms import RoomError
from tests.support.factories import onboarded_user


@pytest.fixture(autouse=True)
def _no_beats_from_other_tests():
    presence._beats.clear()


def _host(n: int = 0, url: str | None = None) -> int:
    return onboarded_user(f"host{n}@example.com", f"Host {n}", url or f"host-{n}")


def test_presence_comes_and_goes(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    assert presence.join(room.id, "host-tab", "Host 0", "violet", host) == "in"
    assert presence.join(room.id, "guest-tab", "Guest", "green", None) == "in"
    assert [(p.name, p.is_host) for p in presence.participants(room.id)] == [
        ("Host 0", True),
        ("Guest", False),
    ]
    presence.leave(room.id, "guest-tab")
    assert [p.name for p in presence.participants(room.id)] == ["Host 0"]


def test_a_closed_tab_disappears_after_the_timeout(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        presence.join(room.id, "guest-tab", "Guest", "green", None)
        presence.join(room.id, "host-tab", "Host", "violet", host)
        traveller.shift(presence.PRESENCE_TIMEOUT / 2 + dt.timedelta(seconds=1))
        presence.heartbeat(room.id, "host-tab")
        traveller.shift(presence.PRESENCE_TIMEOUT / 2 + dt.timedelta(seconds=1))
        assert [p.name for p in presence.participants(room.id)] == ["Host"]


def test_a_locked_room_makes_guests_knock_until_the_host_answers(app_env):
    host = _host()
    room = rooms.create_room(host, "Locked")
    rooms.set_locked(host, room.id, True)
    assert presence.join(room.id, "guest-tab", "Guest", "green", None) == "waiting"
    assert presence.join(room.id, "host-tab", "Host", "violet", host) == "in"
    (knock,) = [p for p in presence.participants(room.id) if p.status == "waiting"]
    with pytest.raises(RoomError):
        presence.answer_knock(_host(1), knock.id, admit=True)
    presence.answer_knock(host, knock.id, admit=True)
    assert presence.heartbeat(room.id, "guest-tab") == "in"


def test_hosts_are_told_about_each_arrival_once(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    presence.join(room.id, "guest-tab", "Guest", "green", None)
    (arrival,) = presence.new_arrivals(host)
    assert (arrival.who, arrival.room_name, arrival.room_path) == ("Guest", "Lobby", "/host-0/lobby")
    assert presence.new_arrivals(host) == []
    assert presence.new_arrivals(_host(1)) == []


def test_guests_never_become_accounts(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    presence.join(room.id, "guest-tab", "Guest", "green", None)
    from sqlmodel import func, select

    from session_app.db import read_session

    with read_session() as db:
        assert db.exec(select(func.count()).select_from(User)).one() == 1


def test_a_returning_tab_knocks_again_once_the_room_is_locked(app_env):
    host = _host()
    room = rooms.create_room(host, "Later locked")
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert presence.join(room.id, "guest-tab", "Guest", "green", None) == "in"
        presence.new_arrivals(host)
        rooms.set_locked(host, room.id, True)
        traveller.shift(dt.timedelta(hours=1))
        assert presence.join(room.id, "guest-tab", "Guest", "green", None) == "waiting"
        (knock,) = [p for p in presence.participants(room.id) if p.status == "waiting"]
        presence.answer_knock(host, knock.id, admit=False)
        assert presence.join(room.id, "guest-tab", "Guest", "green", None) == "waiting"
        assert [a.who for a in presence.new_arrivals(host)] == ["Guest"]  # told about the new knock


def test_the_lobby_lists_who_is_in_and_only_the_host_reads_the_knocks(app_env):
    """Knocking guests are not in the lobby every tab inside receives (pages/room/lobby.py:
    a knocking tab is not linked to it at all); their knocks are read for the host."""
    host = _host()
    room = rooms.create_room(host, "Locked")
    rooms.set_locked(host, room.id, True)
    presence.join(room.id, "host-tab", "Host", "violet", host)
    presence.join(room.id, "in-tab", "Inside", "blue", None)  # let in below
    (inside,) = [p for p in presence.participants(room.id) if p.name == "Inside"]
    presence.answer_knock(host, inside.id, admit=True)
    presence.join(room.id, "guest-tab", "Knocker", "green", None)
    lobby = presence.inside(room.id)
    assert ([p.name for p in lobby.shown], lobby.count) == (["Host", "Inside"], 2)
    assert [p.name for p in presence.knocks(room.id)] == ["Knocker"]


def test_a_big_room_lists_the_first_people_by_name_and_counts_everyone(app_env):
    host = _host()
    room = rooms.create_room(host, "Town hall")
    for n in range(presence.SHOWN + 7):
        presence.join(room.id, f"tab-{n}", f"Guest {n}", "green", None)
    presence.join(room.id, "host-tab", "Host", "violet", host)
    lobby = presence.inside(room.id)
    assert lobby.count == presence.SHOWN + 8
    assert len(lobby.shown) == presence.SHOWN
    assert [p.name for p in lobby.shown[:2]] == ["Host", "Guest 0"]  # the host first, then by arrival


def test_a_closed_tab_leaves_at_once_and_the_same_tab_takes_its_place_again(app_env):
    host = _host()
    room = rooms.create_room(host, "Locked")
    other = rooms.create_room(host, "Other")
    rooms.set_locked(host, room.id, True)
    presence.join(room.id, "guest-tab", "Guest", "green", None)
    (knock,) = presence.knocks(room.id)
    presence.answer_knock(host, knock.id, admit=True)
    presence.join(other.id, "guest-tab", "Guest", "green", None)
    assert presence.tab_gone("guest-tab") == sorted([room.id, other.id])
    assert presence.inside(room.id).count == presence.inside(other.id).count == 0
    assert presence.tab_gone("guest-tab") == []  # already gone: nothing changed
    # A reload or reconnect of that tab: still let in, though the room is locked.
    assert presence.heartbeat(room.id, "guest-tab") == "in"
    assert [p.name for p in presence.inside(room.id).shown] == ["Guest"]


def test_closing_tabs_take_one_write_lock_and_none_if_they_were_in_no_room(app_env, monkeypatch):
    """Every websocket that closes asks; most were a typing tab, in no room. On SQLite a
    write transaction waits for the one write lock, so only a tab inside takes it."""
    room = rooms.create_room(_host(), "Lobby")
    presence.join(room.id, "guest-tab", "Guest", "green", None)
    writes = []
    real = presence.write_session

    def counted():
        writes.append(1)
        return real()

    monkeypatch.setattr(presence, "write_session", counted)
    assert presence.tab_gone("typing-tab") == []
    assert writes == []
    assert presence.tab_gone("guest-tab") == [room.id]
    assert writes == [1]
    assert presence.tab_gone("guest-tab") == []  # already gone: no write either
    assert writes == [1]
    other = rooms.create_room(_host(1), "Other")
    for n, room_id in enumerate([room.id, other.id, other.id]):
        presence.join(room_id, f"tab-{n}", f"Guest {n}", "green", None)
    writes.clear()
    assert presence.tab_gone("tab-0", "tab-1", "tab-2", "typing-tab") == sorted([room.id, other.id])
    assert writes == [1]  # tabs that close together leave in one transaction
    assert presence.inside(room.id).count == presence.inside(other.id).count == 0


def test_heartbeats_wait_in_memory_and_are_written_together(app_env, monkeypatch):
    """No write per heartbeat: a worker's beats go to the database in one transaction
    every few seconds, however many tabs beat (issue 16)."""
    room = rooms.create_room(_host(), "Lobby")
    tabs = [f"guest-{n}" for n in range(3)]
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for tab in tabs:
            presence.join(room.id, tab, tab, "green", None)
        writes = []
        real = presence.write_session
        monkeypatch.setattr(presence, "write_session", lambda: writes.append(1) or real())
        traveller.shift(dt.timedelta(seconds=10))
        assert [presence.heartbeat(room.id, tab) for tab in tabs[:2]] == ["in"] * 2
        presence.note_beat(room.id, tabs[2])  # a tab known to be inside: not even a read
        assert writes == []
        assert presence.write_beats() == 3
        assert writes == [1]
        assert presence.write_beats() == 0 and writes == [1]  # nothing new: nothing written
        # Written as of the beat: still in when the join alone would have lapsed.
        traveller.shift(presence.PRESENCE_TIMEOUT - dt.timedelta(seconds=5))
        assert presence.inside(room.id).count == 3


def test_a_lapsed_tab_beating_again_is_written_at_once_and_a_closed_one_stays_gone(app_env):
    room = rooms.create_room(_host(), "Lobby")
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        presence.join(room.id, "asleep", "Asleep", "green", None)
        presence.join(room.id, "closing", "Closing", "green", None)
        traveller.shift(dt.timedelta(seconds=10))
        assert presence.heartbeat(room.id, "closing") == "in"
        presence.tab_gone("closing")  # its websocket closed before the beat was written
        traveller.shift(presence.PRESENCE_TIMEOUT)
        assert presence.inside(room.id).count == 0
        assert presence.heartbeat(room.id, "asleep") == "in"  # the machine woke up
        assert [p.name for p in presence.inside(room.id).shown] == ["Asleep"]
        assert presence.write_beats() == 1  # the closed tab's beat, written to no row
        assert [p.name for p in presence.inside(room.id).shown] == ["Asleep"]


def test_rooms_whose_people_stopped_beating_are_found_once_their_time_runs_out(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        presence.join(room.id, "guest-tab", "Guest", "green", None)
        window = dt.timedelta(seconds=6)
        assert presence.lapsed_rooms(window) == []
        traveller.shift(presence.PRESENCE_TIMEOUT + dt.timedelta(seconds=2))
        assert presence.lapsed_rooms(window) == [room.id]
        traveller.shift(window)
        assert presence.lapsed_rooms(window) == []  # told once, not on every sweep


def test_an_arrival_says_who_and_where():
    assert (
        presence.Arrival("Back office", "/a/b", "Ann", waiting=True).message
        == "Ann is waiting in Back office"
    )
    assert presence.Arrival("Back office", "/a/b", "Ann", waiting=False).message == "Ann joined Back office"
