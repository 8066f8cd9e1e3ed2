"""Every script the app asks the browser to run, in one place (plain strings: the
states send them with `rx.call_script`)."""

from __future__ import annotations

import json

# The browser's IANA time zone.
TIME_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone"

# The notification permission as it is now, without asking.
NOTIFICATION_PERMISSION = '("Notification" in window) ? Notification.permission : "unsupported"'

# Ask for notification permission once; an earlier answer is returned as it is.
ASK_NOTIFICATION_PERMISSION = """
(async () => {
  if (!("Notification" in window)) return "unsupported";
  if (Notification.permission === "granted" || Notification.permission === "denied") return Notification.permission;
  return await Notification.requestPermission();
})()
"""

TEST_NOTIFICATION = """
(() => {
  const note = new Notification("Session", {body: "Notifications are on. You'll hear when someone is waiting in your room.", tag: "session-test"});
  window.__sessionLastNotification = note.title + ": " + note.body;
  note.onclick = () => { window.focus(); note.close(); };
})()
"""


def notify(text: str, path: str) -> str:
    """A browser notification that opens `path` when clicked (only if permitted)."""
    return (
        "(() => { if (!('Notification' in window) || Notification.permission !== 'granted') return;"
        f" const note = new Notification('Session', {{body: {json.dumps(text)}, tag: {json.dumps(path)}}});"
        f" note.onclick = () => {{ window.focus(); window.open({json.dumps(path)}, '_self'); note.close(); }}; }})()"
    )


def leave_for(url: str, *, replace: bool = True) -> str:
    """A full navigation (never the single-page router), replacing history by default."""
    return f"window.location.{'replace' if replace else 'assign'}({json.dumps(url)})"
