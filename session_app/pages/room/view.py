"""What the room page shows, and what its live region says of it."""

from __future__ import annotations

from enum import StrEnum


class RoomView(StrEnum):
    """What the room page shows."""

    LOADING = "loading"
    MISSING = "missing"  # no room at this link
    CLOSED = "closed"  # the host deleted it while this tab was in it
    JOIN = "join"
    LOBBY = "lobby"
    WAITING = "waiting"  # knocked at a locked room
    DECLINED = "declined"


def what_to_announce(view: str, knocking: list[str], room_name: str) -> str:
    """The polite live region's words for a view: a screen reader hears each change."""
    if view == RoomView.WAITING:
        return "You're waiting for the host to let you in."
    if view == RoomView.DECLINED:
        return "The host didn't let you in this time."
    if view == RoomView.CLOSED:
        return "This room has closed."
    if view != RoomView.LOBBY:
        return ""
    if knocking:
        return f"{', '.join(knocking)} {'is' if len(knocking) == 1 else 'are'} waiting to be let in."
    return f"You're in {room_name}."
