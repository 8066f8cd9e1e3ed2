"""Leases: background work that must happen once, whatever the number of workers.

A worker claims a row (a queued email, a due deletion) by writing a random token and
an expiry onto it in one conditional UPDATE, so of any number of workers exactly one
gets it. Before it records what it did, it checks and renews its lease in the same
transaction (fencing): a worker whose lease ran out stops instead of overwriting the
work of the one that took over. A lease held by a process of this machine that no
longer exists (killed mid-job) is free at once; one held elsewhere frees when it ends.
The row's columns: claimed_until, claim_token, claimed_by.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket

from sqlmodel import Session, col, select, update

from session_app.models import utcnow


def owner() -> str:
    """Who holds a lease: this machine and process."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def claim(db: Session, model, row_id: int, lease: dt.timedelta, *conditions) -> str | None:
    """Claim one row that matches `conditions` and is free; the lease's token, or None."""
    now = utcnow()
    token = secrets.token_hex(16)
    taken = {"claimed_until": now + lease, "claim_token": token, "claimed_by": owner()}
    free = (col(model.claimed_until).is_(None)) | (col(model.claimed_until) < now)
    result = db.exec(update(model).where(col(model.id) == row_id, *conditions).where(free).values(**taken))
    if result.rowcount == 1:
        return token
    held = db.exec(
        select(model.claim_token, model.claimed_by).where(col(model.id) == row_id, *conditions)
    ).first()
    if held is None or not _gone(held[1]):
        return None
    result = db.exec(
        update(model).where(col(model.id) == row_id, col(model.claim_token) == held[0]).values(**taken)
    )
    return token if result.rowcount == 1 else None


def renew(db: Session, model, row_id: int, token: str, lease: dt.timedelta) -> bool:
    """Whether `token` still holds the row (then for another `lease`): check before writing."""
    result = db.exec(
        update(model)
        .where(col(model.id) == row_id, col(model.claim_token) == token)
        .values(claimed_until=utcnow() + lease)
    )
    return result.rowcount == 1


def release(db: Session, model, row_id: int, token: str) -> None:
    db.exec(
        update(model)
        .where(col(model.id) == row_id, col(model.claim_token) == token)
        .values(claimed_until=None, claim_token=None, claimed_by=None)
    )


def _gone(claimed_by: str | None) -> bool:
    """A holder on this machine whose process has ended (never this process)."""
    host, _, pid = (claimed_by or "").rpartition(":")
    if host != socket.gethostname()[:80] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
