"""What the app asks of the browser: leave for a backend route, show a toast, copy to
the clipboard, notify, read the time zone or the notification permission.

The strict CSP (SECURITY.md G3) forbids `eval`, which `rx.call_script` relies on, so
handlers never send script text, nor use Reflex's toast and clipboard events (both
are scripts underneath). They queue a named action here; the page's
BrowserActions effect (components/browser.py) carries it out from code in the build
and, when asked to, replies to a handler with the answer.
"""

from __future__ import annotations

import secrets
from enum import StrEnum

import reflex as rx
from reflex.event import EventHandler, EventSpec

KEPT = 12  # the newest requests stay in the state; the browser remembers which it did
MAX_REPLY = 100  # characters of an answer: a time zone, a permission
MAX_PASSKEY_REPLY = 16_000  # a WebAuthn credential as JSON (a real one is under 2,000)


class Action(StrEnum):
    LEAVE = "leave"  # a full navigation, `url`; `replace` "1" keeps it out of history
    TIME_ZONE = "time-zone"  # replies the IANA zone
    NOTIFICATION_PERMISSION = "notification-permission"  # replies, never asks
    ASK_NOTIFICATION_PERMISSION = "ask-notification-permission"  # asks once, replies
    NOTIFY = "notify"  # `text`, opening `path` when clicked, if permitted
    TEST_NOTIFICATION = "test-notification"
    TOAST = "toast"  # `text`; optional `level` (info, success, error), `id`, `duration` ms, `position`
    COPY = "copy"  # `text` to the clipboard
    PASSKEY_SUPPORT = "passkey-support"  # replies "none", "modal" or "conditional" (autofill too)
    PASSKEY_CREATE = "passkey-create"  # `options` (JSON); replies the credential, or {"error": name}
    PASSKEY_GET = "passkey-get"  # `options`, `mediation`; replies the assertion, or {"error": name}
    PASSKEY_FORGET = "passkey-forget"  # `rp_id`, `credential_id`: signal an unknown passkey


class BrowserState(rx.State):
    requests: list[dict[str, str]] = []

    def _ask(self, action: Action, reply: EventHandler | None = None, **args: str) -> None:
        request = {"id": secrets.token_urlsafe(9), "action": action.value, **args}
        if reply is not None:
            request["reply"] = f"{reply.state_full_name}.{reply.fn.__name__}"
        self.requests = [*self.requests[-(KEPT - 1) :], request]

    @rx.event
    def tell_error(self):
        """What a person sees when a handler fails: never the exception, in any mode."""
        self._ask(
            Action.TOAST,
            level="error",
            text="Something went wrong on our side. Please try again.",
            id="backend-error",
            position="top-center",
        )

    @rx.event
    def replied(self, request_id: str, value: str) -> EventSpec | None:
        """The browser's answer, passed to the handler the request named (only to one
        this state asked for: a browser cannot call anything else through here)."""
        request = next((r for r in self.requests if r["id"] == request_id and "reply" in r), None)
        if request is None:
            return None
        path, _, name = request["reply"].rpartition(".")
        target = rx.State.get_class_substate(tuple(path.split(".")[1:]))
        limit = MAX_PASSKEY_REPLY if request["action"].startswith("passkey-") else MAX_REPLY
        return getattr(target, name)(str(value)[:limit])


async def ask_browser(
    state: rx.State, action: Action, reply: EventHandler | None = None, **args: str
) -> None:
    """Queue `action` for the tab that sent the event `state` is handling."""
    browser = await state.get_state(BrowserState)
    browser._ask(action, reply, **args)


async def toast(state: rx.State, text: str, *, level: str = "info", id: str = "", duration: int = 0) -> None:
    """A toast in the tab `state` belongs to (the text is data: never parsed as code)."""
    args = {"level": level, "text": text, "id": id, "duration": str(duration) if duration else ""}
    await ask_browser(state, Action.TOAST, **{key: value for key, value in args.items() if value})


async def copy_to_clipboard(state: rx.State, text: str) -> None:
    await ask_browser(state, Action.COPY, text=text)
