"""What a host hears of arrivals: a toast, and a browser notification when turned on."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from session_app import browser_scripts
from session_app.rooms.presence import Arrival


def arrival_events(arrivals: list[Arrival], notify: bool) -> list[EventSpec]:
    events = []
    for arrival in arrivals:
        text = arrival.message
        events.append(rx.toast.info(text))
        if notify:
            events.append(rx.call_script(browser_scripts.notify(text, arrival.room_path)))
    return events
