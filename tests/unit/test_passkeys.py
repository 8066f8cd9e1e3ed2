"""auth/passkeys.py against the real py_webauthn checks (issue 15, the passkey rules): every
answer comes from a software authenticator, right or deliberately wrong."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
import time_machine
from sqlmodel import select, update

from session_app.accounts import deletion, export, passkey_list
from session_app.accounts.email_change import change_email
from session_app.accounts.sign_ins import sign_out_other_sessions
from session_app.auth import passkeys
from session_app.auth.passkeys import PasskeyError
from session_app.auth.sessions import resolve_session
from session_app.auth.sign_in import redeem_ticket
from session_app.db import read_session, write_session
from session_app.media.storage import FolderStore
from session_app.passkey_models import Passkey, PasskeyChallenge
from tests.conftest import BASE_URL
from tests.support.accounts import scheduled_deletion, signed_up
from tests.support.authenticator import SoftAuthenticator
from tests.support.factories import make_user

TAB, OTHER_TAB = "tab-token-1", "tab-token-2"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"


def _register(user_id: int, key: SoftAuthenticator, tab: str = TAB) -> passkey_list.PasskeyInfo:
    ceremony = passkeys.begin_registration(user_id, tab, "jane@example.com", "Jane Doe")
    return passkeys.finish_registration(
        user_id, tab, ceremony.challenge_id, key.create(ceremony.options), CHROME
    )


def _sign_in(key: SoftAuthenticator, tab: str = TAB, **wrong) -> str:
    ceremony = passkeys.begin_sign_in(tab)
    return passkeys.finish_sign_in(tab, ceremony.challenge_id, key.get(ceremony.options, **wrong))


@pytest.fixture
def key(app_env) -> SoftAuthenticator:
    return SoftAuthenticator(BASE_URL, "session.test")


def test_a_registered_passkey_signs_in_to_its_account_through_a_ticket(key):
    user_id = make_user()
    added = _register(user_id, key)
    assert added.name == "Chrome on Linux" and added.synced and added.last_used_at is None
    session = redeem_ticket(_sign_in(key), CHROME)
    assert resolve_session(session).user_id == user_id
    [listed] = passkey_list.passkeys_of(user_id)
    assert listed.last_used_at is not None
    with read_session() as db:
        stored = db.exec(select(Passkey)).one()
    assert stored.sign_count == 1 and stored.transports == "internal,hybrid" and stored.backed_up


def test_the_relying_party_comes_from_the_configured_base_url(app_env, monkeypatch):
    assert passkeys.relying_party() == passkeys.RelyingParty("session.test", ["https://session.test"])
    from session_app.environment import reload_environment

    monkeypatch.setenv("APP_BASE_URL", "http://127.0.0.1:3077")
    reload_environment()
    # Browsers refuse an IP address as RP ID: on this machine the page is on localhost.
    assert passkeys.relying_party() == passkeys.RelyingParty(
        "localhost", ["http://127.0.0.1:3077", "http://localhost:3077"]
    )


def test_options_require_user_verification_and_discoverable_keys_without_attestation(key):
    user_id = make_user()
    ceremony = passkeys.begin_registration(user_id, TAB, "jane@example.com", "Jane Doe")
    assert '"residentKey": "required"' in ceremony.options
    assert '"userVerification": "required"' in ceremony.options
    assert '"attestation": "none"' in ceremony.options
    assert '"id": "session.test"' in ceremony.options
    assert "jane" not in passkeys.user_handle(user_id).hex()
    assert '"userVerification": "required"' in passkeys.begin_sign_in(TAB).options


@pytest.mark.parametrize(
    ("wrong", "during"),
    [
        ({"origin": "https://evil.test"}, "sign-in"),
        ({"rp_id": "evil.test"}, "sign-in"),
        ({"uv": False}, "sign-in"),
        ({"origin": "https://evil.test"}, "register"),
        ({"rp_id": "evil.test"}, "register"),
        ({"uv": False}, "register"),
    ],
)
def test_wrong_origin_wrong_rp_id_and_missing_user_verification_are_refused(key, wrong, during):
    user_id = make_user()
    if during == "register":
        ceremony = passkeys.begin_registration(user_id, TAB, "jane@example.com", "Jane Doe")
        with pytest.raises(PasskeyError):
            passkeys.finish_registration(
                user_id, TAB, ceremony.challenge_id, key.create(ceremony.options, **wrong)
            )
        assert passkey_list.passkeys_of(user_id) == []
        return
    _register(user_id, key)
    with pytest.raises(PasskeyError, match="didn't work"):
        _sign_in(key, **wrong)


def test_a_challenge_works_once_in_time_and_only_in_the_tab_that_asked(key):
    user_id = make_user()
    _register(user_id, key)
    ceremony = passkeys.begin_sign_in(TAB)
    answer = key.get(ceremony.options)
    with pytest.raises(PasskeyError, match="took too long"):
        passkeys.finish_sign_in(OTHER_TAB, ceremony.challenge_id, answer)  # another tab used it up
    ceremony = passkeys.begin_sign_in(TAB)
    answer = key.get(ceremony.options)
    assert passkeys.finish_sign_in(TAB, ceremony.challenge_id, answer)
    with pytest.raises(PasskeyError, match="took too long"):
        passkeys.finish_sign_in(TAB, ceremony.challenge_id, answer)  # replayed
    ceremony = passkeys.begin_sign_in(TAB)
    with write_session() as db:
        db.exec(update(PasskeyChallenge).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    with pytest.raises(PasskeyError, match="took too long"):
        passkeys.finish_sign_in(TAB, ceremony.challenge_id, key.get(ceremony.options))
    # A sign-in challenge never registers, nor a registration's signs in.
    ceremony = passkeys.begin_sign_in(TAB)
    with pytest.raises(PasskeyError, match="took too long"):
        passkeys.finish_registration(user_id, TAB, ceremony.challenge_id, key.create(ceremony.options))


def test_a_sign_count_that_goes_backwards_is_refused_and_logged(key, caplog):
    _register(make_user(), key)
    _sign_in(key, count=5)
    with caplog.at_level(logging.WARNING), pytest.raises(PasskeyError):
        _sign_in(key, count=3)
    assert "sign count went backwards" in caplog.text
    with read_session() as db:
        assert db.exec(select(Passkey.sign_count)).one() == 5
    _sign_in(key, count=6)


def test_an_unknown_credential_gets_its_own_sentence(key):
    with pytest.raises(PasskeyError, match="isn't set up for any Session account"):
        _sign_in(key)
    user_id = make_user()
    added = _register(user_id, key)
    assert passkey_list.remove_passkey(user_id, added.id)
    with pytest.raises(PasskeyError, match="isn't set up"):
        _sign_in(key)


def test_a_credential_belongs_to_exactly_one_account(key):
    first, second = make_user("jane@example.com"), make_user("omar@example.com")
    _register(first, key)
    handle = key.user_handle
    with pytest.raises(PasskeyError, match="already set up"):
        _register(second, key)
    key.user_handle = handle
    assert passkey_list.passkeys_of(second) == []
    # An answer naming another account's user handle does not sign in either.
    with pytest.raises(PasskeyError, match="didn't work"):
        _sign_in(key, user_handle="AAAA")
    assert resolve_session(redeem_ticket(_sign_in(key))).user_id == first


def test_only_the_owner_renames_or_removes_and_names_are_cleaned(key):
    owner, other = make_user("jane@example.com"), make_user("omar@example.com")
    added = _register(owner, key)
    assert passkey_list.rename_passkey(owner, added.id, "  Work   laptop ") == "Work laptop"
    with pytest.raises(passkey_list.InvalidPasskeyName, match="Give the passkey a name"):
        passkey_list.rename_passkey(owner, added.id, "   ")
    passkey_list.rename_passkey(other, added.id, "Mine now")
    assert not passkey_list.remove_passkey(other, added.id)
    assert [p.name for p in passkey_list.passkeys_of(owner)] == ["Work laptop"]


def test_garbage_answers_are_refused_without_a_trace(key):
    ceremony = passkeys.begin_sign_in(TAB)
    for answer in ("", "not json", "[]", '{"id": 1}', "x" * 20_000):
        with pytest.raises(PasskeyError):
            passkeys.finish_sign_in(TAB, ceremony.challenge_id, answer)


def test_deleting_the_account_removes_its_passkeys(key, tmp_path):
    user_id, _session = signed_up()
    _register(user_id, key)
    deletion_id = scheduled_deletion(user_id, "jane@example.com", "jane-doe")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8), tick=False):
        assert deletion.execute_deletion(deletion_id, FolderStore(tmp_path))
    with read_session() as db:
        assert db.exec(select(Passkey)).all() == []
    with pytest.raises(PasskeyError, match="isn't set up"):
        _sign_in(key)


def test_export_lists_passkeys_without_key_material_and_other_changes_keep_them(key):
    user_id, session = signed_up()
    _register(user_id, key)
    exported = json.loads(export.export_account(user_id))
    [listed] = exported["passkeys"]
    assert listed["name"] == "Chrome on Linux" and listed["synced"] is True
    text = json.dumps(exported)
    with read_session() as db:
        stored = db.exec(select(Passkey)).one()
    assert stored.credential_id not in text and "public_key" not in text and stored.user_handle not in text
    # Signing out elsewhere ends sessions, not keys; the operator's email change keeps them.
    sign_out_other_sessions(user_id, resolve_session(session).session_id)
    change_email("jane@example.com", "jane.new@example.com")
    assert [p.name for p in passkey_list.passkeys_of(user_id)] == ["Chrome on Linux"]
    assert resolve_session(redeem_ticket(_sign_in(key))).email == "jane.new@example.com"
