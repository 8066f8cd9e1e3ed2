"""Sign in with Google: OpenID Connect, authorization code with PKCE S256, state and nonce.

The provider is found through its discovery document (Google's by default; tests
point it at a provider on loopback). The attempt lives in the database, not in a
client-side session cookie: single use, 10 minutes, and only for the browser that
started it. The ID token is checked in full (signature against the provider's keys,
algorithm, issuer, audience, expiry, issue time, nonce) with cached keys, and only a
verified email is accepted. Accounts are found by (issuer, subject); a verified email
that already has an account links to it. No provider token is kept.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import logging

import httpx2
import sqlalchemy.exc
from authlib.integrations.httpx_client import AsyncOAuth2Client
from sqlmodel import Session, col, select

from session_app import tokens
from session_app.accounts.names import InvalidName, clean_display_name
from session_app.auth import google_link
from session_app.auth.emails import InvalidEmail, normalize_email
from session_app.auth.oidc import (
    GOOGLE_ISSUER,
    InvalidIdToken,
    ProviderUnavailable,
    provider_metadata,
    verified_claims,
)
from session_app.auth.sessions import create_session
from session_app.db import use_once, write_session
from session_app.environment import Environment
from session_app.models import OAuthAttempt, OAuthIdentity, Profile, User, utcnow

log = logging.getLogger(__name__)

SCOPE = "openid email profile"


class Failure(enum.Enum):
    CANCELLED = "google-cancelled"
    UNAVAILABLE = "google-unavailable"
    EXPIRED = "google-expired"  # unknown, replayed, timed out, or another browser
    UNVERIFIED = "google-unverified"
    CONFLICT = "google-conflict"  # the address's account is linked to another Google account
    CONFIRM_BY_EMAIL = "google-confirm-by-email"  # B6: the link waits for the emailed button
    FAILED = "google-failed"


@dataclasses.dataclass(frozen=True)
class Started:
    authorization_url: str
    browser_secret: str  # goes into an HttpOnly cookie; its hash is on the attempt


@dataclasses.dataclass(frozen=True)
class Finished:
    session_token: str | None
    next_path: str
    failure: Failure | None = None


class IdentityConflict(Exception):
    """The verified address belongs to an account already linked to another subject."""


class OwnerMustConfirm(Exception):
    """The address's account exists and Google does not host the address (B6)."""

    def __init__(self, user_id: int) -> None:
        super().__init__(user_id)
        self.user_id = user_id


# --- The flow --------------------------------------------------------------------------


def _client(env: Environment, redirect_uri: str) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        client_id=env.google_client_id,
        client_secret=env.google_client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=env.google_timeout,
    )


async def start_sign_in(env: Environment, redirect_uri: str, next_path: str) -> Started:
    """Store a new attempt and build the provider's authorization URL."""
    metadata = await provider_metadata(env)
    state, nonce, verifier, browser_secret = (tokens.new_token() for _ in range(4))
    verifier = verifier + tokens.new_token()  # 86 characters: within RFC 7636's 43–128
    async with _client(env, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=state,
            nonce=nonce,
            code_verifier=verifier,
            prompt="select_account",
        )
    await asyncio.to_thread(_store_attempt, state, browser_secret, nonce, verifier, next_path)
    return Started(authorization_url=url, browser_secret=browser_secret)


def _store_attempt(state: str, browser_secret: str, nonce: str, verifier: str, next_path: str) -> None:
    now = utcnow()
    with write_session() as db:
        db.add(
            OAuthAttempt(
                state_hash=tokens.hash_token(state),
                browser_hash=tokens.hash_token(browser_secret),
                nonce=nonce,
                code_verifier=verifier,
                next_path=next_path,
                created_at=now,
                expires_at=now + tokens.GOOGLE_ATTEMPT_TTL,
            )
        )


def _consume_attempt(state: str, browser_secret: str) -> OAuthAttempt | None:
    """Use the attempt once: right state, same browser, in time."""
    if not (tokens.plausible(state) and tokens.plausible(browser_secret)):
        return None
    with write_session() as db:
        return use_once(
            db,
            OAuthAttempt,
            col(OAuthAttempt.state_hash) == tokens.hash_token(state),
            col(OAuthAttempt.browser_hash) == tokens.hash_token(browser_secret),
        )


def cancel_attempt(state: str, browser_secret: str) -> str:
    """The provider said no (consent denied, error): use the attempt up; its next path."""
    attempt = _consume_attempt(state, browser_secret)
    return attempt.next_path if attempt else ""


async def finish_sign_in(
    env: Environment,
    redirect_uri: str,
    *,
    state: str,
    code: str,
    browser_secret: str,
    user_agent: str,
    link_base_url: str = "",
) -> Finished:
    """The callback: check everything, then sign in; `link_base_url` is where an
    emailed link must point (the backend's public URL, as for sign-in emails)."""
    attempt = await asyncio.to_thread(_consume_attempt, state, browser_secret)
    if attempt is None:
        return Finished(None, "", Failure.EXPIRED)
    if not code or len(code) > 2048:
        return Finished(None, attempt.next_path, Failure.FAILED)
    try:
        metadata = await provider_metadata(env)
        async with _client(env, redirect_uri) as client:
            token = await client.fetch_token(
                metadata["token_endpoint"], code=code, code_verifier=attempt.code_verifier
            )
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise InvalidIdToken("no id_token in the token response")
        claims = await verified_claims(id_token, metadata, env, attempt.nonce)
    except ProviderUnavailable as exc:
        log.warning("Google sign-in unavailable: %s", exc)
        return Finished(None, attempt.next_path, Failure.UNAVAILABLE)
    except httpx2.HTTPError as exc:
        log.warning("Google sign-in unavailable: %s", type(exc).__name__)
        return Finished(None, attempt.next_path, Failure.UNAVAILABLE)
    except InvalidIdToken as exc:
        log.warning("Google ID token refused: %s", exc)
        return Finished(None, attempt.next_path, Failure.FAILED)
    except Exception as exc:
        log.warning("Google token exchange failed: %s", type(exc).__name__)
        return Finished(None, attempt.next_path, Failure.FAILED)
    if claims.get("email_verified") is not True:
        log.info("Google sign-in refused: email not verified")
        return Finished(None, attempt.next_path, Failure.UNVERIFIED)
    try:
        email = normalize_email(str(claims.get("email", "")))
    except InvalidEmail:
        log.info("Google sign-in refused: unusable email")
        return Finished(None, attempt.next_path, Failure.FAILED)
    try:
        session_token = await asyncio.to_thread(_sign_in, claims, email.address, email.key, user_agent)
    except IdentityConflict:
        log.warning("Google sign-in refused: the address's account is linked to another Google account")
        return Finished(None, attempt.next_path, Failure.CONFLICT)
    except OwnerMustConfirm as waiting:
        issuer, subject = _identity(claims)
        await asyncio.to_thread(
            google_link.ask_owner, waiting.user_id, issuer, subject, link_base_url or env.base_url
        )
        return Finished(None, attempt.next_path, Failure.CONFIRM_BY_EMAIL)
    return Finished(session_token, attempt.next_path)


def _identity(claims: dict) -> tuple[str, str]:
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    if issuer == "accounts.google.com":
        issuer = GOOGLE_ISSUER  # one identity, whichever form Google used
    return issuer, subject


def _sign_in(claims: dict, address: str, key: str, user_agent: str) -> str:
    issuer, subject = _identity(claims)
    vouched = google_link.google_vouches_for(address, claims)
    for _ in range(2):  # a concurrent first sign-in may win the insert; then look again
        try:
            with write_session() as db:
                user_id = _user_for_identity(db, issuer, subject, address, key, claims.get("name"), vouched)
                _remember_picture(db, user_id, claims.get("picture"))
                return create_session(db, user_id, user_agent)
        except sqlalchemy.exc.IntegrityError:
            continue
    raise RuntimeError("could not link the Google account")


def _user_for_identity(
    db: Session, issuer: str, subject: str, address: str, key: str, name: object, vouched: bool
) -> int:
    linked = db.exec(
        select(OAuthIdentity.user_id).where(OAuthIdentity.issuer == issuer, OAuthIdentity.subject == subject)
    ).first()
    if linked is not None:
        return linked
    user = db.exec(select(User).where(User.email_key == key)).first()
    if user is None:
        user = User(email=address, email_key=key)
        db.add(user)
        db.flush()
        assert user.id is not None
        db.add(Profile(user_id=user.id, display_name=_prefill(name)))
        log.info("new account from Google: user %s", user.id)
    else:
        other = db.exec(
            select(OAuthIdentity.id).where(OAuthIdentity.user_id == user.id, OAuthIdentity.issuer == issuer)
        ).first()
        if other is not None:
            raise IdentityConflict
        if not vouched:
            assert user.id is not None
            raise OwnerMustConfirm(user.id)
        log.info("Google account linked to existing user %s", user.id)
    assert user.id is not None
    db.add(OAuthIdentity(issuer=issuer, subject=subject, user_id=user.id))
    db.flush()
    return user.id


def _remember_picture(db: Session, user_id: int, picture: object) -> None:
    """Keep Google's photo URL to offer as the avatar; nothing is fetched now."""
    if not isinstance(picture, str) or not picture.startswith(("https://", "http://")) or len(picture) > 500:
        return
    profile = db.get(Profile, user_id)
    if profile is None:
        profile = Profile(user_id=user_id)
        db.add(profile)
    profile.google_picture = picture


def _prefill(name: object) -> str | None:
    """Google's name, if it passes our display-name rules, for onboarding step 2."""
    if not isinstance(name, str):
        return None
    try:
        return clean_display_name(name)
    except InvalidName:
        return None
