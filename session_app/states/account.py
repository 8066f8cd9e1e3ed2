"""Who is signed in, for every page and handler (SECURITY.md C6).

Each handler that touches private data asks who is signed in itself: the answer
comes from the HttpOnly cookie of the websocket handshake, checked against the
session table on every call, so a logout or revocation applies to the very next
event. Handlers that do nothing for a signed-out person say so with
`@signed_in_only` and read the person from `self._who`.

The convention for blocking work in every handler: handlers are async, and every
database, file or network call runs in a thread (`await asyncio.to_thread(...)`),
so one slow query never stalls the other tabs on the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.config import get_config

from session_app import routes
from session_app.accounts.profiles import load_profile
from session_app.auth.sessions import SignedIn, end_session, resolve_session, token_from_cookie_header
from session_app.states.browser import Action, ask_browser, toast
from session_app.tokens import hash_token

SIGNED_OUT_ELSEWHERE = (
    "You were signed out on this browser, from another device or after a long time away. Log in to continue."
)


async def leave_for_backend(state: rx.State, path: str, *, replace: bool = True) -> None:
    """Leave the page for one of the backend's HTTP routes (the cookie routes).

    rx.redirect navigates inside the single-page app whenever the backend shares the
    page's origin (single-port and production), and would never reach the backend.
    `replace` keeps one-time URLs out of the history.
    """
    url = f"{(get_config().api_url or '').rstrip('/')}{path}"
    await ask_browser(state, Action.LEAVE, url=url, replace="1" if replace else "")


def signed_in_only(handler: Callable[..., Any]) -> Callable[..., Any]:
    """The one sign-in guard: the handler runs only for a signed-in person, found in
    `self._who`; for anyone else the event does nothing. Put it under `@rx.event`.

    The wrapper keeps the handler's name, signature and annotations (Reflex reads
    them for the event's arguments), and works for plain, async and streaming
    (yielding) handlers alike. Not for background handlers: they may not touch the
    state outside `async with self`.
    """
    if inspect.isasyncgenfunction(handler):

        @functools.wraps(handler)
        async def streaming(self, *args, **kwargs):
            try:
                if await self._guard():
                    async for update in handler(self, *args, **kwargs):
                        yield update
            finally:
                self._who = None  # the person is this event's only, never remembered

        return streaming

    @functools.wraps(handler)
    async def guarded(self, *args, **kwargs):
        try:
            if not await self._guard():
                return None
            result = handler(self, *args, **kwargs)
            return await result if inspect.isawaitable(result) else result
        finally:
            self._who = None  # the person is this event's only, never remembered

    return guarded


class AccountState(rx.State):
    """The signed-in person, as far as the page needs to know."""

    signed_in: bool = False
    user_email: str = ""
    account_theme: str = ""  # "light", "dark" or "system"; components/theme.py applies it
    _told_signed_out: str = ""  # the ended session this tab was already told about
    _who: SignedIn | None = None  # set by @signed_in_only for the event it guards

    async def _guard(self) -> bool:
        self._who = await self._signed_in()
        return self._who is not None

    def _session_token(self) -> str | None:
        return token_from_cookie_header(self.router.headers.cookie)

    async def _signed_in(self) -> SignedIn | None:
        who = await asyncio.to_thread(resolve_session, self._session_token())
        self.signed_in = who is not None
        self.user_email = who.email if who else ""
        return who

    @rx.event
    async def tell_if_signed_out(self):
        """on_load of every page: a browser whose session was ended elsewhere (or ran
        out) is told once, instead of silently becoming a guest."""
        token = self._session_token()
        if not token or await asyncio.to_thread(resolve_session, token) is not None:
            return None
        if self._told_signed_out == hash_token(token):
            return None
        self._told_signed_out = hash_token(token)
        self.signed_in, self.user_email, self.account_theme = False, "", ""
        await toast(self, SIGNED_OUT_ELSEWHERE, id="signed-out-elsewhere", duration=15_000)
        return None

    @rx.event
    async def skip_if_signed_in(self):
        """on_load of the landing and sign-in pages: signed-in people go straight on."""
        who = await self._signed_in()
        if who is None:
            return None
        mine = await asyncio.to_thread(load_profile, who.user_id)
        return rx.redirect(routes.dashboard(mine.url) if mine.finished else routes.ONBOARDING, replace=True)

    @rx.event
    async def log_out(self):
        """End the session on the server now; the backend route expires the cookie."""
        await asyncio.to_thread(end_session, self._session_token())
        self.signed_in = False
        self.user_email = ""
        self.account_theme = ""
        await leave_for_backend(self, routes.AUTH_SIGNED_OUT, replace=False)
