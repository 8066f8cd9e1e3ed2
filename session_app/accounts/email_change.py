"""Moving an account to a new email address (support's operator command), telling both."""

from __future__ import annotations

from sqlmodel import col, delete, select, update

from session_app.accounts.audit import audit
from session_app.auth.emails import InvalidEmail, normalize_email
from session_app.db import write_session
from session_app.mail import outbox
from session_app.mail.templates import email_changed_email
from session_app.models import OAuthIdentity, SignInRequest, User, utcnow


def change_email(old: str, new: str) -> int:
    """Move an account to a new address; both are told. Raises ValueError with a reason."""
    try:
        old_email, new_email = normalize_email(old), normalize_email(new)
    except InvalidEmail as exc:
        raise ValueError(str(exc)) from None
    with write_session() as db:
        user = db.exec(select(User).where(User.email_key == old_email.key)).first()
        if user is None:
            raise ValueError("No account has the old address.")
        owner = db.exec(select(User.id).where(User.email_key == new_email.key)).first()
        if owner is not None and owner != user.id:
            raise ValueError("The new address already belongs to an account.")
        previous = user.email
        user.email, user.email_key = new_email.address, new_email.key
        # Pending sign-in emails to the old address stop working, and so does the Google
        # account linked through it (it can be linked again through the new address).
        db.exec(
            update(SignInRequest)
            .where(col(SignInRequest.email_key) == old_email.key)
            .values(used_at=utcnow())
        )
        db.exec(delete(OAuthIdentity).where(col(OAuthIdentity.user_id) == user.id))
        outbox.enqueue(db, previous, email_changed_email(to_new_address=False))
        outbox.enqueue(db, new_email.address, email_changed_email(to_new_address=True))
        audit(db, "email changed", user.id, "by operator")
        assert user.id is not None
        return user.id
