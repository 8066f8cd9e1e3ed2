"""Display names: what others see when a person joins a session or room.

1 to 50 characters after trimming, in any script, NFC-normalised, whitespace
collapsed. Control characters, format characters (bidirectional overrides among
them) and long stacks of combining marks ("Zalgo") are refused; a zero-width joiner
is kept because emoji such as 👩🏽‍💻 need it. Names are data: pages render them as text.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 50
MAX_TYPED = 500
MAX_STACKED_MARKS = 4
_ZWJ = "\u200d"
_WHITESPACE = re.compile(r"\s+")


class InvalidName(ValueError):
    """The name breaks a rule; the message says which, for the person."""


# Reflex 0.10 parses this marker inside any string it puts in an event (a toast, a
# clipboard copy), and loops forever on some forms of it: never let one be stored.
_VAR_MARKER = re.compile(r"</?reflex\.var", re.IGNORECASE)


def clean_display_name(typed: str, max_length: int = MAX_LENGTH) -> str:
    if len(typed) > MAX_TYPED:
        raise InvalidName(f"Use at most {max_length} characters.")
    name = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", typed)).strip()
    if not name:
        raise InvalidName("Enter the name others will see.")
    stacked = 0
    for ch in name:
        category = unicodedata.category(ch)
        if category == "Cc" or (category == "Cf" and ch != _ZWJ) or category in {"Cs", "Co", "Cn"}:
            raise InvalidName("Remove the invisible or control characters from the name.")
        stacked = stacked + 1 if category in {"Mn", "Me"} else 0
        if stacked > MAX_STACKED_MARKS:
            raise InvalidName("Too many accents on one letter.")
    if _VAR_MARKER.search(name):
        # Never quote the marker back: the refusal itself goes into a toast (an event).
        raise InvalidName("Remove the text in angle brackets starting with “reflex.Var” from the name.")
    if len(name) > max_length:
        raise InvalidName(f"Use at most {max_length} characters.")
    return name


def initials(name: str) -> str:
    """Up to two letters for an initials avatar: the first letter or digit of the first
    and last words that have one ("(Ann) Bee" is AB, "!Ann" is A)."""
    letters = [next((ch for ch in word if ch.isalnum()), "") for word in name.split()]
    letters = [letter for letter in letters if letter]
    if not letters:
        return "?"
    return (letters[0] + (letters[-1] if len(letters) > 1 else "")).upper()


AVATAR_COLOURS = ("#6e56cf", "#0d74ce", "#218358", "#cc4e00", "#ca244d", "#8145b5", "#00749e", "#5c7c2f")


def avatar_colour(user_id: int) -> str:
    """A colour of its own for each account, stable across sessions."""
    return AVATAR_COLOURS[(user_id * 2654435761) % len(AVATAR_COLOURS)]
