"""accounts/time_zones.py: the one conversion from stored UTC to a person's zone, and the list."""

from __future__ import annotations

import datetime as dt

import pytest

from session_app.accounts.time_zones import choices, format_offset, in_zone, zone_name

NOON_UTC = dt.datetime(2026, 11, 30, 12, 0)  # stored times are naive UTC


def test_a_stored_time_reads_in_the_persons_zone():
    local, zone = in_zone(NOON_UTC, "Asia/Tokyo")
    assert (local.hour, zone) == (21, "Asia/Tokyo")


@pytest.mark.parametrize("zone", ["", "Mars/Olympus_Mons", "../../etc/passwd"])
def test_an_unknown_zone_reads_as_utc_and_says_so(zone):
    local, named = in_zone(NOON_UTC, zone)
    assert (local.hour, named) == (12, "UTC")


def test_zone_names_read_as_people_write_them():
    assert zone_name("America/New_York") == "America/New York"


def test_offsets_and_the_list_name_places():
    assert format_offset(-210) == "UTC-03:30"
    (tokyo,) = [choice for choice in choices("tokyo") if choice.key == "Asia/Tokyo"]
    assert "Japan" in tokyo.label
