"""auth/rate_limits.py: per address and per client IP (SECURITY.md A9)."""

from __future__ import annotations

import datetime as dt

import time_machine

from session_app.auth.rate_limits import allow_passkey_ceremony, allow_sign_in_email


def test_fourth_email_in_15_minutes_is_refused_with_when_to_retry(app_env):
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False) as traveller:
        for _ in range(3):
            assert allow_sign_in_email("jane@example.com", "10.0.0.1") is None
            traveller.shift(dt.timedelta(minutes=1))
        refusal = allow_sign_in_email("jane@example.com", "10.0.0.1")
        assert refusal is not None
        assert refusal.message == "Too many sign-in emails for now. Try again in 12 minutes."
        # Another address from the same IP is still fine.
        assert allow_sign_in_email("bob@example.com", "10.0.0.1") is None
        traveller.shift(dt.timedelta(minutes=13))
        assert allow_sign_in_email("jane@example.com", "10.0.0.1") is None


def test_refused_requests_do_not_count(app_env):
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False) as traveller:
        for _ in range(3):
            allow_sign_in_email("jane@example.com", "")
        for _ in range(5):
            assert allow_sign_in_email("jane@example.com", "") is not None
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        assert allow_sign_in_email("jane@example.com", "") is None


def test_ten_a_day_per_address(app_env):
    with time_machine.travel(dt.datetime(2026, 1, 1, 0, tzinfo=dt.UTC), tick=False) as traveller:
        for _ in range(10):
            assert allow_sign_in_email("jane@example.com", "") is None
            traveller.shift(dt.timedelta(minutes=16))
        refusal = allow_sign_in_email("jane@example.com", "")
        assert refusal is not None
        assert "hours" in refusal.message


def test_twenty_per_15_minutes_per_ip(app_env):
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        for n in range(20):
            assert allow_sign_in_email(f"user{n}@example.com", "192.0.2.7") is None
        assert allow_sign_in_email("user99@example.com", "192.0.2.7") is not None
        assert allow_sign_in_email("user99@example.com", "192.0.2.8") is None


def test_sixty_passkey_ceremonies_per_15_minutes_per_ip(app_env):
    """Each ceremony stores a challenge: a client cannot fill the table."""
    assert all(allow_passkey_ceremony("203.0.113.9") is None for _ in range(60))
    refused = allow_passkey_ceremony("203.0.113.9")
    assert refused is not None and refused.message.startswith("Too many passkey attempts for now.")
    assert allow_passkey_ceremony("203.0.113.10") is None
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        assert allow_passkey_ceremony("203.0.113.9") is None
