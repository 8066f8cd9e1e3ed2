"""Passkeys (WebAuthn): add one in Settings, then sign in with it, nothing typed.

py_webauthn (`webauthn`) checks each response in full: challenge, origin, RP ID hash,
user presence and verification, signature, sign count. Around it, this module:
- takes the relying party from APP_BASE_URL, never from a request: its host is the
  RP ID and its origin the one expected (a loopback address also answers as
  "localhost", since browsers refuse an IP address as RP ID);
- gives each ceremony one random challenge, stored here for CHALLENGE_TTL, used once,
  and only by the browser tab that asked (the hash of its Reflex client token);
- requires user verification, asks for discoverable credentials and no attestation;
- keeps each credential on exactly one account, and refuses (and logs) a sign count
  that went backwards: a cloned authenticator.
A passkey sign-in ends like a code's: a one-time ticket for the cookie route, so it
gets the same new session, cookie and new-device handling as the other ways in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import col, select, update
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, parse_authenticator_data
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.parse_authentication_credential_json import parse_authentication_credential_json
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from session_app.accounts.audit import audit
from session_app.accounts.passkey_list import NAME_MAX, PasskeyInfo, info
from session_app.accounts.sign_ins import describe_device
from session_app.auth.sign_in import new_ticket
from session_app.db import read_session, use_once, write_session
from session_app.environment import get_environment, is_loopback_url
from session_app.models import utcnow
from session_app.passkey_models import Passkey, PasskeyChallenge
from session_app.tokens import hash_token

log = logging.getLogger(__name__)

CHALLENGE_TTL = dt.timedelta(minutes=5)
REGISTER, SIGN_IN = "register", "sign-in"
MAX_RESPONSE = 16_000  # characters of a browser's answer: a real one is under 2,000

EXPIRED = "That took too long, or the request was already used. Please try again."
UNKNOWN = (
    "That passkey isn't set up for any Session account (it may have been removed). "
    "Continue with email instead, then add a new passkey in Settings."
)
FAILED = "That passkey didn't work. Please try again, or continue with email."
ALREADY_ADDED = "That passkey is already set up for a Session account."
CANT_ADD = "We couldn't add that passkey. Please try again."


class PasskeyError(Exception):
    """A ceremony that cannot finish; the message is for the person."""


@dataclasses.dataclass(frozen=True)
class RelyingParty:
    id: str
    origins: list[str]


@dataclasses.dataclass(frozen=True)
class Ceremony:
    challenge_id: int
    options: str  # the options as the browser's JSON


def relying_party() -> RelyingParty:
    base = get_environment().base_url
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    if not is_loopback_url(base) or parts.hostname == "localhost":
        return RelyingParty(parts.hostname or "", [origin])
    twin = f"{parts.scheme}://localhost" + (f":{parts.port}" if parts.port else "")
    return RelyingParty("localhost", [origin, twin])


def user_handle(user_id: int) -> bytes:
    """The account's WebAuthn user handle: stable, and nothing personal in it."""
    key = get_environment().secret_key.encode()
    return hmac.new(key, f"webauthn-user:{user_id}".encode(), hashlib.sha256).digest()


def _store_challenge(challenge: bytes, tab_token: str, purpose: str, user_id: int | None) -> int:
    now = utcnow()
    with write_session() as db:
        row = PasskeyChallenge(
            challenge=bytes_to_base64url(challenge),
            tab_hash=hash_token(tab_token),
            purpose=purpose,
            user_id=user_id,
            created_at=now,
            expires_at=now + CHALLENGE_TTL,
        )
        db.add(row)
        db.flush()
        assert row.id is not None
        return row.id


def _use_challenge(challenge_id: int | None, tab_token: str, purpose: str, user_id: int | None) -> bytes:
    """The ceremony's challenge, used up: only once, in time, by the tab that asked."""
    if challenge_id is None:
        raise PasskeyError(EXPIRED)
    with write_session() as db:
        used = use_once(
            db,
            PasskeyChallenge,
            col(PasskeyChallenge.id) == challenge_id,
            col(PasskeyChallenge.tab_hash) == hash_token(tab_token),
            col(PasskeyChallenge.purpose) == purpose,
            col(PasskeyChallenge.user_id) == user_id if user_id else col(PasskeyChallenge.user_id).is_(None),
        )
    if used is None:
        raise PasskeyError(EXPIRED)
    return base64url_to_bytes(used.challenge)


def _parsed(response: str) -> dict[str, Any]:
    if len(response) > MAX_RESPONSE:
        raise PasskeyError(FAILED)
    try:
        value = json.loads(response)
    except ValueError:
        raise PasskeyError(FAILED) from None
    if not isinstance(value, dict):
        raise PasskeyError(FAILED)
    return value


# --- Adding a passkey ----------------------------------------------------------------


def begin_registration(user_id: int, tab_token: str, email: str, display_name: str) -> Ceremony:
    rp = relying_party()
    with read_session() as db:
        existing = db.exec(select(Passkey.credential_id).where(Passkey.user_id == user_id)).all()
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name="Session",
        user_id=user_handle(user_id),
        user_name=email,
        user_display_name=display_name or email,
        challenge=challenge,
        timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in existing],
    )
    return Ceremony(_store_challenge(challenge, tab_token, REGISTER, user_id), options_to_json(options))


def finish_registration(
    user_id: int, tab_token: str, challenge_id: int | None, response: str, user_agent: str = ""
) -> PasskeyInfo:
    """Check the browser's new credential and keep it on this account."""
    credential = _parsed(response)
    challenge = _use_challenge(challenge_id, tab_token, REGISTER, user_id)
    rp = relying_party()
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origins,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as refused:
        log.warning("passkey registration refused: %s", refused)
        raise PasskeyError(CANT_ADD) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    transports = (credential.get("response") or {}).get("transports") or []
    with write_session() as db:
        if db.exec(select(Passkey.id).where(Passkey.credential_id == credential_id)).first() is not None:
            raise PasskeyError(ALREADY_ADDED)
        row = Passkey(
            user_id=user_id,
            credential_id=credential_id,
            user_handle=bytes_to_base64url(user_handle(user_id)),
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=",".join(str(t) for t in transports if isinstance(t, str))[:200],
            backup_eligible=verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE,
            backed_up=verified.credential_backed_up,
            aaguid=verified.aaguid,
            name=describe_device(user_agent)[:NAME_MAX],
        )
        db.add(row)
        audit(db, "passkey added", user_id, row.name)
        db.flush()
        assert row.id is not None
        added = info(row)
    log.info("passkey added: user %s", user_id)
    return added


# --- Signing in with one ---------------------------------------------------------------


def begin_sign_in(tab_token: str) -> Ceremony:
    """Options for any of this site's passkeys (discoverable: nothing typed first)."""
    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=relying_party().id,
        challenge=challenge,
        timeout=int(CHALLENGE_TTL.total_seconds() * 1000),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return Ceremony(_store_challenge(challenge, tab_token, SIGN_IN, None), options_to_json(options))


def finish_sign_in(tab_token: str, challenge_id: int | None, response: str) -> str:
    """Check the browser's assertion; a one-time ticket for the cookie route."""
    try:
        credential = parse_authentication_credential_json(_parsed(response))
    except WebAuthnException:
        raise PasskeyError(FAILED) from None
    challenge = _use_challenge(challenge_id, tab_token, SIGN_IN, None)
    with read_session() as db:
        key = db.exec(
            select(Passkey).where(Passkey.credential_id == bytes_to_base64url(credential.raw_id))
        ).first()
    if key is None:
        log.info("sign-in with an unknown passkey refused")
        raise PasskeyError(UNKNOWN)
    handle = credential.response.user_handle
    if handle is not None and bytes_to_base64url(handle) != key.user_handle:
        log.warning("passkey %s answered with another account's user handle", key.id)
        raise PasskeyError(FAILED)
    rp = relying_party()
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origins,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
            require_user_verification=True,
        )
    except WebAuthnException as refused:
        if _count_went_back(credential.response.authenticator_data, key.sign_count):
            log.warning("passkey %s refused: its sign count went backwards (a cloned key?)", key.id)
        else:
            log.warning("passkey sign-in refused: %s", refused)
        raise PasskeyError(FAILED) from None
    with write_session() as db:
        # Conditional on the count it was checked against: of two racing uses of one
        # counting key, only one gets in.
        moved = db.exec(
            update(Passkey)
            .where(col(Passkey.id) == key.id, col(Passkey.sign_count) == key.sign_count)
            .values(
                sign_count=verified.new_sign_count,
                last_used_at=utcnow(),
                backed_up=verified.credential_backed_up,
            )
        )
        if moved.rowcount != 1:
            raise PasskeyError(FAILED)
        ticket = new_ticket(db, key.user_id)
    log.info("signed in with a passkey: user %s", key.user_id)
    return ticket


def _count_went_back(authenticator_data: bytes, stored: int) -> bool:
    try:
        count = parse_authenticator_data(authenticator_data).sign_count
    except WebAuthnException:
        return False
    return (count > 0 or stored > 0) and count <= stored
