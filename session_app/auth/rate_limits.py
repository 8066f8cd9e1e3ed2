"""Rate limits on sign-in emails, per address and per client IP (SECURITY.md A9), and
on passkey ceremonies per client IP.

Reflex handlers run over the websocket, where HTTP middleware never sees them, so
the handlers call `limits` directly. The storage comes from the environment: in memory for
one backend process (the default), Redis when several share the counters.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import threading
import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from session_app.environment import get_environment

EMAIL_PER_15_MIN = parse("3/15 minutes")
EMAIL_PER_DAY = parse("10/day")
IP_PER_15_MIN = parse("20/15 minutes")
AVATARS_PER_HOUR = parse("20/hour")
# Passkey ceremonies (each stores a challenge): the sign-in page starts one per visit.
PASSKEY_PER_15_MIN = parse("60/15 minutes")
# Codes across every request of one address (A9: a 6-digit code is guessable at scale).
CODE_FAILURES_PER_DAY = parse("100/day")
CODES_SUSPENDED_FOR = parse("1/hour")  # a marker: present while codes rest


@dataclasses.dataclass(frozen=True)
class Refusal:
    retry_after_seconds: int
    what: str = "sign-in emails"
    by_client: bool = False  # the client's own limit, not the address's or account's

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after_seconds / 60))
        unit = "minute" if minutes == 1 else "minutes"
        if minutes > 90:
            hours = math.ceil(minutes / 60)
            return f"Too many {self.what} for now. Try again in {hours} hours."
        return f"Too many {self.what} for now. Try again in {minutes} {unit}."


@functools.cache
def _limiter() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(get_environment().rate_limit_storage))


def reset() -> None:
    """Start again with empty counters (tests), in memory or in the shared Redis."""
    _limiter.cache_clear()
    _limiter().storage.reset()


def _checks(email_key: str, client_ip: str) -> list[tuple[RateLimitItem, str]]:
    checks = [(EMAIL_PER_15_MIN, f"email:{email_key}"), (EMAIL_PER_DAY, f"email:{email_key}")]
    if client_ip:
        checks.append((IP_PER_15_MIN, f"ip:{client_ip}"))
    return checks


# Test-then-hit must not interleave between threads of one process (handlers call the
# domain in threads); several processes share Redis, where `limits` counts atomically.
_COUNTING = threading.Lock()


def _allow(namespace: str, checks: list[tuple[RateLimitItem, str]], what: str) -> Refusal | None:
    """Count one action against every limit, or say how long to wait if one is full."""
    with _COUNTING:
        return _count(namespace, checks, what)


def _count(namespace: str, checks: list[tuple[RateLimitItem, str]], what: str) -> Refusal | None:
    limiter = _limiter()
    full = [(item, key) for item, key in checks if not limiter.test(item, namespace, key)]
    if full:
        waits = [
            limiter.get_window_stats(item, namespace, key).reset_time - time.time() for item, key in full
        ]
        by_client = any(key.startswith("ip:") for _, key in full)
        return Refusal(retry_after_seconds=max(1, math.ceil(max(waits))), what=what, by_client=by_client)
    for item, key in checks:
        limiter.hit(item, namespace, key)
    return None


def allow_sign_in_email(email_key: str, client_ip: str) -> Refusal | None:
    """Count one sign-in email, or say how long to wait when a limit is reached."""
    return _allow("sign-in", _checks(email_key, client_ip), "sign-in emails")


def allow_avatar_upload(user_id: int) -> Refusal | None:
    """Count one new photo for an account (SECURITY.md E7: replacements per hour)."""
    return _allow("avatar", [(AVATARS_PER_HOUR, f"user:{user_id}")], "photo uploads")


def allow_passkey_ceremony(client_ip: str) -> Refusal | None:
    """Count one passkey ceremony (a stored challenge) for a client."""
    return _allow("passkey", [(PASSKEY_PER_15_MIN, f"ip:{client_ip}")], "passkey attempts")


def codes_suspended(email_key: str) -> bool:
    """Whether codes for this address are resting after too many wrong ones."""
    return not _limiter().test(CODES_SUSPENDED_FOR, "codes-suspended", email_key)


def count_failed_code(email_key: str) -> bool:
    """Count one wrong code for the address; True when this one suspends codes (the
    100th in a day), which then rest for an hour while links keep working."""
    with _COUNTING:
        limiter = _limiter()
        limiter.hit(CODE_FAILURES_PER_DAY, "code-failures", email_key)
        if limiter.test(CODE_FAILURES_PER_DAY, "code-failures", email_key):
            return False
        limiter.clear(CODE_FAILURES_PER_DAY, "code-failures", email_key)
        return limiter.hit(CODES_SUSPENDED_FOR, "codes-suspended", email_key)
