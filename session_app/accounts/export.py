"""An account's data for its owner (or an operator): everything we hold, as JSON."""

from __future__ import annotations

import json

from sqlmodel import select

from session_app import routes
from session_app.accounts.audit import audit
from session_app.accounts.passkey_list import passkeys_of
from session_app.accounts.preferences import preferences_of
from session_app.accounts.sign_ins import describe_device
from session_app.auth.emails import InvalidEmail, normalize_email
from session_app.db import read_session, write_session
from session_app.models import AuthSession, OAuthIdentity, Profile, Room, UniqueUrl, User


def export_account(user_id: int) -> str:
    """Everything we hold about one account, as JSON (no secrets, no one else's data)."""
    with read_session() as db:
        user = db.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        url = db.exec(select(UniqueUrl.url).where(UniqueUrl.user_id == user_id)).first()
        sessions = db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).all()
        identities = db.exec(select(OAuthIdentity).where(OAuthIdentity.user_id == user_id)).all()
        rooms = db.exec(select(Room).where(Room.host_id == user_id)).all()
    profile = preferences_of(user_id) if _has_profile(user_id) else None
    data = {
        "account": {"email": user.email, "created_at": user.created_at.isoformat(), "url": url},
        "profile": None
        if profile is None
        else {
            "display_name": profile.display_name,
            "use_case": profile.use_case,
            "theme": profile.theme,
            "time_zone": profile.time_zone,
            "notifications": profile.notifications,
            "has_photo": bool(profile.avatar_stem),
            "onboarded_at": profile.onboarded_at.isoformat() if profile.onboarded_at else None,
        },
        "sign_in_methods": ["email"] + [f"openid: {identity.issuer}" for identity in identities],
        # Names and dates only: the public keys are of no use to anyone but the server.
        "passkeys": [
            {
                "name": key.name,
                "added": key.created_at.isoformat(),
                "last_used": key.last_used_at.isoformat() if key.last_used_at else None,
                "synced": key.synced,
            }
            for key in passkeys_of(user_id)
        ],
        "sessions": [
            {
                "device": describe_device(s.user_agent),
                "started": s.created_at.isoformat(),
                "last_seen": s.last_seen_at.isoformat(),
            }
            for s in sessions
        ],
        "rooms_and_sessions": [
            {
                "name": room.name,
                "kind": room.kind,
                "link": routes.room(url or "", room.slug),
                "starts_at": room.starts_at.isoformat() if room.starts_at else None,
                "duration_minutes": room.duration_minutes,
            }
            for room in rooms
        ],
    }
    with write_session() as db:
        audit(db, "data exported", user_id)
    return json.dumps(data, indent=2, ensure_ascii=False)


def _has_profile(user_id: int) -> bool:
    with read_session() as db:
        return db.get(Profile, user_id) is not None


def user_id_for(email: str) -> int | None:
    """The account an address signs in to, if any: operators ask for an export by address."""
    try:
        key = normalize_email(email).key
    except InvalidEmail:
        return None
    with read_session() as db:
        return db.exec(select(User.id).where(User.email_key == key)).first()
