"""Profiles in the database: onboarding's saved steps, URL checks and the claim.

Onboarding moves forward one saved step at a time (use case, display name, unique
URL) and every function here checks the step itself, so a later step can never be
reached by calling its handler early. The claim inserts the URL and finishes
onboarding in one transaction (BEGIN IMMEDIATE on SQLite): two people racing for one
URL get one winner and one clean "taken", and one person finishing in two tabs gets
one URL.
"""

from __future__ import annotations

import dataclasses
import enum
import logging

import sqlalchemy as sa
import sqlalchemy.exc
from sqlmodel import Session, col, select

from session_app.accounts.names import clean_display_name
from session_app.accounts.urls import (
    Check,
    InvalidUrl,
    UrlStatus,
    candidates_from_name,
    normalize_url,
    validate_url,
)
from session_app.accounts.use_cases import use_case
from session_app.db import one_read, read_session, write_session
from session_app.models import Profile, UniqueUrl, User, utcnow

log = logging.getLogger(__name__)

STEP_USE_CASE, STEP_NAME, STEP_URL, DONE = 1, 2, 3, 4


class OnboardingOrder(ValueError):
    """A step was attempted before the ones it depends on (or after finishing)."""


@dataclasses.dataclass(frozen=True)
class ProfileView:
    user_id: int
    email: str
    step: int
    use_case: str
    display_name: str
    url: str  # "" until claimed

    @property
    def finished(self) -> bool:
        return self.step >= DONE and bool(self.url)


@dataclasses.dataclass(frozen=True)
class PublicHost:
    """What anyone may see about the owner of a URL."""

    user_id: int
    url: str
    display_name: str
    avatar_stem: str | None = None


def _view(db: Session, user_id: int) -> ProfileView:
    user = db.get(User, user_id)
    if user is None:
        raise LookupError(user_id)
    profile = db.get(Profile, user_id)
    url = db.exec(select(UniqueUrl.url).where(UniqueUrl.user_id == user_id)).first()
    return ProfileView(
        user_id=user_id,
        email=user.email,
        step=profile.onboarding_step if profile else STEP_USE_CASE,
        use_case=(profile.use_case or "") if profile else "",
        display_name=(profile.display_name or "") if profile else "",
        url=url or "",
    )


def load_profile(user_id: int) -> ProfileView:
    with read_session() as db:
        return _view(db, user_id)


def _editable(db: Session, user_id: int) -> Profile:
    profile = db.get(Profile, user_id)
    if profile is None:
        profile = Profile(user_id=user_id)
        db.add(profile)
    if profile.onboarding_step >= DONE:
        raise OnboardingOrder("onboarding is already finished")
    return profile


def save_use_case(user_id: int, key: str) -> ProfileView:
    """Step 1: store the choice and move on to the name."""
    if use_case(key) is None:
        raise ValueError(f"unknown use case {key!r}")
    with write_session() as db:
        profile = _editable(db, user_id)
        profile.use_case = key
        profile.onboarding_step = max(profile.onboarding_step, STEP_NAME)
        db.flush()
        return _view(db, user_id)


def save_display_name(user_id: int, typed: str) -> ProfileView:
    """Step 2: store the cleaned name and move on to the URL. InvalidName if refused."""
    name = clean_display_name(typed)
    with write_session() as db:
        profile = _editable(db, user_id)
        if profile.use_case is None:
            raise OnboardingOrder("choose a use case first")
        profile.display_name = name
        profile.onboarding_step = max(profile.onboarding_step, STEP_URL)
        db.flush()
        return _view(db, user_id)


def go_back_to(user_id: int, step: int) -> None:
    """Remember that the person went back a step, so a reload shows that step."""
    with write_session() as db:
        profile = _editable(db, user_id)
        if STEP_USE_CASE <= step < profile.onboarding_step:
            profile.onboarding_step = step


def is_taken(url: str) -> bool:
    with read_session() as db:
        return db.exec(select(UniqueUrl.url).where(UniqueUrl.url == url)).first() is not None


def check_url(typed: str, display_name: str = "", suggest: int = 3) -> Check:
    """The live answer as a person types: normalised form, status and message, and
    free alternatives from the display name when the URL cannot be had. One indexed
    query on a pooled connection (no ORM session): it runs on every keystroke."""
    url = normalize_url(typed)
    try:
        validate_url(url)
        refused = None
    except InvalidUrl as error:
        refused = error
    candidates = candidates_from_name(display_name, limit=suggest + 12) if display_name else []
    owners = _owners(([url] if refused is None else []) + candidates)
    free = tuple(c for c in candidates if c not in owners and c != url)[:suggest]
    if refused is not None:
        return Check(url, refused.kind, str(refused), free if refused.kind == UrlStatus.RESERVED else ())
    if url in owners and owners[url] is None:  # its account was deleted: retired for good
        return Check(url, UrlStatus.TAKEN, "That URL isn't available. Choose another.", free)
    if url in owners:
        return Check(url, UrlStatus.TAKEN, "Someone already has that URL.", free)
    return Check(url, UrlStatus.AVAILABLE, "Available")


def free_suggestions(display_name: str, count: int = 3) -> list[str]:
    """Free, valid URLs built from the display name, best first."""
    candidates = candidates_from_name(display_name, limit=count + 12)
    owners = _owners(candidates)
    return [c for c in candidates if c not in owners][:count]


# Built once: building it anew took about 0.4 ms of each keystroke's 0.7 (issue 16).
_OWNERS = sa.select(col(UniqueUrl.url), col(UniqueUrl.user_id)).where(
    col(UniqueUrl.url).in_(sa.bindparam("urls", expanding=True))
)


def _owners(urls: list[str]) -> dict[str, int | None]:
    """Which of these URLs are claimed, and by whom (None: retired). One indexed query."""
    if not urls:
        return {}
    with one_read() as db:
        return dict(db.execute(_OWNERS, {"urls": urls}).all())


class ClaimOutcome(enum.Enum):
    CLAIMED = "claimed"
    TAKEN = "taken"
    INVALID = "invalid"
    ALREADY_FINISHED = "already-finished"


@dataclasses.dataclass(frozen=True)
class ClaimResult:
    outcome: ClaimOutcome
    url: str = ""
    message: str = ""


def claim_url(user_id: int, typed: str) -> ClaimResult:
    """Step 3: make the URL this person's for good, and finish onboarding."""
    try:
        url = validate_url(normalize_url(typed))
    except InvalidUrl as refused:
        return ClaimResult(ClaimOutcome.INVALID, message=str(refused))
    try:
        with write_session() as db:
            profile = db.get(Profile, user_id)
            if profile is not None and profile.onboarding_step >= DONE:
                existing = db.exec(select(UniqueUrl.url).where(UniqueUrl.user_id == user_id)).first()
                return ClaimResult(ClaimOutcome.ALREADY_FINISHED, url=existing or "")
            if profile is None or profile.use_case is None or profile.display_name is None:
                raise OnboardingOrder("finish the earlier steps first")
            db.add(UniqueUrl(url=url, user_id=user_id))
            profile.onboarding_step = DONE
            profile.onboarded_at = utcnow()
            db.flush()
    except sqlalchemy.exc.IntegrityError:
        # Either the URL is someone's (primary key) or this person claimed one in
        # another tab a moment ago (unique owner).
        mine = load_profile(user_id)
        if mine.finished:
            return ClaimResult(ClaimOutcome.ALREADY_FINISHED, url=mine.url)
        return ClaimResult(ClaimOutcome.TAKEN, url=url, message="Someone just took that URL. Try another.")
    log.info("user %s claimed their unique URL", user_id)
    return ClaimResult(ClaimOutcome.CLAIMED, url=url)


def host_at(url: str) -> PublicHost | None:
    """The owner of a URL, as the public may see them; None for unknown URLs."""
    key = normalize_url(url)
    with read_session() as db:
        row = db.exec(
            select(UniqueUrl.user_id, Profile.display_name, Profile.avatar_stem)
            .join(Profile, col(Profile.user_id) == col(UniqueUrl.user_id))
            .where(UniqueUrl.url == key)
        ).first()
    if row is None or row[0] is None:
        return None
    return PublicHost(user_id=row[0], url=key, display_name=row[1] or "", avatar_stem=row[2])
