"""An email when an account signs in from a browser it has not used before (SECURITY.md
A12), so a person learns of a sign-in that wasn't theirs.

A browser is "known" to an account once it has signed in to it: it keeps an HttpOnly
cookie of keyed tags (HMAC of the account id with the server secret, so a tag can't be
forged or read back into an account id). The very first sign-in of an account sends
nothing: there is no earlier browser to compare with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from sqlmodel import col, select

from session_app import routes
from session_app.accounts.sign_ins import describe_device
from session_app.accounts.time_zones import in_zone, zone_name
from session_app.db import read_session, write_session
from session_app.environment import get_environment
from session_app.mail import outbox
from session_app.mail.templates import new_device_email
from session_app.models import AuthSession, Profile, UniqueUrl, User

log = logging.getLogger(__name__)

COOKIE = "known_device"
COOKIE_MAX_AGE = int(dt.timedelta(days=400).total_seconds())  # browsers cap cookies at 400 days
MAX_TAGS = 5  # accounts remembered per browser
# An account's first session is created in the same transaction as the account.
FIRST_SIGN_IN_WITHIN = dt.timedelta(seconds=30)


def _tag(user_id: int) -> str:
    key = get_environment().secret_key.encode()
    return hmac.new(key, f"known-device:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _tags(cookie: str | None) -> list[str]:
    return [tag for tag in (cookie or "").split(".") if len(tag) == 32 and tag.isalnum()][:MAX_TAGS]


def remembered(cookie: str | None, user_id: int) -> str:
    """The cookie's new value: this account first, then up to MAX_TAGS - 1 others."""
    tag = _tag(user_id)
    return ".".join([tag, *[other for other in _tags(cookie) if other != tag]][:MAX_TAGS])


def notice_sign_in(session_id: int, cookie: str | None) -> None:
    """Email the account's owner when this session's browser is new to the account."""
    with read_session() as db:
        row = db.exec(
            select(AuthSession, User)
            .join(User, col(User.id) == col(AuthSession.user_id))
            .where(AuthSession.id == session_id)
        ).first()
        if row is None:
            return
        session, user = row
        assert user.id is not None
        if _tag(user.id) in _tags(cookie) or session.created_at - user.created_at < FIRST_SIGN_IN_WITHIN:
            return
        profile = db.get(Profile, user.id)
        url = db.exec(select(UniqueUrl.url).where(UniqueUrl.user_id == user.id)).first()
    when, zone = in_zone(session.created_at, (profile.time_zone if profile else "") or "UTC")
    base = get_environment().base_url
    # Where "Sign out of all other sessions" is: the settings popup, by its deep link.
    manage = (
        routes.absolute(base, routes.dashboard(url) + "?settings=1")
        if url
        else routes.absolute(base, routes.LOG_IN)
    )
    rendered = new_device_email(
        device=describe_device(session.user_agent),
        when=f"{when:%A %d %B %Y, %H:%M} ({zone_name(zone)})",
        link=manage,
    )
    with write_session() as db:
        outbox.enqueue(db, user.email, rendered)
    outbox.wake()
    log.info("new-device email queued for user %s", user.id)
