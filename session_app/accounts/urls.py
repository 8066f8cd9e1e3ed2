"""The rules of a person's unique URL: normalise, validate, reserve, suggest.

A URL is 3 to 30 characters of lowercase ASCII letters, digits and single hyphens,
starting and ending with a letter or digit. What a person types is normalised first
(lower-cased, accents folded, full-width letters narrowed, spaces, dots and
underscores turned into hyphens); anything still invalid is refused with the rule it
breaks. Uniqueness itself is the database's job (accounts/profiles.py claims a URL by
inserting it under a primary key); the checks here are advisory.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from enum import StrEnum

from session_app import routes

MIN_LENGTH = 3
MAX_LENGTH = 30
MAX_TYPED = 100  # longer input is refused before any regex or normalisation runs

_ALLOWED = re.compile(r"[a-z0-9-]+", re.ASCII)
_RULE = re.compile(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*", re.ASCII)
_SEPARATORS = re.compile(r"[ ._]+")

# Names nobody may take, besides every route of the app (derived below).
# "index" and "404" are Reflex's own names for the home and not-found pages.
RESERVED_WORDS = frozenset(
    {
        "404",
        "index",
        "about",
        "account",
        "accounts",
        "admin",
        "administrator",
        "api",
        "app",
        "apps",
        "assets",
        "billing",
        "blog",
        "contact",
        "dashboard",
        "dev",
        "docs",
        "download",
        "favicon-ico",
        "features",
        "guest",
        "guests",
        "help",
        "home",
        "host",
        "hosts",
        "join",
        "legal",
        "login",
        "logout",
        "mail",
        "me",
        "meeting",
        "meetings",
        "new",
        "official",
        "onboarding",
        "pricing",
        "privacy",
        "profile",
        "public",
        "robots-txt",
        "room",
        "rooms",
        "root",
        "security",
        "session",
        "sessions",
        "settings",
        "signin",
        "signout",
        "signup",
        "sitemap-xml",
        "static",
        "status",
        "support",
        "system",
        "team",
        "terms",
        "upload",
        "uploads",
        "user",
        "users",
        "webinar",
        "webinars",
        "well-known",
        "www",
    }
)


@functools.cache
def reserved_urls() -> frozenset[str]:
    """Every reserved URL: the word list plus each route's first path segment."""
    from_routes = {normalize_url(segment).strip("-") for segment in routes.first_segments()}
    return RESERVED_WORDS | from_routes


class UrlStatus(StrEnum):
    """What the onboarding form says of a typed URL."""

    AVAILABLE = "available"
    TAKEN = "taken"
    RESERVED = "reserved"  # a route or a word kept for the product
    INVALID = "invalid"


class InvalidUrl(ValueError):
    """The URL breaks a rule; the message names it, for the person."""

    def __init__(self, message: str, kind: UrlStatus = UrlStatus.INVALID) -> None:
        super().__init__(message)
        self.kind = kind  # INVALID or RESERVED


def _fold(text: str) -> str:
    # Full-width forms (ｊａｎｅ) narrow to ASCII; other compatibility forms such as
    # superscript digits do not, so they stay invalid instead of turning into digits.
    narrowed = "".join(
        unicodedata.normalize("NFKC", ch) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in text
    )
    decomposed = unicodedata.normalize("NFD", narrowed)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def normalize_url(typed: str) -> str:
    """What a person's typing becomes: the candidate URL, not yet validated."""
    if len(typed) > MAX_TYPED:
        return typed[:MAX_TYPED]
    folded = _fold(typed.strip(" ")).lower()
    return _SEPARATORS.sub("-", folded)


def validate_url(candidate: str) -> str:
    """The URL if it follows every rule; InvalidUrl naming the first one it breaks."""
    check_syntax(candidate)
    if candidate in reserved_urls():
        raise InvalidUrl("That name is reserved. Try another.", kind=UrlStatus.RESERVED)
    return candidate


def check_syntax(candidate: str) -> str:
    """The syntax rules alone (a room's link under a host's URL needs no reserved words)."""
    if not candidate:
        raise InvalidUrl("Choose a URL.")
    if len(candidate) > MAX_LENGTH:
        raise InvalidUrl(f"Use at most {MAX_LENGTH} characters.")
    if not _ALLOWED.fullmatch(candidate):
        raise InvalidUrl("Use only letters a–z, digits and hyphens.")
    if len(candidate) < MIN_LENGTH:
        raise InvalidUrl(f"Use at least {MIN_LENGTH} characters.")
    if candidate.startswith("-"):
        raise InvalidUrl("Start with a letter or a digit.")
    if candidate.endswith("-"):
        raise InvalidUrl("End with a letter or a digit.")
    if not _RULE.fullmatch(candidate):
        raise InvalidUrl("Use single hyphens only, not two in a row.")
    return candidate


def clean_url(typed: str) -> str:
    """Normalise, then validate: what the onboarding form checks as a person types."""
    return validate_url(normalize_url(typed))


@dataclasses.dataclass(frozen=True)
class Check:
    """The live answer for what a person typed."""

    url: str  # normalised
    status: UrlStatus
    message: str
    suggestions: tuple[str, ...] = ()  # free alternatives, when the URL is taken or reserved


def candidates_from_name(display_name: str, limit: int = 12) -> list[str]:
    """Valid URLs built from a display name, best first (not checked for being free)."""
    return list(_candidates(display_name[:MAX_NAME_INPUT], limit))


MAX_NAME_INPUT = 500  # a display name is at most this long as typed (onboarding keeps 500)


@functools.lru_cache(maxsize=1024)
def _candidates(display_name: str, limit: int) -> tuple[str, ...]:
    """Cached: the live check builds them from the same name at every keystroke of
    the URL (about 1.5 ms of validating 50 strings each time)."""
    words = [w for w in re.split(r"-+", normalize_url(display_name)) if w]
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    words = [w for w in words if w]
    if not words:  # a name in a script with no ASCII letters
        words = ["my", "room"]
    full = "-".join(words)[:MAX_LENGTH].strip("-")
    first, last = words[0], words[-1]
    bases = [full, "".join(words)[:MAX_LENGTH], first]
    if len(words) > 1:
        bases += [f"{first}-{last[0]}", f"{first[0]}-{last}", f"{first}{last}"]
    bases += [f"{first}-live", f"meet-{first}", f"{first}-hq"]
    extras = [f"{full[: MAX_LENGTH - 1 - len(str(n))]}-{n}" for n in range(2, 40)]
    seen: list[str] = []
    for candidate in (*bases, *extras):
        candidate = candidate.strip("-")
        try:
            validate_url(candidate)
        except InvalidUrl:
            continue
        if candidate not in seen:
            seen.append(candidate)
        if len(seen) >= limit:
            break
    return tuple(seen)
