"""An account's passkeys for their owner: listed (never any key material), renamed,
removed. Adding one and signing in with it are auth/passkeys.py."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import col, delete, select, update

from session_app.accounts.audit import audit
from session_app.db import read_session, write_session
from session_app.passkey_models import Passkey

NAME_MAX = 64


class InvalidPasskeyName(ValueError):
    """The message is for the person."""


@dataclasses.dataclass(frozen=True)
class PasskeyInfo:
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    synced: bool


def info(row: Passkey) -> PasskeyInfo:
    assert row.id is not None
    return PasskeyInfo(row.id, row.name, row.created_at, row.last_used_at, row.backup_eligible)


def passkeys_of(user_id: int) -> list[PasskeyInfo]:
    with read_session() as db:
        rows = db.exec(select(Passkey).where(Passkey.user_id == user_id).order_by(col(Passkey.id))).all()
    return [info(row) for row in rows]


def clean_name(raw: str) -> str:
    name = " ".join(raw.split())[:NAME_MAX]
    if not name:
        raise InvalidPasskeyName("Give the passkey a name, so you can tell it apart from the others.")
    return name


def rename_passkey(user_id: int, passkey_id: int, raw: str) -> str:
    name = clean_name(raw)
    with write_session() as db:
        db.exec(
            update(Passkey)
            .where(col(Passkey.id) == passkey_id, col(Passkey.user_id) == user_id)
            .values(name=name)
        )
    return name


def remove_passkey(user_id: int, passkey_id: int) -> bool:
    with write_session() as db:
        gone = db.exec(delete(Passkey).where(col(Passkey.id) == passkey_id, col(Passkey.user_id) == user_id))
        if gone.rowcount:
            audit(db, "passkey removed", user_id)
        return bool(gone.rowcount)
