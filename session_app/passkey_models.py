"""The passkey tables (WebAuthn, auth/passkeys.py), beside models.py; Alembic
migrates them too."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from session_app.models import utcnow


class Passkey(SQLModel, table=True):
    """A public-key credential that signs in to exactly one account. Only the public
    key is here; the private key never leaves the person's authenticator."""

    __tablename__ = "passkey"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # base64url of the credential ID (at most 1023 bytes); unique across accounts.
    credential_id: str = Field(max_length=1400, sa_column_kwargs={"unique": True})
    # base64url of the WebAuthn user handle the credential was made for (no personal data).
    user_handle: str = Field(max_length=100)
    public_key: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    sign_count: int = Field(default=0, sa_type=sa.BigInteger)
    transports: str = Field(default="", max_length=200)  # comma-separated hints
    backup_eligible: bool = Field(default=False)  # a synced (multi-device) passkey
    backed_up: bool = Field(default=False)
    aaguid: str = Field(default="", max_length=36)
    name: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_used_at: dt.datetime | None = Field(default=None)


class PasskeyChallenge(SQLModel, table=True):
    """One ceremony in progress: its random challenge, single use, short-lived, and
    bound to the browser tab that asked (the hash of its Reflex client token)."""

    __tablename__ = "passkey_challenge"

    id: int | None = Field(default=None, primary_key=True)
    challenge: str = Field(max_length=64, sa_column_kwargs={"unique": True})  # base64url, 32 bytes
    tab_hash: str = Field(max_length=64)
    purpose: str = Field(max_length=10)  # "register" or "sign-in"
    user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True),
    )
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime = Field(index=True)
    used_at: dt.datetime | None = Field(default=None)
