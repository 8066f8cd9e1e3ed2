"""The six ways to use Session, and what each changes in the product.

One table: onboarding shows the cards from it, the dashboard takes its wording, first
suggestions and what "Create new" offers first from it. Add a use case here and all
of them follow.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Suggestion:
    title: str
    text: str
    icon: str


@dataclasses.dataclass(frozen=True)
class UseCase:
    key: str
    title: str
    blurb: str
    icon: str
    greeting: str  # the dashboard's line under "Welcome, <name>"
    suggestions: tuple[Suggestion, ...]
    # "Create new" offers a scheduled session first rather than a permanent room.
    session_first: bool = False


USE_CASES: tuple[UseCase, ...] = (
    UseCase(
        "team-meetings",
        "Team meetings",
        "Stand-ups, syncs and reviews with your team.",
        "users",
        "Set up the rooms your team meets in every week.",
        (
            Suggestion("Weekly team sync", "A permanent room your team can always find.", "calendar-sync"),
            Suggestion("Daily stand-up", "A quick room with the same link every day.", "sun"),
            Suggestion("1:1 room", "A private room for catch-ups with one person.", "user-round"),
        ),
    ),
    UseCase(
        "webinars",
        "Webinars and events",
        "Talks, launches and live events for an audience.",
        "presentation",
        "Schedule your first event and share its link.",
        (
            Suggestion(
                "Schedule a webinar", "A session with a start time and its own link.", "calendar-plus"
            ),
            Suggestion("Product launch", "An event page guests can join without an account.", "rocket"),
            Suggestion("Green room", "A room for speakers before going live.", "mic"),
        ),
        session_first=True,
    ),
    UseCase(
        "workshops",
        "Workshops and training",
        "Hands-on sessions and courses for groups.",
        "hammer",
        "Plan your first workshop and the room it runs in.",
        (
            Suggestion("Workshop session", "A scheduled session for your next workshop.", "calendar-plus"),
            Suggestion(
                "Training room", "A permanent room for a course that runs for weeks.", "graduation-cap"
            ),
            Suggestion("Office hours", "A drop-in room for questions between sessions.", "coffee"),
        ),
        session_first=True,
    ),
    UseCase(
        "coaching",
        "Coaching and 1:1s",
        "Sessions with clients, one person at a time.",
        "messages-square",
        "Give each client one link that always works.",
        (
            Suggestion(
                "Client room", "Your permanent room; clients wait until you let them in.", "door-open"
            ),
            Suggestion("Intro call", "A short session for new clients.", "phone"),
            Suggestion("Follow-up session", "A scheduled session with a time and a link.", "calendar-plus"),
        ),
    ),
    UseCase(
        "teaching",
        "Teaching",
        "Classes, lessons and tutoring for students.",
        "book-open",
        "Create your classroom and share the link with your students.",
        (
            Suggestion("Classroom", "One room per class, the same link all term.", "school"),
            Suggestion("Tutoring session", "A scheduled lesson with one student or a few.", "notebook-pen"),
            Suggestion("Parent meeting", "A session for parents, no accounts needed.", "users"),
        ),
        session_first=True,
    ),
    UseCase(
        "personal",
        "Personal",
        "Catch-ups with friends and family.",
        "heart",
        "Make a room for the people you talk to most.",
        (
            Suggestion("Family room", "One link the whole family can keep.", "house"),
            Suggestion("Game night", "A scheduled session for friends.", "dice-5"),
            Suggestion("Catch-up", "A room for a chat whenever you like.", "coffee"),
        ),
    ),
)

BY_KEY = {case.key: case for case in USE_CASES}


def use_case(key: str | None) -> UseCase | None:
    return BY_KEY.get(key or "")
