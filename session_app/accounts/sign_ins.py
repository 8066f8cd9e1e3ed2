"""Where a person is signed in: their sessions as devices, and signing the others out."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import col, delete, select

from session_app.accounts.audit import audit
from session_app.db import read_session, write_session
from session_app.models import AuthSession


@dataclasses.dataclass(frozen=True)
class SessionInfo:
    id: int
    device: str
    last_seen: dt.datetime
    current: bool


# First match wins: Edge's user agent also says Chrome and Safari, Chrome's says Safari,
# and Android's says Linux.
_BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str) -> str:
    ua = user_agent or ""
    browser = next((name for key, name in _BROWSERS if key in ua), "A browser")
    system = next((name for key, name in _SYSTEMS if key in ua), "")
    return f"{browser} on {system}" if system else browser


def active_sessions(user_id: int, current_session_id: int) -> list[SessionInfo]:
    with read_session() as db:
        rows = db.exec(
            select(AuthSession)
            .where(AuthSession.user_id == user_id)
            .order_by(col(AuthSession.last_seen_at).desc())
        ).all()
    return [
        SessionInfo(row.id, describe_device(row.user_agent), row.last_seen_at, row.id == current_session_id)
        for row in rows
        if row.id is not None
    ]


def sign_out_other_sessions(user_id: int, current_session_id: int) -> int:
    with write_session() as db:
        result = db.exec(
            delete(AuthSession)
            .where(col(AuthSession.user_id) == user_id)
            .where(col(AuthSession.id) != current_session_id)
        )
        audit(db, "other sessions signed out", user_id, f"{result.rowcount} sessions")
        return result.rowcount or 0
