"""environment.py: where dev-only features are safe (SECURITY.md: the development mailbox)."""

from __future__ import annotations

import pytest

from session_app.environment import is_loopback_client, is_loopback_url


@pytest.mark.parametrize("ip", ["127.0.0.1", "127.0.0.53", "::1", " 127.0.0.1 ", "::ffff:127.0.0.1"])
def test_requests_from_this_machine_may_read_the_mailbox(ip):
    assert is_loopback_client(ip)


ELSEWHERE = ["", "10.0.0.7", "192.168.1.2", "203.0.113.9", "::ffff:8.8.8.8", "localhost", "x"]


@pytest.mark.parametrize("ip", ELSEWHERE)
def test_requests_from_anywhere_else_may_not(ip):
    assert not is_loopback_client(ip)


def test_only_a_loopback_base_url_counts_as_local():
    assert is_loopback_url("http://localhost:3000") and is_loopback_url("http://127.0.0.1:8000")
    assert not is_loopback_url("https://session.example.com")
