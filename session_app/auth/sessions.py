"""Server-side sessions behind an HttpOnly cookie (SECURITY.md C1–C4).

The cookie carries a random 256-bit token; the database keeps only its SHA-256, the
user, and the two clocks: idle (last seen) and absolute (expires_at). The cookie is
HttpOnly because Reflex's own cookies are written by JavaScript, which any injected
script could read; this one only the server ever sees.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from http.cookies import CookieError, SimpleCookie

import sqlalchemy as sa
from sqlmodel import Session, col, delete
from starlette.responses import Response

from session_app.db import one_read, write_session
from session_app.environment import get_environment
from session_app.models import AuthSession, User, utcnow
from session_app.tokens import hash_token, new_token, plausible

# How often a busy session's last_seen_at is written: often enough for the idle
# timeout, rarely enough that events stay reads.
TOUCH_EVERY = dt.timedelta(minutes=5)


@dataclasses.dataclass(frozen=True)
class SignedIn:
    user_id: int
    email: str
    session_id: int


def idle_timeout() -> dt.timedelta:
    return dt.timedelta(days=get_environment().session_idle_days)


def absolute_timeout() -> dt.timedelta:
    return dt.timedelta(days=get_environment().session_absolute_days)


def create_session(db: Session, user_id: int, user_agent: str = "") -> str:
    """Start a session inside the caller's transaction; returns the cookie value."""
    token = new_token()
    now = utcnow()
    db.add(
        AuthSession(
            token_hash=hash_token(token),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + absolute_timeout(),
            user_agent=user_agent[:300],
        )
    )
    return token


# Most events of a signed-in tab ask who it is: one indexed query on a pooled
# connection, no ORM session, the statement built once (issue 16).
_SESSION = (
    sa.select(col(AuthSession.id), col(AuthSession.expires_at), col(AuthSession.last_seen_at))
    .add_columns(col(User.id), col(User.email))
    .join(User, col(User.id) == col(AuthSession.user_id))
    .where(col(AuthSession.token_hash) == sa.bindparam("token_hash"))
)


def resolve_session(token: str | None) -> SignedIn | None:
    """Who a session token belongs to, if it is live; refreshes the idle clock."""
    if not plausible(token):
        return None
    now = utcnow()
    with one_read() as db:
        row = db.execute(_SESSION, {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    session_id, expires_at, last_seen_at, user_id, email = row
    if expires_at <= now or last_seen_at + idle_timeout() <= now:
        return None
    if now - last_seen_at >= TOUCH_EVERY:
        with write_session() as db:
            stored = db.get(AuthSession, session_id)
            if stored is not None:
                stored.last_seen_at = now
    return SignedIn(user_id=user_id, email=email, session_id=session_id)


def end_session(token: str | None) -> None:
    """Delete the session row (log out). Unknown tokens are fine: nothing to do."""
    if not plausible(token):
        return
    with write_session() as db:
        db.exec(delete(AuthSession).where(col(AuthSession.token_hash) == hash_token(token)))


def purge_expired_sessions() -> int:
    """Remove sessions past either timeout; returns how many went."""
    now = utcnow()
    with write_session() as db:
        result = db.exec(
            delete(AuthSession).where(
                (col(AuthSession.expires_at) <= now) | (col(AuthSession.last_seen_at) <= now - idle_timeout())
            )
        )
        return result.rowcount or 0


def token_from_cookie_header(header: str | None) -> str | None:
    """The session token in a Cookie header, if any."""
    if not header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(get_environment().session_cookie_name)
    return morsel.value if morsel else None


def set_session_cookie(response: Response, token: str) -> None:
    env = get_environment()
    response.set_cookie(
        env.session_cookie_name,
        token,
        max_age=int(absolute_timeout().total_seconds()),
        path="/",
        secure=env.secure_cookies,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response) -> None:
    env = get_environment()
    response.delete_cookie(
        env.session_cookie_name,
        path="/",
        secure=env.secure_cookies,
        httponly=True,
        samesite="lax",
    )
