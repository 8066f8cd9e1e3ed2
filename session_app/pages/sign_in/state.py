"""The sign-in form's state: ask for the email, then take its code in the same tab."""

from __future__ import annotations

import asyncio
import logging
import math
import time

import reflex as rx
from reflex.config import get_config
from reflex_base.registry import RegistrationContext
from sqlalchemy.exc import SQLAlchemyError

from session_app import routes
from session_app.auth.emails import InvalidEmail, normalize_email
from session_app.auth.google import Failure
from session_app.auth.sign_in import CodeOutcome, TooManyEmails, is_pending, issue_sign_in_email, verify_code
from session_app.environment import get_environment
from session_app.states.account import AccountState, leave_for_backend
from session_app.tokens import LINK_TTL

log = logging.getLogger(__name__)

RESEND_AFTER_SECONDS = 30
TRY_AGAIN = "We couldn't do that just now. Please try again in a moment."
MAX_TYPED = 400  # characters kept of any field; more is never an address or a code

NOTICES = {
    routes.NOTICE_LINK_DEAD: (
        "That sign-in link can't be used any more. Links work once, for "
        f"{int(LINK_TTL.total_seconds() // 60)} minutes, and only the newest few emails' links "
        "work. Enter your email and we'll send a new one."
    ),
    routes.NOTICE_CODE_DEAD: "That sign-in took too long. Enter your email and we'll send a new code.",
    Failure.CANCELLED.value: "Google sign-in was cancelled. Try again, or continue with email.",
    Failure.UNAVAILABLE.value: "Google sign-in is unavailable right now. Continue with email instead.",
    Failure.EXPIRED.value: "That Google sign-in expired or was already used. Please try again.",
    Failure.UNVERIFIED.value: (
        "Your Google account's email address isn't verified, so we can't sign you in with it. "
        "Continue with email instead."
    ),
    Failure.CONFLICT.value: (
        "The Session account for that email is linked to a different Google account. "
        "Continue with email, or use that Google account."
    ),
    Failure.CONFIRM_BY_EMAIL.value: (
        "You already have a Session account with that address. To link Google to it, open the "
        "email we just sent there and press Link Google. You can also continue with email."
    ),
    Failure.FAILED.value: "Google sign-in didn't work. Please try again, or continue with email.",
}


def _still_open(state: rx.State) -> bool:
    """Whether the websocket of the tab that sent the state's last event is still
    open on this worker (a reloaded or reconnected tab starts its own countdown)."""
    namespace = RegistrationContext.get().app.event_namespace
    return namespace is None or state.router.session.session_id in namespace.sid_to_token


class SignInState(AccountState):
    """The email form, then the code form, in the tab that asked for the email."""

    email: str = ""
    email_error: str = ""
    step: str = "email"  # "email", then "code"
    masked_email: str = ""
    code_error: str = ""
    code_info: str = ""
    notice: str = ""
    resend_wait: int = 0
    _resend_at: float = 0.0  # when "Resend email" may be pressed (wall clock, every worker's)
    sending: bool = False
    # The pending request lives only in this tab's server-side state, so its code
    # works only here ("enter the code in the window where you asked for it").
    _request_id: int | None = None

    @rx.var
    def dev_mailbox(self) -> bool:
        return get_environment().dev_mailbox

    @rx.var
    def google_enabled(self) -> bool:
        return get_environment().google_enabled

    @rx.var
    def google_start_url(self) -> str:
        # A plain link to the backend route: a full navigation, never the SPA router.
        return f"{(get_config().api_url or '').rstrip('/')}{routes.AUTH_GOOGLE_START}"

    @rx.event
    async def load(self):
        self.notice = NOTICES.get(self.router.url.query_parameters.get("notice", ""), "")
        # A reload keeps the code step while its request can still be completed;
        # once it is used (by the link, say) or expired, the page starts afresh.
        if self.notice or not await asyncio.to_thread(is_pending, self._request_id):
            self.step = "email"
            self._request_id = None
            self.code_error = ""
            self.code_info = ""
        self.resend_wait = self._seconds_to_resend()
        if self.step == "code" and self.resend_wait > 0:  # a reload, or a reconnect elsewhere
            return [SignInState.skip_if_signed_in, SignInState.count_down]
        return SignInState.skip_if_signed_in

    @rx.event
    async def request_email(self, form_data: dict):
        self.email = str(form_data.get("email", ""))[:MAX_TYPED]
        self.email_error = ""
        try:
            address = normalize_email(self.email)
        except InvalidEmail as exc:
            self.email_error = str(exc)
            return
        async for update in self._send(address, first=True):
            yield update

    @rx.event
    async def resend(self):
        if self._seconds_to_resend() > 0 or not self.email:
            return
        try:
            address = normalize_email(self.email)
        except InvalidEmail:
            self.step = "email"
            return
        async for update in self._send(address, first=False):
            yield update

    async def _send(self, address, *, first: bool):
        self.sending = True
        yield
        try:
            self._request_id = await asyncio.to_thread(
                issue_sign_in_email, address, get_config().api_url, self.router.session.client_ip
            )
        except TooManyEmails as refused:
            if first:
                self.email_error = str(refused)
            else:
                self.code_info = ""
                self.code_error = str(refused)
            return
        except SQLAlchemyError:
            log.exception("could not store a sign-in request")
            if first:
                self.email_error = TRY_AGAIN
            else:
                self.code_error = TRY_AGAIN
            return
        finally:
            self.sending = False
        self.masked_email = address.masked
        self.step = "code"
        self.notice = ""
        self.code_error = ""
        self.code_info = (
            "" if first else "We sent a new email. Type the code from the newest one here, or open its link."
        )
        self._resend_at = time.time() + RESEND_AFTER_SECONDS
        self.resend_wait = RESEND_AFTER_SECONDS
        yield SignInState.count_down

    def _seconds_to_resend(self) -> int:
        return max(0, math.ceil(self._resend_at - time.time()))

    @rx.event(background=True)
    async def count_down(self):
        """Shows the seconds until "Resend email", from a deadline kept in the state:
        a tab whose worker restarted picks it up again (see load)."""
        while True:
            await asyncio.sleep(1)
            async with self:
                # The request is used (signed in) or the tab closed (it left to open
                # the link, say): each tick would go to a closed socket, a warning in
                # the server's log every second for the rest of the minute.
                if self._request_id is None or not _still_open(self):
                    return
                self.resend_wait = self._seconds_to_resend()
                if self.resend_wait <= 0:
                    return

    @rx.event
    async def submit_code(self, form_data: dict):
        raw = str(form_data.get("code", ""))[:MAX_TYPED]
        self.code_info = ""
        if self._request_id is None:
            self.code_error = "Enter the code in the window where you asked for it, or ask for a new email."
            return None
        try:
            result = await asyncio.to_thread(verify_code, self._request_id, raw)
        except SQLAlchemyError:
            log.exception("could not check a sign-in code")
            self.code_error = TRY_AGAIN
            return None
        if result.outcome is CodeOutcome.ACCEPTED:
            self.code_error = ""
            self._request_id = None
            await leave_for_backend(self, f"{routes.AUTH_TICKET}?t={result.ticket}")
            return None
        if result.outcome is CodeOutcome.SUSPENDED:
            self.code_error = (
                "Codes for this address are paused for an hour after too many wrong tries. "
                "Open the link in the email instead: it still works."
            )
            return None
        if result.outcome is CodeOutcome.WRONG:
            tries = "try" if result.attempts_left == 1 else "tries"
            self.code_error = (
                f"That code isn't right. Check the email and try again ({result.attempts_left} {tries} left)."
            )
            return None
        self.code_error = "This code has expired or can't be used any more. Ask for a new email below."
        self._request_id = None
        self.resend_wait = 0
        return None

    @rx.event
    def use_another_email(self):
        self.step = "email"
        self.code_error = ""
        self.code_info = ""
