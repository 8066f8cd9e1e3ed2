"""Secrets that sign people in: make them, hash them for storage, compare them.

Link tokens and session tokens carry 256 bits, so a plain SHA-256 is enough at rest.
A 6-digit code has only ~20 bits: it is stored as HMAC-SHA256 with the server's
secret key and a per-row salt, so a leaked table alone cannot be brute-forced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

LINK_TTL = dt.timedelta(minutes=10)
CODE_TTL = LINK_TTL  # one email carries both; both expire together
CODE_ATTEMPTS = 5
CODE_DIGITS = 6
TICKET_TTL = dt.timedelta(seconds=60)


def new_token() -> str:
    """A 256-bit URL-safe secret (43 characters)."""
    return secrets.token_urlsafe(32)


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
