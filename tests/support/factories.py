"""People and images in a known state, for any test: built through the domain
functions a real sign-up goes through, never by hand."""

from __future__ import annotations

import datetime as dt
import io
import secrets

from PIL import Image

from session_app.accounts.profiles import ClaimOutcome, claim_url, save_display_name, save_use_case
from session_app.db import write_session
from session_app.models import AccountDeletion, User, utcnow


def make_user(email: str = "jane@example.com") -> int:
    """An account that has only signed up (onboarding not started); its id."""
    with write_session() as db:
        user = User(email=email, email_key=email.lower())
        db.add(user)
        db.flush()
        assert user.id is not None
        return user.id


def named_user(
    email: str = "jane@example.com", name: str = "Jane Doe", use_case: str = "team-meetings"
) -> int:
    """An account at onboarding's last step: use case and name saved, no URL yet."""
    user_id = make_user(email)
    save_use_case(user_id, use_case)
    save_display_name(user_id, name)
    return user_id


def onboarded_user(
    email: str = "jane@example.com",
    name: str = "Jane Doe",
    url: str = "jane",
    use_case: str = "team-meetings",
) -> int:
    """An account that finished onboarding with `url`; its id."""
    user_id = named_user(email, name, use_case)
    assert claim_url(user_id, url).outcome is ClaimOutcome.CLAIMED
    return user_id


def image_bytes(size: tuple[int, int] = (640, 480), fmt: str = "JPEG", colour=(30, 120, 220)) -> bytes:
    """An encoded picture, as an upload would carry it."""
    mode = "RGBA" if fmt in {"PNG", "WEBP"} and len(colour) == 4 else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt)
    return buffer.getvalue()


def due_deletion(user_id: int) -> int:
    """A confirmed deletion of the account whose grace period has ended; its id."""
    with write_session() as db:
        request = AccountDeletion(
            user_id=user_id,
            confirm_hash=secrets.token_hex(32),
            expires_at=utcnow(),
            used_at=utcnow(),
            scheduled_for=utcnow() - dt.timedelta(minutes=1),
        )
        db.add(request)
        db.flush()
        assert request.id is not None
        return request.id
