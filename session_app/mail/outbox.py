"""The outbox: every email is a row first, then a delivery with retries.

A request that sends mail only inserts a row, in the same transaction as whatever
the mail is about, so a crash or an SMTP outage never loses a message and the
answer a person sees never waits on (or reveals anything through) the mail server.
A loop in each backend process delivers due rows. Each message is claimed with its
own lease the moment it is picked (leases.py), longer than a delivery can take, and
the lease is checked again before the outcome is written: so two workers never send
the same message, however slow the mail server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum

from sqlmodel import Session, col, select

from session_app import leases
from session_app.db import read_session, write_session
from session_app.environment import Environment, get_environment
from session_app.mail import backends
from session_app.mail.templates import RenderedEmail
from session_app.models import OutboxMessage, utcnow


class Outcome(StrEnum):
    """What became of a message (outbox_message.outcome)."""

    PENDING = ""
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"


log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
FIRST_RETRY = dt.timedelta(seconds=5)
LONGEST_RETRY = dt.timedelta(minutes=10)
GIVE_UP_AFTER = 20  # attempts; with the backoff above, about 2.5 hours
CONCURRENT = 8  # deliveries at once per process, each in its own thread

_wake: asyncio.Event | None = None
_loop: asyncio.AbstractEventLoop | None = None  # the loop _wake belongs to


def enqueue(
    db: Session,
    recipient: str,
    email: RenderedEmail,
    not_after: dt.datetime | None = None,
    *,
    scrub_after_send: bool = False,
) -> None:
    """Queue one message to one recipient, inside the caller's transaction."""
    db.add(
        OutboxMessage(
            recipient=recipient,
            subject=email.subject,
            text_body=email.text,
            html_body=email.html,
            not_after=not_after,
            scrub_after_send=scrub_after_send,
        )
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """5 s, 10 s, 20 s … doubling up to 10 minutes."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_RETRY)


def lease(env: Environment) -> dt.timedelta:
    """Longer than any delivery: smtplib's timeout bounds each step of the few a
    message takes (connect, greet, TLS, login, envelope, data, quit)."""
    return dt.timedelta(seconds=max(60, 10 * env.smtp_timeout))


def deliver_due(now: dt.datetime | None = None) -> int:
    """Try every message that is due once, up to CONCURRENT at a time (a slow mail
    server holds no sign-in code behind a queue); returns how many were sent. Blocking."""
    env = get_environment()
    now = now or utcnow()
    with read_session() as db:
        due = db.exec(
            select(OutboxMessage.id)
            .where(OutboxMessage.outcome == Outcome.PENDING)
            .where(OutboxMessage.next_attempt_at <= now)
            .order_by(col(OutboxMessage.id))
            .limit(CONCURRENT)
        ).all()
    if len(due) <= 1:
        return sum(_deliver(message_id, env) for message_id in due if message_id is not None)
    with ThreadPoolExecutor(max_workers=len(due), thread_name_prefix="outbox") as pool:
        return sum(pool.map(lambda message_id: _deliver(message_id, env), due))


def _deliver(message_id: int, env: Environment) -> bool:
    """Claim one message (now, not when the batch was read) and try it once."""
    with write_session() as db:
        token = leases.claim(db, OutboxMessage, message_id, lease(env), col(OutboxMessage.outcome) == "")
        message = db.get(OutboxMessage, message_id) if token else None
    if token is None or message is None:
        return False
    if message.not_after is not None and message.not_after <= utcnow():
        _finish(message_id, token, outcome=Outcome.EXPIRED, error="expired before delivery")
        return False
    try:
        backends.deliver(message, env)
    except backends.PermanentFailure as exc:
        log.warning("email %s refused for good: %s", message_id, exc)
        _finish(message_id, token, outcome=Outcome.FAILED, error=str(exc))
    except backends.TemporaryFailure as exc:
        log.warning("email %s not delivered yet (attempt %s): %s", message_id, message.attempts + 1, exc)
        _retry_later(message_id, token, message.attempts + 1, str(exc))
    else:
        return _finish(message_id, token, outcome=Outcome.SENT, error="")
    return False


def _finish(message_id: int, token: str, *, outcome: str, error: str) -> bool:
    """Record the outcome if this worker still holds the message (fencing)."""
    with write_session() as db:
        if not leases.renew(db, OutboxMessage, message_id, token, dt.timedelta(0)):
            log.warning("email %s: lease lost before its outcome (%s) was written", message_id, outcome)
            return False
        message = db.get(OutboxMessage, message_id)
        assert message is not None
        message.outcome = outcome
        message.last_error = error[:200]
        message.attempts += 1
        if outcome == Outcome.SENT:
            message.sent_at = utcnow()
        if message.scrub_after_send:
            message.recipient = message.subject = message.text_body = message.html_body = "[deleted]"
        leases.release(db, OutboxMessage, message_id, token)
    return True


def _retry_later(message_id: int, token: str, attempts: int, error: str) -> None:
    with write_session() as db:
        if not leases.renew(db, OutboxMessage, message_id, token, dt.timedelta(0)):
            log.warning("email %s: lease lost before its retry was scheduled", message_id)
            return
        message = db.get(OutboxMessage, message_id)
        assert message is not None
        message.attempts = attempts
        message.last_error = error[:200]
        if attempts >= GIVE_UP_AFTER:
            message.outcome = Outcome.FAILED
        else:
            message.next_attempt_at = utcnow() + retry_delay(attempts)
        leases.release(db, OutboxMessage, message_id, token)


def wake() -> None:
    """Ask this process's delivery loop to look now instead of at its next poll.

    Callable from any thread (the domain runs in threads): an asyncio.Event may only
    be set on its own loop."""
    if _wake is None or _loop is None:
        return
    try:
        if asyncio.get_running_loop() is _loop:
            _wake.set()
            return
    except RuntimeError:
        pass  # a worker thread: no loop of its own
    try:
        _loop.call_soon_threadsafe(_wake.set)
    except RuntimeError:
        pass  # the loop has closed (shutting down): the next start delivers


async def run_delivery_loop() -> None:
    """Deliver queued mail for as long as the app runs (a Reflex lifespan task)."""
    global _wake, _loop
    _wake, _loop = asyncio.Event(), asyncio.get_running_loop()
    while True:
        try:
            await asyncio.to_thread(deliver_due)
        except asyncio.CancelledError:
            raise
        except RuntimeError as exc:
            if "shutdown" in str(exc):
                return  # the server is stopping: its thread pool takes no more work
            log.exception("email delivery loop failed; retrying")
        except Exception:
            # A database hiccup must not stop mail for good; the next poll retries.
            log.exception("email delivery loop failed; retrying")
        try:
            await asyncio.wait_for(_wake.wait(), timeout=POLL_SECONDS)
        except TimeoutError:
            pass
        _wake.clear()


def recent_messages(limit: int = 30) -> list[OutboxMessage]:
    """The newest messages first: what the development mailbox shows."""
    with read_session() as db:
        return list(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)).all())
