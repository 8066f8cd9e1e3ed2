"""Session as teams deploy it (issue 12): two workers behind nginx with plain round
robin, PostgreSQL, Redis and an S3 store. Runs with E2E_MODE=cluster (`make
test-cluster`); the journeys marked `cluster` elsewhere run against it too."""

from __future__ import annotations

import json
import re
import time
import uuid

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import col, func, select

from session_app.db import read_session, write_session
from session_app.mail import outbox
from session_app.mail.templates import account_deleted_email
from session_app.media import profile_photos
from session_app.media.storage import get_store
from session_app.models import AccountDeletion, AuditEvent, OutboxMessage
from tests.e2e.test_rooms import _create_room, _host, _join
from tests.support import cluster
from tests.support.factories import due_deletion, image_bytes, onboarded_user
from tests.support.journeys import ask_for_email, email_text, new_address, onboard, sign_in_by_code
from tests.support.mail import code_in
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.cluster, pytest.mark.cluster_only]


def _eventually(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return check()


def test_a_sign_up_and_onboarding_are_served_by_both_workers(page):
    before = cluster.served_by()
    sign_in_by_code(page, new_address())
    onboard(page, url=f"both-{uuid.uuid4().hex[:8]}", name="Both Workers")
    after = cluster.served_by()
    assert all(after[worker] > before[worker] for worker in after), (before, after)


def test_the_proxy_serves_pages_with_the_apps_security_headers(app):
    page = httpx.get(app.url + "/login/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe" not in policy
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"


def test_a_photo_is_seen_on_every_request_whichever_worker_answers(browser, app):
    user_id = onboarded_user(new_address(), url=f"photo-{uuid.uuid4().hex[:8]}")
    get_store.cache_clear()  # the cluster's object store, not a folder of this process
    stem, _ = profile_photos.save_upload(get_store(), user_id, image_bytes())
    url = profile_photos.public_url(app.url, user_id, stem, 512)
    fresh = browser.new_context()
    try:
        statuses = [fresh.request.get(url).status for _ in range(10)]
    finally:
        fresh.close()
    assert statuses == [200] * 10
    for port in cluster.WORKER_PORTS:  # and each worker on its own
        direct = profile_photos.public_url(f"http://127.0.0.1:{port}", user_id, stem, 512)
        assert httpx.get(direct).status_code == 200


def test_logging_out_in_one_tab_ends_the_session_in_the_other(page, context):
    url = f"out-{uuid.uuid4().hex[:8]}"
    sign_in_by_code(page, new_address())
    onboard(page, url=url, name="Two Tabs")
    other = context.new_page()  # its own websocket: round robin sends it to the other worker
    other.goto(f"/{url}")
    expect(other.locator("#greeting")).to_have_text("Welcome, Two Tabs")
    page.locator("#profile-menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page.locator("#signed-out-notice")).to_be_visible()
    other.reload()
    expect(other.locator("#greeting")).to_have_count(0)
    expect(other.locator("#host-name")).to_have_text("Two Tabs")  # the public page now


@pytest.mark.timeout(600)  # the jobs wake once a minute
def test_due_deletions_run_once_with_both_workers_jobs_running():
    """30 due deletions, each worker's job waking every minute: each account is deleted
    once, with one goodbye and one audit row, and its photos leave the object store."""
    get_store.cache_clear()
    tag = uuid.uuid4().hex[:6]
    ids, users = [], []
    for n in range(30):
        user_id = onboarded_user(f"gone{n}-{tag}@example.com", url=f"gone-{tag}-{n}")
        profile_photos.save_upload(get_store(), user_id, image_bytes(size=(64, 64)))
        ids.append(due_deletion(user_id))
        users.append(user_id)

    def done() -> int:
        with read_session() as db:
            query = select(func.count()).select_from(AccountDeletion)
            query = query.where(
                col(AccountDeletion.id).in_(ids), col(AccountDeletion.completed_at).is_not(None)
            )
            return db.exec(query).one()

    assert _eventually(lambda: done() == 30, timeout=200), f"{done()} of 30 done"
    with read_session() as db:
        audits = db.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "account deleted",
                col(AuditEvent.detail).in_([f"request {i}" for i in ids]),
            )
        ).one()
    subject = account_deleted_email().subject

    def goodbyes() -> list[str]:
        """Every goodbye the workers sent (the terminal backend writes each to its log)."""
        pattern = re.compile(rf"Email to (gone\d+-{tag}@example\.com)\nSubject: {re.escape(subject)}")
        logs = [(cluster.HOME / f"worker{i}.log").read_text() for i in range(len(cluster.WORKER_PORTS))]
        return [match for log in logs for match in pattern.findall(log)]

    assert _eventually(lambda: len(goodbyes()) >= 30, timeout=60)
    assert audits == 30
    assert sorted(goodbyes()) == sorted(f"gone{n}-{tag}@example.com" for n in range(30))  # once each
    store = get_store()
    assert all(store.read(profile_photos.public_path(user_id, "x", 128)) is None for user_id in users)
    listed = store._client.list_objects_v2(Bucket=cluster.BUCKET, Prefix="avatars/")
    left = {item["Key"].split("/")[1] for item in listed.get("Contents", [])}
    assert not left & {str(user_id) for user_id in users}


def _restart_both_workers_hard(settings: dict[str, str] | None = None) -> None:
    """SIGKILL each worker in turn and start it again: whichever one a tab was on died."""
    state = json.loads(cluster.STATE.read_text())
    for index in range(len(cluster.WORKER_PORTS)):
        cluster.kill_worker(state, index)
        cluster.start_worker(state, index, settings)


@pytest.mark.timeout(900)  # four worker restarts, and the mail itself
def test_sixty_emails_through_a_mail_server_taking_12_s_each_are_delivered_once():
    """Both workers deliver through one SMTP server that takes 12 s to accept each
    message: every one of 60 arrives exactly once, and in minutes, not 12."""
    server = SmtpServer()
    server.handler.delay = 12
    server.start()
    smtp = {
        "EMAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(server.port),
        "SMTP_STARTTLS": "false",
        "SMTP_TIMEOUT": "30",
    }
    tag = uuid.uuid4().hex[:6]
    expected = sorted(f"slow{n}-{tag}@example.com" for n in range(60))
    try:
        _restart_both_workers_hard(smtp)
        with write_session() as db:
            for address in expected:
                outbox.enqueue(db, address, account_deleted_email())

        def arrived() -> list[str]:
            return [r.rcpt_tos[0] for r in server.received if r.rcpt_tos[0] in expected]

        def settled() -> bool:  # every row sent, and no delivery still under way
            with read_session() as db:
                ours = col(OutboxMessage.recipient).in_(expected)
                outcomes = db.exec(select(OutboxMessage.outcome).where(ours)).all()
            return list(outcomes) == ["sent"] * 60 and server.handler.in_flight == 0

        assert _eventually(settled, timeout=300), f"{len(arrived())} of 60 arrived"
        assert sorted(arrived()) == expected  # each exactly once
    finally:
        _restart_both_workers_hard()  # the other journeys read the terminal outbox
        server.stop()


@pytest.mark.timeout(900)  # two worker restarts, each a build check and a start
def test_tabs_keep_what_they_had_when_their_worker_is_killed(page, browser, app):
    """kill -9 of the worker a tab is on: the guest stays in the lobby, the pending code
    still works in its tab, what was typed stays typed, the settings popup stays open
    and the resend countdown runs on."""
    _host(page, name="Kim Killed")
    link = _create_room(page, "Survivors")
    guests = browser.new_context(base_url=app.url)
    signing = browser.new_context(base_url=app.url)
    try:
        hosting = page.context.new_page()
        _join(hosting, link)
        guest = guests.new_page()
        _join(guest, link, "Steady Guest")
        expect(guest.locator("#lobby-people")).to_contain_text("Steady Guest")
        expect(hosting.locator("#lobby-people")).to_contain_text("Steady Guest")
        newcomer, address = signing.new_page(), new_address()
        ask_for_email(newcomer, address)
        newcomer.get_by_label("6-digit code").fill("12")  # typed, not sent yet
        expect(newcomer.locator("#resend")).to_contain_text("Resend email in")
        page.locator("#profile-menu").click()
        page.get_by_role("menuitem", name="Settings").click()
        expect(page.get_by_role("dialog", name="Settings")).to_be_visible()

        _restart_both_workers_hard()

        expect(guest.locator("#lobby-people")).to_contain_text("Steady Guest", timeout=60_000)
        expect(guest.locator("#lobby-people")).to_contain_text("Kim Killed", timeout=60_000)
        expect(hosting.locator("#lobby-people")).to_contain_text("Steady Guest", timeout=60_000)
        expect(newcomer.get_by_label("6-digit code")).to_have_value("12")
        expect(newcomer.locator("#resend")).to_have_text("Resend email", timeout=60_000)  # never frozen
        expect(page.get_by_role("dialog", name="Settings")).to_be_visible()
        newcomer.get_by_label("6-digit code").fill(code_in(email_text(address)))
        newcomer.get_by_role("button", name="Sign in").click()
        expect(newcomer.locator("#signed-in-email")).to_have_text(address, timeout=30_000)
    finally:
        guests.close()
        signing.close()
