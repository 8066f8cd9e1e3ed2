"""Linking Google to an existing account whose address Google does not host
(SECURITY.md B6).

Google's "email verified" is proof for a Gmail address or a Google Workspace domain
(the ID token names it in `hd`); for any other domain it only says the address was
verified once, perhaps long ago. So such a link waits for the owner to open the link
emailed to that address and press its button; then it is made and the person is
signed in, as a magic link would. Gmail and Workspace addresses link at once.
"""

from __future__ import annotations

import logging

from sqlmodel import col, select

from session_app import routes, tokens
from session_app.accounts.audit import audit
from session_app.auth.emails import EmailAddress
from session_app.auth.rate_limits import allow_sign_in_email
from session_app.auth.sessions import create_session
from session_app.db import read_session, use_once, write_session
from session_app.mail import outbox
from session_app.mail.templates import link_google_email
from session_app.models import GoogleLinkRequest, OAuthIdentity, User, utcnow

log = logging.getLogger(__name__)

GOOGLE_MAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def google_vouches_for(address: str, claims: dict) -> bool:
    """Whether Google owns the address: Gmail, or the Workspace domain the token names."""
    domain = address.rpartition("@")[2].lower()
    hosted = claims.get("hd")
    return domain in GOOGLE_MAIL_DOMAINS or (isinstance(hosted, str) and hosted.lower() == domain)


def ask_owner(user_id: int, issuer: str, subject: str, link_base_url: str) -> None:
    """Email the account's address a link that makes the link (bounded like sign-in mail)."""
    with read_session() as db:
        user = db.get(User, user_id)
    if user is None:
        return
    if allow_sign_in_email(user.email_key, client_ip="") is not None:
        log.info("Google link email for user %s not sent: sign-in email limit", user_id)
        return
    token = tokens.new_token()
    minutes = int(tokens.GOOGLE_LINK_TTL.total_seconds() // 60)
    link = routes.absolute(link_base_url, routes.google_link_confirmation(token))
    with write_session() as db:
        db.add(
            GoogleLinkRequest(
                user_id=user_id,
                issuer=issuer,
                subject=subject,
                confirm_hash=tokens.hash_token(token),
                expires_at=utcnow() + tokens.GOOGLE_LINK_TTL,
            )
        )
        outbox.enqueue(db, user.email, link_google_email(link=link, minutes=minutes))
    log.info("Google link for user %s waits for the emailed confirmation", user_id)


def peek(token: str) -> str | None:
    """The masked address a link would link Google to, without using it (GET, HEAD)."""
    if not tokens.plausible(token):
        return None
    with read_session() as db:
        row = db.exec(
            select(User)
            .join(GoogleLinkRequest, col(GoogleLinkRequest.user_id) == col(User.id))
            .where(GoogleLinkRequest.confirm_hash == tokens.hash_token(token))
            .where(col(GoogleLinkRequest.used_at).is_(None))
            .where(col(GoogleLinkRequest.expires_at) > utcnow())
        ).first()
    return EmailAddress(address=row.email, key=row.email_key).masked if row else None


def confirm(token: str, user_agent: str) -> str | None:
    """Use the link once: link the Google account and sign in; the new session's token.

    None when the link is dead, or when the Google account was linked to another
    account, or this one to another Google account, in the meantime."""
    if not tokens.plausible(token):
        return None
    with write_session() as db:
        live = col(GoogleLinkRequest.confirm_hash) == tokens.hash_token(token)
        request = use_once(db, GoogleLinkRequest, live)
        if request is None:
            return None
        this_google = db.exec(
            select(OAuthIdentity.user_id).where(
                OAuthIdentity.issuer == request.issuer, OAuthIdentity.subject == request.subject
            )
        ).first()
        if this_google is None:
            another_google = db.exec(
                select(OAuthIdentity.id).where(
                    OAuthIdentity.issuer == request.issuer, OAuthIdentity.user_id == request.user_id
                )
            ).first()
            if another_google is not None:
                return None
            db.add(OAuthIdentity(issuer=request.issuer, subject=request.subject, user_id=request.user_id))
        elif this_google != request.user_id:
            return None
        audit(db, "google linked", request.user_id, "confirmed by email")
        return create_session(db, request.user_id, user_agent)
