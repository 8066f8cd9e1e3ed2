"""Who is signed in, for every page and handler (SECURITY.md C6).

Each handler that touches private data asks `_signed_in()` itself: the answer comes
from the HttpOnly cookie of the websocket handshake, checked against the session
table on every call, so a logout or revocation applies to the very next event.
"""

from __future__ import annotations

import reflex as rx
from reflex.config import get_config

from session_app import routes
from session_app.auth.sessions import SignedIn, end_session, resolve_session, token_from_cookie_header


class SessionState(rx.State):
    """The signed-in person, as far as the page needs to know."""

    signed_in: bool = False
    user_email: str = ""

    def _session_token(self) -> str | None:
        return token_from_cookie_header(self.router.headers.cookie)

    def _signed_in(self) -> SignedIn | None:
        who = resolve_session(self._session_token())
        self.signed_in = who is not None
        self.user_email = who.email if who else ""
        return who

    @rx.event
    def require_signed_in(self):
        """on_load of private pages: strangers go to the log-in page."""
        if self._signed_in() is None:
            return rx.redirect(routes.LOG_IN, replace=True)
        return None

    @rx.event
    def skip_if_signed_in(self):
        """on_load of the landing and sign-in pages: signed-in people go straight on."""
        if self._signed_in() is not None:
            return rx.redirect(routes.SIGNED_IN_HOME, replace=True)
        return None

    @rx.event
    def log_out(self):
        """End the session on the server now; the backend route expires the cookie."""
        end_session(self._session_token())
        self.signed_in = False
        self.user_email = ""
        return rx.redirect(f"{get_config().api_url.rstrip('/')}{routes.AUTH_SIGNED_OUT}")
