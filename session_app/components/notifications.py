"""What a host hears of arrivals: a toast, and a browser notification when turned on."""

from __future__ import annotations

import reflex as rx

from session_app.rooms.presence import Arrival
from session_app.states.browser import Action, ask_browser, toast


async def tell_host(state: rx.State, arrivals: list[Arrival], notify: bool) -> None:
    """A toast for each arrival, and a browser notification when the host turned them on."""
    for arrival in arrivals:
        await toast(state, arrival.message)
        if notify:
            await ask_browser(state, Action.NOTIFY, text=arrival.message, path=arrival.room_path)
