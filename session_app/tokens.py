"""Single-use secrets: make them, hash them for storage, check them, and how long each lives.

Link tokens and session tokens carry 256 bits, so a plain SHA-256 is enough at rest.
A 6-digit code has only ~20 bits: it is stored as HMAC-SHA256 with the server's
secret key and a per-row salt, so a leaked table alone cannot be brute-forced.
Using a secret up, exactly once, is db.use_once: it is one conditional UPDATE on the
secret's own row, so it stays with the other database access.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import TypeGuard

# How long each single-use secret lives.
LINK_TTL = dt.timedelta(minutes=10)  # the emailed sign-in link
CODE_TTL = LINK_TTL  # one email carries both; both expire together
TICKET_TTL = dt.timedelta(seconds=60)  # from an accepted code to the cookie route
GOOGLE_ATTEMPT_TTL = dt.timedelta(minutes=10)  # from "Continue with Google" to its callback
GOOGLE_LINK_TTL = dt.timedelta(hours=1)  # the emailed "link Google to your account" link (B6)
DELETION_CONFIRM_TTL = dt.timedelta(hours=24)  # the emailed "confirm deleting your account" link

CODE_ATTEMPTS = 5
CODE_DIGITS = 6

# Our tokens are 43 characters; anything much longer is not one of ours, and is refused
# before it is hashed or sent to the database.
MAX_TOKEN_LENGTH = 100


def new_token() -> str:
    """A 256-bit URL-safe secret (43 characters)."""
    return secrets.token_urlsafe(32)


def plausible(token: str | None) -> TypeGuard[str]:
    """Whether a presented token could be one of ours (cheap, before any lookup)."""
    return token is not None and 0 < len(token) <= MAX_TOKEN_LENGTH


def hash_token(token: str) -> str:
    """What is stored for a high-entropy token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    """Six digits from the OS's CSPRNG, leading zeros kept."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_salt() -> str:
    return secrets.token_hex(16)


def hash_code(code: str, salt: str, key: str) -> str:
    """What is stored for a one-time code: keyed by the server secret, salted per row."""
    return hmac.new(key.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(code: str, salt: str, key: str, stored: str) -> bool:
    return hmac.compare_digest(hash_code(code, salt, key), stored)


def clean_code(raw: str) -> str | None:
    """The code as typed, with spaces removed; None unless exactly six ASCII digits."""
    code = raw.replace(" ", "")
    if len(code) == CODE_DIGITS and code.isascii() and code.isdigit():
        return code
    return None
