"""What the browser is asked to do for a host: notify of arrivals, and tell its zone."""

from __future__ import annotations

import json

import reflex as rx
from reflex.event import EventSpec

from session_app.rooms.rooms import Arrival

BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone"


def _notification_script(text: str, path: str) -> str:
    return (
        "(() => { if (!('Notification' in window) || Notification.permission !== 'granted') return;"
        f" const note = new Notification('Session', {{body: {json.dumps(text)}, tag: {json.dumps(path)}}});"
        f" note.onclick = () => {{ window.focus(); window.open({json.dumps(path)}, '_self'); note.close(); }}; }})()"
    )


def arrival_events(arrivals: list[Arrival], notify: bool) -> list[EventSpec]:
    """A toast for each arrival, and a browser notification when the host turned them on."""
    events = []
    for arrival in arrivals:
        action = "is waiting in" if arrival.waiting else "joined"
        text = f"{arrival.who} {action} {arrival.room_name}"
        events.append(rx.toast.info(text))
        if notify:
            events.append(rx.call_script(_notification_script(text, arrival.room_path)))
    return events
