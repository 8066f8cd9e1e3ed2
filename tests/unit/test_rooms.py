"""rooms/rooms.py: links, per-host uniqueness, times across zones, ownership, presence."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from session_app.rooms import rooms
from session_app.rooms.rooms import RoomError
from tests.support.factories import onboarded_user


def _host(n: int = 0, url: str | None = None) -> int:
    return onboarded_user(f"host{n}@example.com", f"Host {n}", url or f"host-{n}")


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
        except BaseException as exc:
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
    assert rooms.session_start_utc("2026-12-01T10:00", "Europe/Lisbon") == dt.datetime(
        2026, 12, 1, 10, 0, tzinfo=dt.UTC
    )
    assert rooms.session_start_utc("2026-07-01T10:00", "Europe/Lisbon") == dt.datetime(
        2026, 7, 1, 9, 0, tzinfo=dt.UTC
    )
    assert rooms.session_start_utc("2026-12-01T10:00", "Asia/Tokyo") == dt.datetime(
        2026, 12, 1, 1, 0, tzinfo=dt.UTC
    )
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


@pytest.mark.parametrize("name", ["\u202e" + "A" * 56, "<reflex.Var>x</reflex.Var>", "x" * 81, "   "])
def test_bad_room_names_are_refused(app_env, name):
    with pytest.raises(RoomError):
        rooms.create_room(_host(), name)


@pytest.mark.parametrize("local", ["0001-01-01T00:00", "9999-12-31T23:59", "2026-13-01T10:00", "x" * 1000])
def test_impossible_start_times_are_refused(local):
    with pytest.raises(RoomError):
        rooms.session_start_utc(local, "Asia/Tokyo")


def test_a_sessions_time_reads_in_the_viewers_zone_with_the_zone_named():
    start = dt.datetime(2027, 1, 15, 10, 0, tzinfo=dt.UTC)
    assert rooms.describe_start(start, "Asia/Tokyo", 60) == "Fri 15 Jan, 19:00 (Asia/Tokyo) · 60 min"
    assert rooms.describe_start(start, "America/Sao_Paulo", None) == "Fri 15 Jan, 07:00 (America/Sao Paulo)"
    assert rooms.describe_start(start, "Not/AZone", 30) == "Fri 15 Jan, 10:00 (UTC) · 30 min"
