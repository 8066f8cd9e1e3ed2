"""An account's life after sign-up: deletion, email changes, its sessions and its data.

Deletion is requested by the person, confirmed from an email, announced to the
privacy team, and carried out after a grace period by a job (or an operator). It runs
as named steps that are each safe to repeat, recorded as they finish, so a deletion
killed half-way completes when run again. What stays afterwards: the account's URL,
retired (nobody can claim it again), and audit events that hold no personal data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import shutil
from pathlib import Path

from sqlmodel import Session, col, delete, select, update

from session_app.accounts.preferences import settings_of
from session_app.auth import tokens
from session_app.auth.emails import InvalidEmail, normalize_email
from session_app.db import read_session, use_once, write_session
from session_app.mail import outbox
from session_app.mail.templates import RenderedEmail, simple_email
from session_app.models import (
    AccountDeletion,
    AuditEvent,
    AuthSession,
    OAuthIdentity,
    OutboxMessage,
    Presence,
    Profile,
    Room,
    SignInRequest,
    SignInTicket,
    UniqueUrl,
    User,
    utcnow,
)
from session_app.settings import get_settings

log = logging.getLogger(__name__)

CONFIRM_TTL = dt.timedelta(hours=24)
DELETION_CONFIRM_PATH = "/auth/confirm-deletion"
STEPS = ("sessions", "files", "sign-in", "profile", "farewell", "account")


def audit(db: Session, action: str, account: int | None, detail: str = "") -> None:
    """Record what happened (no addresses, tokens or names), and log it."""
    db.add(AuditEvent(action=action, account=account, detail=detail[:200]))
    log.info("audit: %s account=%s %s", action, account, detail)


# --- Deletion --------------------------------------------------------------------------


class DeletionError(ValueError):
    """The request cannot go ahead; the message is for the person."""


@dataclasses.dataclass(frozen=True)
class DeletionStatus:
    scheduled_for: dt.datetime | None  # confirmed and waiting
    awaiting_confirmation: bool


def pending_deletion(user_id: int) -> DeletionStatus:
    with read_session() as db:
        rows = db.exec(
            select(AccountDeletion)
            .where(AccountDeletion.user_id == user_id)
            .where(col(AccountDeletion.cancelled_at).is_(None))
            .where(col(AccountDeletion.completed_at).is_(None))
            .order_by(col(AccountDeletion.id).desc())
        ).all()
    now = utcnow()
    scheduled = next((row.scheduled_for for row in rows if row.scheduled_for), None)
    waiting = any(row.used_at is None and row.expires_at > now for row in rows)
    return DeletionStatus(scheduled_for=scheduled, awaiting_confirmation=waiting and scheduled is None)


def request_deletion(user_id: int, typed_url: str, link_base_url: str) -> None:
    """Step one: the person typed their URL; email them a confirmation link."""
    with write_session() as db:
        user = db.get(User, user_id)
        url = db.exec(select(UniqueUrl.url).where(UniqueUrl.user_id == user_id)).first()
        if user is None or url is None:
            raise DeletionError("Finish setting up your account first.")
        if typed_url.strip().lower() != url:
            raise DeletionError(f"Type your URL, {url}, to confirm.")
        token = tokens.new_token()
        now = utcnow()
        db.add(AccountDeletion(user_id=user_id, confirm_hash=tokens.hash_token(token), requested_at=now, expires_at=now + CONFIRM_TTL))
        link = f"{link_base_url.rstrip('/')}{DELETION_CONFIRM_PATH}?t={token}"
        keep = get_settings().email_backend == "outbox"  # the dev mailbox keeps its mail
        outbox.enqueue(db, user.email, _confirm_email(link), not_after=now + CONFIRM_TTL, scrub_after_send=not keep)
        audit(db, "deletion requested", user_id)
    outbox.wake()


def confirm_deletion(token: str) -> dt.datetime | None:
    """The emailed link's button: schedule the deletion and tell the privacy team."""
    if not token or len(token) > 100:
        return None
    settings = get_settings()
    with write_session() as db:
        request = use_once(db, AccountDeletion, col(AccountDeletion.confirm_hash) == tokens.hash_token(token))
        if request is None or request.cancelled_at is not None:
            return None
        request.scheduled_for = utcnow() + dt.timedelta(days=settings.deletion_grace_days)
        outbox.enqueue(db, settings.privacy_email, _privacy_email(request))
        audit(db, "deletion confirmed", request.user_id, f"request {request.id}, due {request.scheduled_for:%Y-%m-%d %H:%M} UTC")
        scheduled = request.scheduled_for
    outbox.wake()
    return scheduled


def cancel_deletion(user_id: int, by: str = "account") -> bool:
    with write_session() as db:
        result = db.exec(
            update(AccountDeletion)
            .where(col(AccountDeletion.user_id) == user_id)
            .where(col(AccountDeletion.cancelled_at).is_(None))
            .where(col(AccountDeletion.completed_at).is_(None))
            # A deletion that has started only finishes: stopping half-way would leave a
            # partly deleted account.
            .where(col(AccountDeletion.done_steps) == "")
            .values(cancelled_at=utcnow())
        )
        if result.rowcount:
            audit(db, "deletion cancelled", user_id, f"by {by}")
        return bool(result.rowcount)


def due_deletions(now: dt.datetime | None = None) -> list[int]:
    now = now or utcnow()
    with read_session() as db:
        return list(
            db.exec(
                select(AccountDeletion.id)
                .where(col(AccountDeletion.scheduled_for) <= now)
                .where(col(AccountDeletion.cancelled_at).is_(None))
                .where(col(AccountDeletion.completed_at).is_(None))
            ).all()
        )


def execute_deletion(deletion_id: int, upload_dir: Path) -> bool:
    """Carry out a confirmed deletion, resuming after the last finished step."""
    with read_session() as db:
        request = db.get(AccountDeletion, deletion_id)
    if request is None or request.cancelled_at is not None or request.scheduled_for is None:
        return False
    if request.completed_at is not None:
        return True
    done = set(filter(None, request.done_steps.split(",")))
    for step in STEPS:
        if step in done:
            continue
        _STEP_FUNCTIONS[step](request.user_id, upload_dir)
        with write_session() as db:
            row = db.get(AccountDeletion, deletion_id)
            done.add(step)
            row.done_steps = ",".join(s for s in STEPS if s in done)
            if step == STEPS[-1]:
                row.completed_at = utcnow()
                audit(db, "account deleted", None, f"request {deletion_id}")
        _maybe_die_after(step)
    return True


def _maybe_die_after(step: str) -> None:
    """Fault injection for the resumability test: DELETION_KILL_AFTER=<step>."""
    if os.environ.get("DELETION_KILL_AFTER") == step:
        os.kill(os.getpid(), 9)


def _revoke_sessions(user_id: int, _upload_dir: Path) -> None:
    with write_session() as db:
        db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user_id))


def _delete_files(user_id: int, upload_dir: Path) -> None:
    shutil.rmtree(upload_dir / "avatars" / str(int(user_id)), ignore_errors=True)


def _delete_sign_in(user_id: int, _upload_dir: Path) -> None:
    with write_session() as db:
        user = db.get(User, user_id)
        db.exec(delete(SignInTicket).where(col(SignInTicket.user_id) == user_id))
        db.exec(delete(OAuthIdentity).where(col(OAuthIdentity.user_id) == user_id))
        if user is not None:
            db.exec(delete(SignInRequest).where(col(SignInRequest.email_key) == user.email_key))


def _delete_profile(user_id: int, _upload_dir: Path) -> None:
    with write_session() as db:
        db.exec(delete(Presence).where(col(Presence.user_id) == user_id))  # their name in others' lobbies
        db.exec(delete(Profile).where(col(Profile.user_id) == user_id))


def _farewell(user_id: int, _upload_dir: Path) -> None:
    with write_session() as db:
        user = db.get(User, user_id)
        if user is None:
            return
        # Earlier mail to the address goes too; the goodbye forgets its recipient once sent.
        db.exec(delete(OutboxMessage).where(col(OutboxMessage.recipient) == user.email))
        outbox.enqueue(
            db,
            user.email,
            simple_email(
                "Your Session account has been deleted",
                "Your Session account and everything in it has been deleted, as you asked. "
                "Your address can sign up again at any time as a new account.",
            ),
            scrub_after_send=True,
        )


def _delete_account(user_id: int, _upload_dir: Path) -> None:
    # The URL row stays with no owner (ON DELETE SET NULL): retired for good.
    with write_session() as db:
        db.exec(delete(User).where(col(User.id) == user_id))


_STEP_FUNCTIONS = {
    "sessions": _revoke_sessions,
    "files": _delete_files,
    "sign-in": _delete_sign_in,
    "profile": _delete_profile,
    "farewell": _farewell,
    "account": _delete_account,
}


def _confirm_email(link: str) -> RenderedEmail:
    settings = get_settings()
    return simple_email(
        "Confirm deleting your Session account",
        f"You asked to delete your Session account. Open this link and press the button to confirm:\n{link}\n\n"
        f"Your account will be deleted {settings.deletion_grace_days} days after you confirm; until then you "
        "can cancel with one click on your dashboard. If you didn't ask for this, ignore this email.",
        link=link,
        button="Confirm deletion",
    )


def _privacy_email(request: AccountDeletion) -> RenderedEmail:
    return simple_email(
        f"Account deletion scheduled (request {request.id})",
        f"Account {request.user_id} confirmed its deletion request {request.id}. "
        f"It is scheduled for {request.scheduled_for:%Y-%m-%d %H:%M} UTC and will be carried out automatically; "
        "operators can list, cancel or run it with `python -m session_app.operator deletions`.",
    )


# --- Email changes (operators only) ----------------------------------------------------


def change_email(old: str, new: str) -> int:
    """Move an account to a new address; both are told. Raises ValueError with a reason."""
    try:
        old_email, new_email = normalize_email(old), normalize_email(new)
    except InvalidEmail as exc:
        raise ValueError(str(exc)) from None
    with write_session() as db:
        user = db.exec(select(User).where(User.email_key == old_email.key)).first()
        if user is None:
            raise ValueError("No account has the old address.")
        owner = db.exec(select(User.id).where(User.email_key == new_email.key)).first()
        if owner is not None and owner != user.id:
            raise ValueError("The new address already belongs to an account.")
        previous = user.email
        user.email, user.email_key = new_email.address, new_email.key
        # Pending sign-in emails to the old address stop working, and so does the Google
        # account linked through it (it can be linked again through the new address).
        db.exec(update(SignInRequest).where(col(SignInRequest.email_key) == old_email.key).values(used_at=utcnow()))
        db.exec(delete(OAuthIdentity).where(col(OAuthIdentity.user_id) == user.id))
        notice = "The email address of your Session account was changed by our support team"
        outbox.enqueue(db, previous, simple_email("Your Session email address was changed", f"{notice}. This address no longer signs in to it."))
        outbox.enqueue(db, new_email.address, simple_email("Your Session email address was changed", f"{notice} to this address. Sign in with it from now on."))
        audit(db, "email changed", user.id, "by operator")
        assert user.id is not None
        return user.id


# --- Sessions and data, for the person ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SessionInfo:
    id: int
    device: str
    last_seen: dt.datetime
    current: bool


def describe_device(user_agent: str) -> str:
    ua = user_agent or ""
    browser = next((name for key, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")) if key in ua), "A browser")
    system = next((name for key, name in (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Mac OS X", "macOS"), ("Linux", "Linux")) if key in ua), "")
    return f"{browser} on {system}" if system else browser


def active_sessions(user_id: int, current_session_id: int) -> list[SessionInfo]:
    with read_session() as db:
        rows = db.exec(select(AuthSession).where(AuthSession.user_id == user_id).order_by(col(AuthSession.last_seen_at).desc())).all()
    return [SessionInfo(row.id, describe_device(row.user_agent), row.last_seen_at, row.id == current_session_id) for row in rows]


def sign_out_other_sessions(user_id: int, current_session_id: int) -> int:
    with write_session() as db:
        result = db.exec(
            delete(AuthSession).where(col(AuthSession.user_id) == user_id).where(col(AuthSession.id) != current_session_id)
        )
        audit(db, "other sessions signed out", user_id, f"{result.rowcount} sessions")
        return result.rowcount or 0


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
    profile = settings_of(user_id) if _has_profile(user_id) else None
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
        "sessions": [
            {"device": describe_device(s.user_agent), "started": s.created_at.isoformat(), "last_seen": s.last_seen_at.isoformat()}
            for s in sessions
        ],
        "rooms_and_sessions": [
            {
                "name": room.name,
                "kind": room.kind,
                "link": f"/{url}/{room.slug}",
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
    try:
        key = normalize_email(email).key
    except InvalidEmail:
        return None
    with read_session() as db:
        return db.exec(select(User.id).where(User.email_key == key)).first()
