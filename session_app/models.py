"""The database tables, as plain SQLModel classes; Alembic migrates them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """Now, as an aware UTC datetime (SQLModel's timestamp columns require one)."""
    return dt.datetime.now(dt.UTC)


class User(SQLModel, table=True):
    """An account. One email address reaches exactly one account."""

    __tablename__ = "user_account"
    # Never reuse the id of a deleted account (SQLite would, without AUTOINCREMENT).
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    # The address as mail is delivered to it (ASCII, IDNA domain).
    email: str = Field(max_length=254)
    # The lookup key: the whole address lower-cased (see auth/emails.py).
    email_key: str = Field(max_length=254, sa_column_kwargs={"unique": True})
    created_at: dt.datetime = Field(default_factory=utcnow)


class SignInRequest(SQLModel, table=True):
    """One sign-in email: its magic link and its 6-digit code, stored only as hashes."""

    __tablename__ = "sign_in_request"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=254, index=True)
    link_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    code_salt: str = Field(max_length=32)
    code_hash: str = Field(max_length=64)
    failed_codes: int = Field(default=0)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
    # Set once, atomically, when the link or the code is used, or when a newer
    # request for the same address replaces this one.
    used_at: dt.datetime | None = Field(default=None)


class SignInTicket(SQLModel, table=True):
    """A one-time pass from a websocket sign-in (the code form) to the cookie route."""

    __tablename__ = "sign_in_ticket"

    id: int | None = Field(default=None, primary_key=True)
    ticket_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    )
    expires_at: dt.datetime
    used_at: dt.datetime | None = Field(default=None)


class AuthSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds the token; only its SHA-256 is here."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    # The absolute end, however active the session is.
    expires_at: dt.datetime
    user_agent: str = Field(default="", max_length=300)


class Leased(SQLModel):
    """The columns of a worker's lease (leases.py): background work that must happen
    once, whatever the number of workers."""

    claimed_until: dt.datetime | None = Field(default=None)
    claim_token: str | None = Field(default=None, max_length=32)
    claimed_by: str | None = Field(default=None, max_length=100)


class OutboxMessage(Leased, table=True):
    """An email waiting for, or done with, delivery. Written before any send."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    text_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    html_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
    # A message worthless after this moment (an expired sign-in link) is not sent late.
    not_after: dt.datetime | None = Field(default=None)
    attempts: int = Field(default=0)
    next_attempt_at: dt.datetime = Field(default_factory=utcnow, index=True)
    sent_at: dt.datetime | None = Field(default=None)
    # "sent", "expired" or "failed" once done; "" while still queued.
    outcome: str = Field(default="", max_length=20, index=True)
    last_error: str = Field(default="", max_length=200)
    # Once sent, forget the recipient and the content (the goodbye email of a deleted account).
    scrub_after_send: bool = Field(default=False)


class Profile(SQLModel, table=True):
    """What a person set up in onboarding; onboarding_step is its source of truth."""

    __tablename__ = "profile"

    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
        )
    )
    # 1 use case, 2 display name, 3 unique URL, 4 finished (set with the URL claim).
    onboarding_step: int = Field(default=1)
    use_case: str | None = Field(default=None, max_length=40)
    display_name: str | None = Field(default=None, max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow)
    onboarded_at: dt.datetime | None = Field(default=None)
    # Settings. The avatar's files are named after avatar_stem (random, see media/avatars.py).
    avatar_stem: str | None = Field(default=None, max_length=40)
    theme: str = Field(default="system", max_length=10)
    time_zone: str = Field(default="", max_length=64)
    notifications: bool = Field(default=False)
    # The photo Google gave at sign-in (offered as the avatar; fetched only on request).
    google_picture: str | None = Field(default=None, max_length=500)
    # "Sign in faster with a passkey" on the dashboard: never again once dismissed.
    passkey_offer_dismissed: bool = Field(default=False)


class UniqueUrl(SQLModel, table=True):
    """A claimed URL. Rows are only ever inserted: the primary key makes a URL one
    person's, database triggers refuse to change or delete it, and when its owner's
    account goes the row stays (owner NULL) so nobody can take the URL over."""

    __tablename__ = "unique_url"

    url: str = Field(primary_key=True, max_length=30)
    user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="SET NULL"), unique=True, nullable=True
        ),
    )
    claimed_at: dt.datetime = Field(default_factory=utcnow)


class OAuthAttempt(SQLModel, table=True):
    """One "Continue with Google" in progress: single use, 10 minutes, and bound to
    the browser that started it (the hash of an HttpOnly cookie). The PKCE verifier
    must be kept until the callback; no provider token is ever stored."""

    __tablename__ = "oauth_attempt"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    browser_hash: str = Field(max_length=64)
    nonce: str = Field(max_length=64)
    code_verifier: str = Field(max_length=128)
    next_path: str = Field(default="", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
    used_at: dt.datetime | None = Field(default=None)


class OAuthIdentity(SQLModel, table=True):
    """A Google (or other OpenID) account linked to a user, by issuer and subject."""

    __tablename__ = "oauth_identity"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject", name="uq_oauth_identity_issuer_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=200)
    subject: str = Field(max_length=255)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: dt.datetime = Field(default_factory=utcnow)


class GoogleLinkRequest(SQLModel, table=True):
    """A Google account waiting to be linked to an existing account whose address
    Google does not vouch for (SECURITY.md B6): linked only once the person opens the
    link emailed to that address and presses its button. Single use."""

    __tablename__ = "google_link_request"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    issuer: str = Field(max_length=200)
    subject: str = Field(max_length=255)
    confirm_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
    used_at: dt.datetime | None = Field(default=None)


class AccountDeletion(Leased, table=True):
    """A request to delete an account: confirmed by email, carried out after a grace
    period. `done_steps` records progress, so an interrupted deletion resumes."""

    __tablename__ = "account_deletion"

    id: int | None = Field(default=None, primary_key=True)
    # No foreign key: the row outlives the account it deletes (it holds no personal data).
    user_id: int = Field(index=True)
    confirm_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    requested_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime  # of the confirmation link
    used_at: dt.datetime | None = Field(default=None)  # when the link was used (confirmed)
    scheduled_for: dt.datetime | None = Field(default=None)
    cancelled_at: dt.datetime | None = Field(default=None)
    completed_at: dt.datetime | None = Field(default=None)
    done_steps: str = Field(default="", max_length=200)


class AuditEvent(SQLModel, table=True):
    """What happened to an account, for the operators: never an address, token or name."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    action: str = Field(max_length=60)
    account: int | None = Field(default=None, index=True)
    detail: str = Field(default="", max_length=200)


class Room(SQLModel, table=True):
    """A host's room (permanent) or session (scheduled), at /<host url>/<slug> for good."""

    __tablename__ = "room"
    __table_args__ = (sa.UniqueConstraint("host_id", "slug", name="uq_room_host_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    host_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    slug: str = Field(max_length=30)
    name: str = Field(max_length=80)
    kind: str = Field(default="room", max_length=10)  # "room" or "session"
    starts_at: dt.datetime | None = Field(default=None)
    duration_minutes: int | None = Field(default=None)
    locked: bool = Field(default=False)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_used_at: dt.datetime = Field(default_factory=utcnow)


class Presence(SQLModel, table=True):
    """Someone in (or knocking at) a room, for as long as their tab keeps beating."""

    __tablename__ = "presence"
    __table_args__ = (sa.UniqueConstraint("room_id", "tab_key", name="uq_presence_room_tab"),)

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("room.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    tab_key: str = Field(max_length=64)  # a hash of the browser tab's token
    user_id: int | None = Field(default=None)
    display_name: str = Field(max_length=200)
    colour: str = Field(default="violet", max_length=20)
    is_host: bool = Field(default=False)
    status: str = Field(default="in", max_length=10)  # "in", "waiting" or "declined"
    joined_at: dt.datetime = Field(default_factory=utcnow)
    last_seen: dt.datetime = Field(default_factory=utcnow, index=True)
    notified: bool = Field(default=False)  # the host was told about this arrival
