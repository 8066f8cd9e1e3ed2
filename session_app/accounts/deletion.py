"""Deleting an account: asked for, confirmed from an email, carried out after a grace period.

The person asks by typing their URL and confirms from an emailed link; the privacy
team is told, and a job (or an operator) carries the deletion out when the grace
period ends. It runs as named steps that are each safe to repeat, recorded as they
finish, so a deletion killed half-way completes when run again. What stays afterwards:
the account's URL, retired (nobody can claim it again), and audit events that hold no
personal data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os

from sqlmodel import Session, col, delete, select, update

from session_app import leases, routes, tokens
from session_app.accounts.audit import audit
from session_app.db import read_session, use_once, write_session
from session_app.environment import get_environment
from session_app.mail import outbox
from session_app.mail.templates import (
    account_deleted_email,
    deletion_confirmation_email,
    deletion_scheduled_email,
)
from session_app.media import profile_photos
from session_app.media.storage import Store
from session_app.models import (
    AccountDeletion,
    AuthSession,
    GoogleLinkRequest,
    OAuthIdentity,
    OutboxMessage,
    Presence,
    Profile,
    SignInRequest,
    SignInTicket,
    UniqueUrl,
    User,
    utcnow,
)
from session_app.passkey_models import Passkey, PasskeyChallenge

STEPS = ("sessions", "files", "sign-in", "profile", "farewell", "account")
LEASE = dt.timedelta(minutes=5)  # renewed at every step; a step takes well under a second

log = logging.getLogger(__name__)


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
        expires_at = now + tokens.DELETION_CONFIRM_TTL
        db.add(
            AccountDeletion(
                user_id=user_id,
                confirm_hash=tokens.hash_token(token),
                requested_at=now,
                expires_at=expires_at,
            )
        )
        link = routes.absolute(link_base_url, routes.deletion_confirmation(token))
        env = get_environment()
        email = deletion_confirmation_email(link=link, grace_days=env.deletion_grace_days)
        keep = env.email_backend == "outbox"  # the dev mailbox keeps its mail
        outbox.enqueue(db, user.email, email, not_after=expires_at, scrub_after_send=not keep)
        audit(db, "deletion requested", user_id)
    outbox.wake()


def confirm_deletion(token: str) -> dt.datetime | None:
    """The emailed link's button: schedule the deletion and tell the privacy team."""
    if not tokens.plausible(token):
        return None
    env = get_environment()
    with write_session() as db:
        request = use_once(db, AccountDeletion, col(AccountDeletion.confirm_hash) == tokens.hash_token(token))
        if request is None or request.cancelled_at is not None:
            return None
        request.scheduled_for = utcnow() + dt.timedelta(days=env.deletion_grace_days)
        scheduled_email = deletion_scheduled_email(
            request_id=request.id, account=request.user_id, scheduled_for=request.scheduled_for
        )
        outbox.enqueue(db, env.privacy_email, scheduled_email)
        due = f"{request.scheduled_for:%Y-%m-%d %H:%M} UTC"
        audit(db, "deletion confirmed", request.user_id, f"request {request.id}, due {due}")
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
        ids = db.exec(
            select(AccountDeletion.id)
            .where(col(AccountDeletion.scheduled_for) <= now)
            .where(col(AccountDeletion.cancelled_at).is_(None))
            .where(col(AccountDeletion.completed_at).is_(None))
        ).all()
    return [deletion_id for deletion_id in ids if deletion_id is not None]


def execute_deletion(deletion_id: int, files: Store) -> bool:
    """Carry out a confirmed deletion, resuming after the last finished step; True once
    it is complete. One runner at a time holds it (a lease, see leases.py): a runner
    that finds it held elsewhere returns False and leaves it alone."""
    with read_session() as db:
        request = db.get(AccountDeletion, deletion_id)
    if request is None or request.cancelled_at is not None or request.scheduled_for is None:
        return False
    if request.completed_at is not None:
        return True
    with write_session() as db:
        token = leases.claim(
            db, AccountDeletion, deletion_id, LEASE, col(AccountDeletion.completed_at).is_(None)
        )
        if token is None:
            return False
        row = db.get(AccountDeletion, deletion_id)
        assert row is not None  # deletion rows are never deleted
        done = set(filter(None, row.done_steps.split(",")))
    for step in STEPS:
        if step in done:
            continue
        # Each step's database work commits with its mark, under a lease still held:
        # a step is done exactly once, and a runner that lost its lease stops.
        with write_session() as db:
            if not leases.renew(db, AccountDeletion, deletion_id, token, LEASE):
                log.warning(
                    "deletion %s: lease lost before step %s; another runner has it", deletion_id, step
                )
                return False
            _STEP_FUNCTIONS[step](db, request.user_id, files)
            row = db.get(AccountDeletion, deletion_id)
            assert row is not None
            done.add(step)
            row.done_steps = ",".join(s for s in STEPS if s in done)
            if step == STEPS[-1]:
                row.completed_at = utcnow()
                audit(db, "account deleted", None, f"request {deletion_id}")
                leases.release(db, AccountDeletion, deletion_id, token)
        _maybe_die_after(step)
    return True


def _maybe_die_after(step: str) -> None:
    """Fault injection for the resumability test: DELETION_KILL_AFTER=<step>."""
    if os.environ.get("DELETION_KILL_AFTER") == step:
        os.kill(os.getpid(), 9)


def _revoke_sessions(db: Session, user_id: int, _files: Store) -> None:
    db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user_id))


def _delete_files(_db: Session, user_id: int, files: Store) -> None:
    profile_photos.remove_all(files, user_id)  # idempotent: deleting nothing is fine


def _delete_sign_in(db: Session, user_id: int, _files: Store) -> None:
    user = db.get(User, user_id)
    db.exec(delete(SignInTicket).where(col(SignInTicket.user_id) == user_id))
    db.exec(delete(OAuthIdentity).where(col(OAuthIdentity.user_id) == user_id))
    db.exec(delete(GoogleLinkRequest).where(col(GoogleLinkRequest.user_id) == user_id))
    db.exec(delete(Passkey).where(col(Passkey.user_id) == user_id))
    db.exec(delete(PasskeyChallenge).where(col(PasskeyChallenge.user_id) == user_id))
    if user is not None:
        db.exec(delete(SignInRequest).where(col(SignInRequest.email_key) == user.email_key))


def _delete_profile(db: Session, user_id: int, _files: Store) -> None:
    db.exec(delete(Presence).where(col(Presence.user_id) == user_id))  # their name in others' lobbies
    db.exec(delete(Profile).where(col(Profile.user_id) == user_id))


def _farewell(db: Session, user_id: int, _files: Store) -> None:
    user = db.get(User, user_id)
    if user is None:
        return
    # Earlier mail to the address goes too; the goodbye forgets its recipient once sent.
    db.exec(delete(OutboxMessage).where(col(OutboxMessage.recipient) == user.email))
    outbox.enqueue(db, user.email, account_deleted_email(), scrub_after_send=True)


def _delete_account(db: Session, user_id: int, _files: Store) -> None:
    # The URL row stays with no owner (ON DELETE SET NULL): retired for good.
    db.exec(delete(User).where(col(User.id) == user_id))


_STEP_FUNCTIONS = {
    "sessions": _revoke_sessions,
    "files": _delete_files,
    "sign-in": _delete_sign_in,
    "profile": _delete_profile,
    "farewell": _farewell,
    "account": _delete_account,
}
