"""Password-less sign-in: issue the email, then accept its link or its code, once.

One request carries a magic link and a 6-digit code; either signs in, once, within
LINK_TTL. The newest LIVE_PER_ADDRESS requests for an address stay live, so emails a
stranger triggers are usable by the owner, and when the address's limit is full with
no live email left, one more is sent anyway: whatever a stranger does, the owner can
sign in by email within a minute, and mail to one address stays bounded (one per
LINK_TTL beyond the limit). Codes work only in the tab that asked. Accounts are
created when an address is first confirmed, never when it is merely typed, and the
answer to a request is the same whether or not the address has an account.
"""

from __future__ import annotations

import dataclasses
import enum
import logging

import sqlalchemy.exc
from sqlmodel import Session, col, select, update

from session_app import routes, tokens
from session_app.auth.emails import EmailAddress
from session_app.auth.rate_limits import allow_sign_in_email, codes_suspended, count_failed_code
from session_app.auth.sessions import create_session
from session_app.db import read_session, use_once, write_session
from session_app.environment import get_environment
from session_app.mail import outbox
from session_app.mail.templates import codes_suspended_email, sign_in_email
from session_app.models import SignInRequest, SignInTicket, User, utcnow

log = logging.getLogger(__name__)


LIVE_PER_ADDRESS = 3  # the address limit's burst: every email of a burst stays usable


def _has_live_request(email_key: str) -> bool:
    with read_session() as db:
        found = db.exec(
            select(SignInRequest.id)
            .where(col(SignInRequest.email_key) == email_key)
            .where(col(SignInRequest.used_at).is_(None))
            .where(col(SignInRequest.expires_at) > utcnow())
        ).first()
    return found is not None


class TooManyEmails(Exception):
    """The address or the client asked too often (SECURITY.md A9); the message says
    how long to wait, for the person."""


def issue_sign_in_email(email: EmailAddress, link_base_url: str, client_ip: str = "") -> int:
    """Replace any pending request for the address, store a new one, queue its email.

    Counts against the rate limits first, whoever calls (TooManyEmails when one is
    full). Returns the request's id, which only the browser tab that asked keeps (the
    code is valid only there). The link's origin is the configured one, never a Host
    header.
    """
    refusal = allow_sign_in_email(email.key, client_ip)
    if refusal is not None and (refusal.by_client or _has_live_request(email.key)):
        raise TooManyEmails(
            f"{refusal.message} Or open the newest sign-in email we sent: its link still works."
        )
    token, code, salt = tokens.new_token(), tokens.new_code(), tokens.new_salt()
    now = utcnow()
    expires_at = now + tokens.LINK_TTL
    with write_session() as db:
        # Keep the newest few live; void the rest (a burst of requests leaves a few links).
        live = db.exec(
            select(SignInRequest.id)
            .where(col(SignInRequest.email_key) == email.key)
            .where(col(SignInRequest.used_at).is_(None))
            .order_by(col(SignInRequest.id).desc())
        ).all()
        voided = list(live[LIVE_PER_ADDRESS - 1 :])
        if voided:
            db.exec(update(SignInRequest).where(col(SignInRequest.id).in_(voided)).values(used_at=now))
        request = SignInRequest(
            email=email.address,
            email_key=email.key,
            link_hash=tokens.hash_token(token),
            code_salt=salt,
            code_hash=tokens.hash_code(code, salt, get_environment().secret_key),
            created_at=now,
            expires_at=expires_at,
        )
        db.add(request)
        is_new = db.exec(select(User.id).where(User.email_key == email.key)).first() is None
        rendered = sign_in_email(
            address=email.address,
            link=routes.absolute(link_base_url, routes.magic_link(token)),
            code=code,
            is_new_account=is_new,
            minutes=int(tokens.LINK_TTL.total_seconds() // 60),
        )
        # The message holds a live link and code: forget it once delivered or expired
        # (A2). The local outbox backend is the development mailbox, so it keeps them.
        keep = get_environment().email_backend == "outbox"
        outbox.enqueue(db, email.address, rendered, not_after=expires_at, scrub_after_send=not keep)
        db.flush()
        assert request.id is not None
        request_id = request.id
    log.info("sign-in email requested for %s", email.masked)
    outbox.wake()
    return request_id


def _user_for(db: Session, email: str, email_key: str) -> User:
    """The account for an address, created on first confirmation."""
    user = db.exec(select(User).where(User.email_key == email_key)).first()
    if user is not None:
        return user
    try:
        with db.begin_nested():
            user = User(email=email, email_key=email_key)
            db.add(user)
    except sqlalchemy.exc.IntegrityError:
        # Another transaction created it first (PostgreSQL; SQLite queues writers).
        user = db.exec(select(User).where(User.email_key == email_key)).one()
    return user


def _masked(request: SignInRequest) -> str:
    return EmailAddress(address=request.email, key=request.email_key).masked


def peek_magic_link(token: str) -> str | None:
    """The masked address a link would sign in, without using it (for GET and HEAD)."""
    if not tokens.plausible(token):
        return None
    with read_session() as db:
        request = db.exec(
            select(SignInRequest).where(SignInRequest.link_hash == tokens.hash_token(token))
        ).first()
    if request is None or request.used_at is not None or request.expires_at <= utcnow():
        return None
    return EmailAddress(address=request.email, key=request.email_key).masked


def is_pending(request_id: int | None) -> bool:
    """Whether a request can still be completed with its code."""
    if request_id is None:
        return False
    with read_session() as db:
        request = db.get(SignInRequest, request_id)
    return request is not None and request.used_at is None and request.expires_at > utcnow()


def confirm_magic_link(token: str, user_agent: str = "") -> str | None:
    """Use a link: returns a new session token, or None if the link is not live."""
    if not tokens.plausible(token):
        return None
    with write_session() as db:
        request = use_once(db, SignInRequest, col(SignInRequest.link_hash) == tokens.hash_token(token))
        if request is None:
            return None
        user = _user_for(db, request.email, request.email_key)
        assert user.id is not None
        session_token = create_session(db, user.id, user_agent)
    log.info("signed in by link: user %s", user.id)
    return session_token


class CodeOutcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"  # used, replaced, timed out, or voided by wrong guesses
    SUSPENDED = "suspended"  # too many wrong codes for the address today: links only


@dataclasses.dataclass(frozen=True)
class CodeResult:
    outcome: CodeOutcome
    ticket: str | None = None
    attempts_left: int = 0


def verify_code(request_id: int, raw_code: str) -> CodeResult:
    """Check a typed code against the request this browser tab made.

    Every wrong or malformed code counts; the CODE_ATTEMPTS-th voids the request.
    A right one gives a one-time ticket for the cookie route (a websocket event
    cannot set an HttpOnly cookie itself).
    """
    code = tokens.clean_code(raw_code)
    now = utcnow()
    with write_session() as db:
        request = db.get(SignInRequest, request_id)
        if request is None or request.used_at is not None or request.expires_at <= now:
            return CodeResult(CodeOutcome.EXPIRED)
        if codes_suspended(request.email_key):
            return CodeResult(CodeOutcome.SUSPENDED)
        key = get_environment().secret_key
        if code is None or not tokens.code_matches(code, request.code_salt, key, request.code_hash):
            request.failed_codes += 1
            if count_failed_code(request.email_key):
                # Guessing across many requests (SECURITY.md A9): codes rest, links work.
                log.warning("sign-in codes suspended for %s after many wrong codes", _masked(request))
                outbox.enqueue(db, request.email, codes_suspended_email(hours=1))
                outbox.wake()
            if request.failed_codes >= tokens.CODE_ATTEMPTS:
                request.used_at = now
                log.info("sign-in code voided after %s wrong tries", request.failed_codes)
                return CodeResult(CodeOutcome.EXPIRED)
            return CodeResult(CodeOutcome.WRONG, attempts_left=tokens.CODE_ATTEMPTS - request.failed_codes)
        if use_once(db, SignInRequest, col(SignInRequest.id) == request_id) is None:
            return CodeResult(CodeOutcome.EXPIRED)
        user = _user_for(db, request.email, request.email_key)
        assert user.id is not None
        ticket = new_ticket(db, user.id)
    log.info("sign-in code accepted: user %s", user.id)
    return CodeResult(CodeOutcome.ACCEPTED, ticket=ticket)


def new_ticket(db: Session, user_id: int) -> str:
    """A one-time pass from a websocket sign-in (a code, a passkey) to the cookie
    route, inside the caller's transaction."""
    ticket = tokens.new_token()
    db.add(
        SignInTicket(
            ticket_hash=tokens.hash_token(ticket), user_id=user_id, expires_at=utcnow() + tokens.TICKET_TTL
        )
    )
    return ticket


def redeem_ticket(ticket: str, user_agent: str = "") -> str | None:
    """Swap a live ticket for a new session token, once."""
    if not tokens.plausible(ticket):
        return None
    with write_session() as db:
        used = use_once(db, SignInTicket, col(SignInTicket.ticket_hash) == tokens.hash_token(ticket))
        if used is None:
            return None
        return create_session(db, used.user_id, user_agent)
