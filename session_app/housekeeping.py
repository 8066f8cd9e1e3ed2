"""Removing what has expired: sessions, sign-in requests and tickets, Google attempts,
passkey challenges, and delivered mail. Run hourly by the app; nothing here is
needed after it expires."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, delete

from session_app.auth.sessions import purge_expired_sessions
from session_app.db import write_session
from session_app.models import OAuthAttempt, OutboxMessage, Presence, SignInRequest, SignInTicket, utcnow
from session_app.passkey_models import PasskeyChallenge

KEEP_DONE_MAIL = dt.timedelta(days=7)
KEEP_USED_SECRETS = dt.timedelta(days=1)


def purge_expired(now: dt.datetime | None = None) -> int:
    now = now or utcnow()
    removed = purge_expired_sessions()
    with write_session() as db:
        for model in (SignInRequest, SignInTicket, OAuthAttempt, PasskeyChallenge):
            removed += (
                db.exec(delete(model).where(col(model.expires_at) < now - KEEP_USED_SECRETS)).rowcount or 0
            )
        # Guests' joining names go a day after they were last seen.
        removed += (
            db.exec(delete(Presence).where(col(Presence.last_seen) < now - KEEP_USED_SECRETS)).rowcount or 0
        )
        removed += (
            db.exec(
                delete(OutboxMessage)
                .where(col(OutboxMessage.outcome) != "")
                .where(col(OutboxMessage.created_at) < now - KEEP_DONE_MAIL)
            ).rowcount
            or 0
        )
    return removed
