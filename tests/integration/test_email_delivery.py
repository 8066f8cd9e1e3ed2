"""Email through a real SMTP server on loopback: content, outages, retries (SECURITY.md §4.4)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import time_machine

from session_app.auth.emails import normalize_email
from session_app.auth.sign_in import issue_sign_in_email
from session_app.environment import reload_environment
from session_app.mail import outbox
from tests.conftest import BASE_URL
from tests.support.mail import code_in, link_in
from tests.support.mail import outbox as outbox_rows
from tests.support.smtp import SmtpServer


@pytest.fixture
def smtp(app_env, monkeypatch):
    server = SmtpServer()
    monkeypatch.setenv("EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(server.port))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    monkeypatch.setenv("SMTP_TIMEOUT", "3")
    monkeypatch.setenv("MAIL_FROM", "Session <no-reply@session.test>")
    reload_environment()
    yield server
    server.stop()


def _ask(address="jane@example.com") -> None:
    issue_sign_in_email(normalize_email(address), BASE_URL)


def test_message_arrives_with_one_recipient_a_link_and_a_code(smtp):
    smtp.start()
    _ask("Jane@Example.com")
    assert outbox.deliver_due() == 1
    (received,) = smtp.received
    assert received.rcpt_tos == ["Jane@example.com"]
    assert received.mail_from == "no-reply@session.test"
    message = received.message
    assert message["To"] == "Jane@example.com"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert link_in(text).startswith(f"{BASE_URL}/auth/magic?t=")
    assert code_in(text) in message["Subject"]
    assert link_in(text).split("t=")[1] in html
    assert outbox_rows()[0].outcome == "sent"


def test_server_down_keeps_the_message_and_delivers_it_once_back(smtp):
    _ask()
    assert outbox.deliver_due() == 0
    (row,) = outbox_rows()
    assert row.outcome == "" and row.attempts == 1 and row.last_error
    assert outbox.deliver_due() == 0  # not due yet: backoff
    smtp.start()
    later = row.next_attempt_at + dt.timedelta(seconds=1)
    assert outbox.deliver_due(now=later) == 1
    assert outbox.deliver_due(now=later + dt.timedelta(minutes=5)) == 0
    assert len(smtp.received) == 1
    assert outbox_rows()[0].outcome == "sent"


def test_temporary_refusal_is_retried(smtp):
    smtp.handler.answer = "451 4.3.0 Try again later"
    smtp.start()
    _ask()
    assert outbox.deliver_due() == 0
    (row,) = outbox_rows()
    assert "451" in row.last_error
    smtp.handler.answer = "250 OK"
    assert outbox.deliver_due(now=row.next_attempt_at) == 1
    assert len(smtp.received) == 1


def test_a_sign_in_email_that_expired_in_the_queue_is_not_sent_late(smtp):
    start = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        _ask()
        assert outbox.deliver_due() == 0  # server down
        traveller.shift(dt.timedelta(minutes=11))
        smtp.start()
        assert outbox.deliver_due() == 0
    assert smtp.received == []
    assert outbox_rows()[0].outcome == "expired"


def test_backoff_doubles_up_to_ten_minutes():
    delays = [outbox.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [5, 10, 20, 40]
    assert max(delays) == 600


def test_the_delivery_loop_sends_what_is_queued(smtp):
    smtp.start()
    _ask()

    async def run_briefly() -> None:
        task = asyncio.create_task(outbox.run_delivery_loop())
        for _ in range(100):
            await asyncio.sleep(0.05)
            if smtp.received:
                break
        task.cancel()

    asyncio.run(run_briefly())
    assert len(smtp.received) == 1


def test_a_delivered_sign_in_email_is_forgotten(smtp):
    smtp.start()
    _ask()
    assert outbox.deliver_due() == 1
    (row,) = outbox_rows()
    text = smtp.received[0].message.get_body(preferencelist=("plain",)).get_content()
    assert code_in(text) not in row.subject + row.text_body + row.html_body
    assert link_in(text) not in row.text_body + row.html_body
    assert row.recipient == "[deleted]" and row.outcome == "sent"
