"""auth/sign_in.py against a real, migrated database (SECURITY.md A2–A5, A8)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy
import time_machine
from sqlmodel import select

from session_app import tokens
from session_app.auth import rate_limits
from session_app.auth.emails import normalize_email
from session_app.auth.sessions import resolve_session
from session_app.auth.sign_in import (
    LIVE_PER_ADDRESS,
    CodeOutcome,
    TooManyEmails,
    confirm_magic_link,
    issue_sign_in_email,
    peek_magic_link,
    redeem_ticket,
    verify_code,
)
from session_app.db import get_engine, read_session
from session_app.models import SignInRequest, User
from tests.conftest import BASE_URL
from tests.support.mail import code_in, latest_text, link_in, outbox, token_in

JANE = normalize_email("jane@example.com")


def _request(email=JANE):
    request_id = issue_sign_in_email(email, BASE_URL)
    text = latest_text(email.address)
    return request_id, token_in(text), code_in(text)


def _users() -> list[User]:
    with read_session() as db:
        return list(db.exec(select(User)).all())


def test_one_email_carries_a_link_from_settings_and_a_code(app_env):
    _request()
    (message,) = outbox()
    assert message.recipient == "jane@example.com"
    assert link_in(message.text_body).startswith(f"{BASE_URL}/auth/magic?t=")
    assert code_in(message.text_body) in message.subject
    assert token_in(message.text_body) in message.html_body


def test_asking_creates_no_account(app_env):
    _request()
    assert _users() == []


def test_only_hashes_are_stored(app_env):
    _, token, code = _request()
    with get_engine().connect() as conn:
        rows = conn.execute(sqlalchemy.text("SELECT * FROM sign_in_request")).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert token not in stored
    assert code not in stored


def test_link_signs_in_once(app_env):
    _, token, _ = _request()
    session_token = confirm_magic_link(token)
    assert session_token is not None
    assert resolve_session(session_token).email == "jane@example.com"
    assert confirm_magic_link(token) is None
    assert len(_users()) == 1


def test_link_expires_after_ten_minutes(app_env):
    start = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        _, early_token, _ = _request(normalize_email("early@example.com"))
        _, late_token, _ = _request(normalize_email("late@example.com"))
        traveller.shift(dt.timedelta(minutes=9, seconds=59))
        assert peek_magic_link(early_token) == "e…@example.com"
        assert confirm_magic_link(early_token) is not None
        traveller.shift(dt.timedelta(seconds=2))
        assert peek_magic_link(late_token) is None
        assert confirm_magic_link(late_token) is None
    assert [u.email for u in _users()] == ["early@example.com"]


def test_code_expires_after_ten_minutes(app_env):
    start = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        request_id, _, code = _request()
        traveller.shift(dt.timedelta(minutes=10, seconds=1))
        assert verify_code(request_id, code).outcome is CodeOutcome.EXPIRED
    assert _users() == []


def test_peeking_at_a_link_does_not_use_it(app_env):
    _, token, _ = _request()
    for _ in range(3):
        assert peek_magic_link(token) == "j…@example.com"
    assert confirm_magic_link(token) is not None


def test_the_newest_few_emails_all_work_and_older_ones_are_void(app_env):
    """A stranger's requests can't void the link in the owner's inbox (issue: lockout)."""
    requests = []
    for _ in range(LIVE_PER_ADDRESS + 1):
        rate_limits.reset()  # this test is about which links stay live, not the limits
        requests.append(_request())
    oldest_id, oldest_token, oldest_code = requests[0]
    assert verify_code(oldest_id, oldest_code).outcome is CodeOutcome.EXPIRED
    assert confirm_magic_link(oldest_token) is None
    _, second_token, _ = requests[1]
    assert confirm_magic_link(second_token) is not None  # an older email of the burst still works
    newest_id, _, newest_code = requests[-1]
    assert verify_code(newest_id, newest_code).outcome is CodeOutcome.ACCEPTED


def test_a_stranger_cannot_lock_the_owner_out_of_email_sign_in(app_env):
    """Whatever a stranger triggers, the owner signs in by email within a minute, and
    mail to the address stays bounded (SECURITY.md A9, issue: lockout by strangers)."""
    address = normalize_email("victim@example.com")
    stranger, owner = "203.0.113.66", "198.51.100.1"
    start = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            issue_sign_in_email(address, BASE_URL, stranger)
        with pytest.raises(TooManyEmails, match="open the newest sign-in email"):
            issue_sign_in_email(address, BASE_URL, owner)  # told where to look...
        assert confirm_magic_link(token_in(latest_text(address.address))) is not None  # ...and it works
        # Every link has expired, the address's limit is still full: the stranger tries 20
        # times and one email goes out, which is again the owner's way in.
        traveller.shift(tokens.LINK_TTL + dt.timedelta(seconds=1))
        before = len(outbox(address.address))
        for _ in range(20):
            try:
                issue_sign_in_email(address, BASE_URL, stranger)
            except TooManyEmails:
                pass
        assert len(outbox(address.address)) == before + 1
        with pytest.raises(TooManyEmails, match="open the newest sign-in email"):
            issue_sign_in_email(address, BASE_URL, owner)
        assert confirm_magic_link(token_in(latest_text(address.address))) is not None


def test_code_gives_a_one_time_ticket_for_a_session(app_env):
    request_id, token, code = _request()
    result = verify_code(request_id, f" {code[:3]} {code[3:]} ")
    assert result.outcome is CodeOutcome.ACCEPTED
    session_token = redeem_ticket(result.ticket)
    assert resolve_session(session_token).email == "jane@example.com"
    assert redeem_ticket(result.ticket) is None
    # The code used the request up: its link is dead too.
    assert confirm_magic_link(token) is None


def test_ticket_expires_after_a_minute(app_env):
    start = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        request_id, _, code = _request()
        ticket = verify_code(request_id, code).ticket
        traveller.shift(dt.timedelta(seconds=61))
        assert redeem_ticket(ticket) is None


def test_five_wrong_codes_void_the_request(app_env):
    request_id, token, code = _request()
    wrong = "000000" if code != "000000" else "111111"
    outcomes = [verify_code(request_id, wrong) for _ in range(4)]
    assert [o.outcome for o in outcomes] == [CodeOutcome.WRONG] * 4
    assert [o.attempts_left for o in outcomes] == [4, 3, 2, 1]
    assert verify_code(request_id, "12345").outcome is CodeOutcome.EXPIRED  # malformed counts too
    assert verify_code(request_id, code).outcome is CodeOutcome.EXPIRED
    assert confirm_magic_link(token) is None


def test_code_only_works_for_its_own_request(app_env):
    jane_id, _, _ = _request()
    _, _, bob_code = _request(normalize_email("bob@example.com"))
    assert verify_code(jane_id, bob_code).outcome is CodeOutcome.WRONG


def test_same_address_in_any_case_reaches_the_same_account(app_env):
    _, token, _ = _request(normalize_email("Jane@Example.com"))
    first = resolve_session(confirm_magic_link(token))
    request_id, _, code = _request(normalize_email("JANE@example.COM"))
    second = resolve_session(redeem_ticket(verify_code(request_id, code).ticket))
    assert first.user_id == second.user_id
    assert len(_users()) == 1


def test_emails_for_new_and_known_addresses_differ_only_in_wording(app_env):
    _, token, _ = _request()
    confirm_magic_link(token)
    _request()
    first, second = outbox()
    assert first.subject.startswith("Finish signing up")
    assert second.subject.startswith("Sign in to Session")


def test_garbage_tokens_are_refused_quietly(app_env):
    for token in ["", "a", "x" * 10_000, "not base64 !", "A" * 43]:
        assert peek_magic_link(token) is None
        assert confirm_magic_link(token) is None
        assert redeem_ticket(token) is None
    assert verify_code(12345, "123456").outcome is CodeOutcome.EXPIRED


def test_request_rows_keep_no_plain_secret_columns(app_env):
    columns = set(SignInRequest.model_fields)
    assert {"link_hash", "code_hash", "code_salt"} <= columns
    assert not columns & {"token", "code", "link"}


def test_asking_takes_as_long_for_known_and_new_addresses(app_env):
    """No account enumeration through timing (SECURITY.md A8): interleaved, medians."""
    import statistics
    import time

    known = [normalize_email(f"known{n}@example.com") for n in range(50)]
    for email in known:
        issue_sign_in_email(email, BASE_URL)
        confirm_magic_link(token_in(latest_text(email.address)))
    timings: dict[str, list[float]] = {"known": [], "new": []}
    for n, email in enumerate(known):
        for kind, address in (("known", email), ("new", normalize_email(f"new{n}@example.com"))):
            started = time.perf_counter()
            issue_sign_in_email(address, BASE_URL)
            timings[kind].append(time.perf_counter() - started)
    # Relative, not absolute: interleaved medians stay close however busy the machine is.
    known_median, new_median = statistics.median(timings["known"]), statistics.median(timings["new"])
    assert max(known_median, new_median) / min(known_median, new_median) < 1.3, timings


def test_logs_name_events_but_never_secrets(app_env, caplog):
    caplog.set_level("DEBUG")
    request_id, token, code = _request()
    confirm_magic_link(token)
    second_id, _, second_code = _request()
    verify_code(second_id, "000000" if second_code != "000000" else "111111")
    ticket = verify_code(second_id, second_code).ticket
    session_token = redeem_ticket(ticket)
    assert "sign-in email requested for j…@example.com" in caplog.text
    assert "signed in by link" in caplog.text and "sign-in code accepted" in caplog.text
    for secret in (token, code, second_code, ticket, session_token, "jane@example.com"):
        assert secret not in caplog.text


def test_the_email_limit_holds_whoever_calls(app_env):
    """Rate limits live in the domain function, so no second caller can skip them (A9)."""
    import pytest

    from session_app.auth.sign_in import TooManyEmails

    address = normalize_email("limited@example.com")
    for _ in range(3):
        issue_sign_in_email(address, BASE_URL, "198.51.100.7")
    with pytest.raises(TooManyEmails, match=r"Too many sign-in emails for now. Try again in \d+ minutes?."):
        issue_sign_in_email(address, BASE_URL, "198.51.100.7")
    assert len(outbox(address.address)) == 3


def test_a_hundred_wrong_codes_in_a_day_pause_codes_for_an_hour_but_not_links(app_env):
    """SECURITY.md A9: per-account protection against guessing across many requests."""
    address = normalize_email("guessed@example.com")
    start = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        wrong = 0
        while wrong < 100:
            request_id = _fresh_request(address)
            for _ in range(tokens.CODE_ATTEMPTS):
                if wrong == 100:
                    break
                verify_code(request_id, "000000" if _code_of(address) != "000000" else "111111")
                wrong += 1
        request_id = _fresh_request(address)
        assert verify_code(request_id, _code_of(address)).outcome is CodeOutcome.SUSPENDED
        assert confirm_magic_link(token_in(latest_text(address.address))) is not None  # links still work
        assert any("Sign-in codes paused" in m.subject for m in outbox(address.address))
        traveller.shift(dt.timedelta(hours=1, seconds=1))
        request_id = _fresh_request(address)
        assert verify_code(request_id, _code_of(address)).outcome is CodeOutcome.ACCEPTED


def _fresh_request(address) -> int:
    """A new email for the address, past its email limits (this test counts codes)."""
    for limit in (rate_limits.EMAIL_PER_15_MIN, rate_limits.EMAIL_PER_DAY):
        rate_limits._limiter().clear(limit, "sign-in", f"email:{address.key}")
    return issue_sign_in_email(address, BASE_URL)


def _code_of(address) -> str:
    return code_in(latest_text(address.address))
