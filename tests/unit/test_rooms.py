"""rooms/rooms.py: links, per-host uniqueness, times across zones, ownership, presence."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine

from session_app.accounts.profiles import claim_url, save_display_name, save_use_case
from session_app.db import write_session
from session_app.models import User
from session_app.rooms import rooms
from session_app.rooms.rooms import RoomError


def _host(n: int = 0, url: str | None = None) -> int:
    with write_session() as db:
        user = User(email=f"host{n}@example.com", email_key=f"host{n}@example.com")
        db.add(user)
        db.flush()
        user_id = user.id
    save_use_case(user_id, "team-meetings")
    save_display_name(user_id, f"Host {n}")
    claim_url(user_id, url or f"host-{n}")
    return user_id


def test_a_room_gets_a_fixed_link_from_its_name(app_env):
    host = _host()
    room = rooms.create_room(host, "Weekly Team Sync")
    assert room.slug == "weekly-team-sync" and room.host_url == "host-0"
    rooms.rename_room(host, room.id, "Monday sync")
    again = rooms.room_at("host-0", "weekly-team-sync")
    assert again.name == "Monday sync" and again.slug == "weekly-team-sync"


def test_the_same_name_twice_gets_the_next_free_link(app_env):
    host = _host()
    first, second = rooms.create_room(host, "Office hours"), rooms.create_room(host, "Office Hours")
    assert (first.slug, second.slug) == ("office-hours", "office-hours-2")
    other = rooms.create_room(_host(1), "Office hours")
    assert other.slug == "office-hours"  # unique per host, not globally


def test_concurrent_creation_of_one_name_gives_distinct_links(app_env):
    host = _host()
    barrier, made, errors = threading.Barrier(10), [], []

    def create() -> None:
        barrier.wait()
        try:
            made.append(rooms.create_room(host, "Stand-up").slug)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(made)) == 10


@pytest.mark.parametrize("name", ["Ünïcödé Room", "李小龍", "a", "--", "<script>"])
def test_any_name_gets_a_valid_link(app_env, name):
    from session_app.accounts.urls import check_syntax

    room = rooms.create_room(_host(), name)
    assert check_syntax(room.slug) == room.slug


def test_session_times_are_kept_in_utc_from_the_hosts_zone():
    assert rooms.session_start_utc("2026-12-01T10:00", "Europe/Lisbon") == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    assert rooms.session_start_utc("2026-07-01T10:00", "Europe/Lisbon") == dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    assert rooms.session_start_utc("2026-12-01T10:00", "Asia/Tokyo") == dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
    assert rooms.session_start_utc("2026-03-29T12:00", "") == dt.datetime(2026, 3, 29, 12, 0, tzinfo=dt.UTC)
    with pytest.raises(RoomError):
        rooms.session_start_utc("tomorrow", "Europe/Lisbon")


def test_a_session_needs_a_start_and_a_duration(app_env):
    host = _host()
    with pytest.raises(RoomError):
        rooms.create_room(host, "Launch", kind="session")
    start = rooms.session_start_utc("2026-12-01T18:00", "America/New_York")
    session = rooms.create_room(host, "Launch", kind="session", starts_at=start, duration_minutes=45)
    assert session.kind == "session" and session.starts_at == start and session.duration_minutes == 45


def test_one_host_cannot_touch_another_hosts_room(app_env):
    owner, intruder = _host(0), _host(1)
    room = rooms.create_room(owner, "Private")
    for attempt in (
        lambda: rooms.rename_room(intruder, room.id, "Mine now"),
        lambda: rooms.delete_room(intruder, room.id),
        lambda: rooms.set_locked(intruder, room.id, True),
    ):
        with pytest.raises(RoomError):
            attempt()
    assert rooms.room_at("host-0", room.slug).name == "Private"
    assert [r.id for r in rooms.rooms_of(intruder)] == []


def test_presence_comes_and_goes(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    assert rooms.join(room.id, "host-tab", "Host 0", "violet", host) == "in"
    assert rooms.join(room.id, "guest-tab", "Guest", "green", None) == "in"
    assert [(p.name, p.is_host) for p in rooms.participants(room.id)] == [("Host 0", True), ("Guest", False)]
    rooms.leave(room.id, "guest-tab")
    assert [p.name for p in rooms.participants(room.id)] == ["Host 0"]


def test_a_closed_tab_disappears_after_the_timeout(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        rooms.join(room.id, "guest-tab", "Guest", "green", None)
        rooms.join(room.id, "host-tab", "Host", "violet", host)
        traveller.shift(dt.timedelta(seconds=5))
        rooms.heartbeat(room.id, "host-tab")
        traveller.shift(dt.timedelta(seconds=5))
        assert [p.name for p in rooms.participants(room.id)] == ["Host"]


def test_a_locked_room_makes_guests_knock_until_the_host_answers(app_env):
    host = _host()
    room = rooms.create_room(host, "Locked")
    rooms.set_locked(host, room.id, True)
    assert rooms.join(room.id, "guest-tab", "Guest", "green", None) == "waiting"
    assert rooms.join(room.id, "host-tab", "Host", "violet", host) == "in"
    (knock,) = [p for p in rooms.participants(room.id) if p.status == "waiting"]
    with pytest.raises(RoomError):
        rooms.answer_knock(_host(1), knock.id, admit=True)
    rooms.answer_knock(host, knock.id, admit=True)
    assert rooms.heartbeat(room.id, "guest-tab") == "in"


def test_hosts_are_told_about_each_arrival_once(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    rooms.join(room.id, "guest-tab", "Guest", "green", None)
    (arrival,) = rooms.new_arrivals(host)
    assert (arrival.who, arrival.room_name, arrival.room_path) == ("Guest", "Lobby", "/host-0/lobby")
    assert rooms.new_arrivals(host) == []
    assert rooms.new_arrivals(_host(1)) == []


def test_guests_never_become_accounts(app_env):
    host = _host()
    room = rooms.create_room(host, "Lobby")
    rooms.join(room.id, "guest-tab", "Guest", "green", None)
    from sqlmodel import func, select

    from session_app.db import read_session

    with read_session() as db:
        assert db.exec(select(func.count()).select_from(User)).one() == 1


def test_a_returning_tab_knocks_again_once_the_room_is_locked(app_env):
    host = _host()
    room = rooms.create_room(host, "Later locked")
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert rooms.join(room.id, "guest-tab", "Guest", "green", None) == "in"
        rooms.new_arrivals(host)
        rooms.set_locked(host, room.id, True)
        traveller.shift(dt.timedelta(hours=1))
        assert rooms.join(room.id, "guest-tab", "Guest", "green", None) == "waiting"
        (knock,) = [p for p in rooms.participants(room.id) if p.status == "waiting"]
        rooms.answer_knock(host, knock.id, admit=False)
        assert rooms.join(room.id, "guest-tab", "Guest", "green", None) == "waiting"
        assert [a.who for a in rooms.new_arrivals(host)] == ["Guest"]  # told about the new knock


@pytest.mark.parametrize("name", ["\u202e" + "A" * 56, "<reflex.Var>x</reflex.Var>", "x" * 81, "   "])
def test_bad_room_names_are_refused(app_env, name):
    with pytest.raises(RoomError):
        rooms.create_room(_host(), name)


@pytest.mark.parametrize("local", ["0001-01-01T00:00", "9999-12-31T23:59", "2026-13-01T10:00", "x" * 1000])
def test_impossible_start_times_are_refused(local):
    with pytest.raises(RoomError):
        rooms.session_start_utc(local, "Asia/Tokyo")
