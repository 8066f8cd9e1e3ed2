"""The time zones people choose from: one per place, named by city and country, with
today's offset, instead of every IANA name (legacy aliases and Etc/GMT±N confuse).

The canonical zones and their countries come from the system's tz database tables
(zone.tab, iso3166.tab); any valid IANA name is still accepted when a browser reports
an alias, and it is then listed as it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import zoneinfo
from pathlib import Path

TZ_FOLDERS = (Path("/usr/share/zoneinfo"), Path("/usr/lib/zoneinfo"))
REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


@dataclasses.dataclass(frozen=True)
class ZoneChoice:
    key: str  # the IANA name, e.g. "Asia/Tokyo"
    label: str  # "(UTC+09:00) Tokyo, Japan"
    offset_minutes: int


@functools.cache
def valid_names() -> frozenset[str]:
    """Every IANA name this machine knows (what a stored or detected zone must be)."""
    return frozenset(zone for zone in zoneinfo.available_timezones() if "/" in zone or zone == "UTC")


def in_zone(moment: dt.datetime, zone: str) -> tuple[dt.datetime, str]:
    """A stored time (naive means UTC) as a person reads it, and the zone's name.

    An empty or unknown zone gives UTC, named so the reader is never misled."""
    utc = moment.replace(tzinfo=moment.tzinfo or dt.UTC)
    try:
        return utc.astimezone(zoneinfo.ZoneInfo(zone)), zone
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return utc, "UTC"


def zone_name(zone: str) -> str:
    """How people write a zone: "America/New York", not "America/New_York"."""
    return zone.replace("_", " ")


def _table(name: str) -> list[list[str]]:
    for folder in TZ_FOLDERS:
        path = folder / name
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            return [line.split("\t") for line in lines if line and not line.startswith("#")]
    return []


@functools.cache
def _places() -> dict[str, str]:
    """Canonical zone -> its country's name (zone.tab); a region filter without it."""
    countries = {row[0]: row[1] for row in _table("iso3166.tab") if len(row) >= 2}
    places = {row[2]: countries.get(row[0], "") for row in _table("zone.tab") if len(row) >= 3}
    if not places:
        places = {zone: "" for zone in valid_names() if zone.split("/")[0] in REGIONS}
    return {zone: country for zone, country in places.items() if zone in valid_names()}


def _offset(zone: str, now: dt.datetime) -> int:
    delta = now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or dt.timedelta()
    return int(delta.total_seconds() // 60)


def format_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _choice(zone: str, country: str, now: dt.datetime) -> ZoneChoice:
    offset = _offset(zone, now)
    if zone == "UTC":
        return ZoneChoice(zone, f"({format_offset(0)}) UTC, Coordinated Universal Time", 0)
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    place = f"{city}, {country}" if country else zone.replace("_", " ")
    return ZoneChoice(zone, f"({format_offset(offset)}) {place}", offset)


@functools.lru_cache(maxsize=2)
def _every_choice(quarter: dt.datetime) -> tuple[tuple[ZoneChoice, str], ...]:
    """Every place's choice at one quarter hour (offsets change only on one), sorted
    west to east, each with the text a query searches: built once per quarter, since
    it opens a zone file per place (about 60 ms) and the search runs per keystroke."""
    every = [
        (_choice(zone, country, quarter), f"{zone} {country} {zone.replace('_', ' ')}".lower())
        for zone, country in [*_places().items(), ("UTC", "")]
    ]
    every.sort(key=lambda pair: (pair[0].offset_minutes, pair[0].label))
    return tuple(every)


def choices(query: str = "", current: str = "", now: dt.datetime | None = None) -> list[ZoneChoice]:
    """The zones matching what was typed (city, country or IANA name), west to east;
    the current zone first whatever the query, so the list always shows it."""
    now = now or dt.datetime.now(dt.UTC)
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    wanted = query.strip().lower()[:60]
    found = [
        choice
        for choice, text in _every_choice(quarter)
        if choice.key != current and (not wanted or wanted in text)
    ]
    if current in valid_names():
        found.insert(0, _choice(current, _places().get(current, ""), now))
    return found
