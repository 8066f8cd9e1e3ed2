"""Sign up and log in: one form, two ways in (the email's link or its 6-digit code)."""

from __future__ import annotations

import asyncio

import logging

import reflex as rx
from reflex.config import get_config
from sqlalchemy.exc import SQLAlchemyError

from session_app import routes
from session_app.auth.emails import InvalidEmail, normalize_email
from session_app.auth.google import Failure
from session_app.auth.rate_limits import allow_sign_in_email
from session_app.auth.sign_in import CodeOutcome, is_pending, issue_sign_in_email, verify_code
from session_app.auth.tokens import CODE_DIGITS, LINK_TTL
from session_app.components.layout import field_error, page
from session_app.settings import get_settings
from session_app.states.session import SessionState, to_backend

log = logging.getLogger(__name__)

RESEND_AFTER_SECONDS = 30
TRY_AGAIN = "We couldn't do that just now. Please try again in a moment."
MAX_TYPED = 400  # characters kept of any field; more is never an address or a code

NOTICES = {
    routes.NOTICE_LINK_DEAD: (
        "That sign-in link can't be used any more. Links work once, for "
        f"{int(LINK_TTL.total_seconds() // 60)} minutes, and only the newest email's link "
        "works. Enter your email and we'll send a new one."
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
    Failure.FAILED.value: "Google sign-in didn't work. Please try again, or continue with email.",
}


class SignInState(SessionState):
    """The email form, then the code form, in the tab that asked for the email."""

    email: str = ""
    email_error: str = ""
    step: str = "email"  # "email", then "code"
    masked_email: str = ""
    code_error: str = ""
    code_info: str = ""
    notice: str = ""
    resend_wait: int = 0
    sending: bool = False
    # The pending request lives only in this tab's server-side state, so its code
    # works only here ("enter the code in the window where you asked for it").
    _request_id: int | None = None

    @rx.var
    def dev_mailbox(self) -> bool:
        return get_settings().dev_mailbox

    @rx.var
    def google_enabled(self) -> bool:
        return get_settings().google_enabled

    @rx.var
    def google_start_url(self) -> str:
        # A plain link to the backend route: a full navigation, never the SPA router.
        return f"{(get_config().api_url or '').rstrip('/')}{routes.AUTH_GOOGLE_START}"

    @rx.event
    def load(self):
        self.notice = NOTICES.get(self.router.url.query_parameters.get("notice", ""), "")
        # A reload keeps the code step while its request can still be completed;
        # once it is used (by the link, say) or expired, the page starts afresh.
        if self.notice or not is_pending(self._request_id):
            self.step = "email"
            self._request_id = None
            self.code_error = ""
            self.code_info = ""
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
        if self.resend_wait > 0 or not self.email:
            return
        try:
            address = normalize_email(self.email)
        except InvalidEmail:
            self.step = "email"
            return
        async for update in self._send(address, first=False):
            yield update

    async def _send(self, address, *, first: bool):
        refusal = allow_sign_in_email(address.key, self.router.session.client_ip)
        if refusal is not None:
            if first:
                self.email_error = refusal.message
            else:
                self.code_info = ""
                self.code_error = refusal.message
            return
        self.sending = True
        yield
        try:
            self._request_id = await asyncio.to_thread(
                issue_sign_in_email, address, get_config().api_url
            )
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
            "" if first else "We sent a new email. Use the newest one: older links and codes no longer work."
        )
        self.resend_wait = RESEND_AFTER_SECONDS
        yield SignInState.count_down

    @rx.event(background=True)
    async def count_down(self):
        while True:
            await asyncio.sleep(1)
            async with self:
                if self.resend_wait <= 0:
                    return
                self.resend_wait -= 1

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
            return to_backend(f"{routes.AUTH_TICKET}?t={result.ticket}")
        if result.outcome is CodeOutcome.WRONG:
            tries = "try" if result.attempts_left == 1 else "tries"
            self.code_error = f"That code isn't right. Check the email and try again ({result.attempts_left} {tries} left)."
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


def _notice() -> rx.Component:
    return rx.cond(
        SignInState.notice != "",
        rx.callout(SignInState.notice, icon="info", color_scheme="amber", id="sign-in-notice", width="100%"),
    )


def _google_button() -> rx.Component:
    return rx.cond(
        SignInState.google_enabled,
        rx.vstack(
            # A document navigation to the backend route: React Router would otherwise
            # take the click and look for a page at /auth/google/start (single port).
            rx.link(
                rx.button(
                    rx.image(src="/google.svg", width="18px", height="18px", alt=""),
                    "Continue with Google",
                    variant="outline",
                    color_scheme="gray",
                    size="3",
                    width="100%",
                    tab_index=-1,
                ),
                href=SignInState.google_start_url,
                reload_document=True,
                underline="none",
                id="continue-google",
                width="100%",
                display="block",
            ),
            rx.hstack(
                rx.separator(size="4"),
                rx.text("or", size="2", color_scheme="gray"),
                rx.separator(size="4"),
                align="center",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
    )


def _email_step(mode: str) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Email address", html_for="email", font_weight="500"),
            rx.input(
                id="email",
                name="email",
                type="email",
                default_value=SignInState.email,
                placeholder="name@example.com",
                auto_complete="email",
                auto_focus=True,
                required=True,
                size="3",
                width="100%",
                aria_invalid=rx.cond(SignInState.email_error != "", "true", "false"),
                aria_describedby="email-error",
            ),
            field_error(SignInState.email_error, "email-error"),
            rx.button(
                "Continue with email",
                type="submit",
                id="continue-email",
                size="3",
                width="100%",
                loading=SignInState.sending,
            ),
            rx.text(
                "We'll email you a link and a 6-digit code. No password needed."
                if mode == "signup"
                else "We'll email you a link and a 6-digit code to log in.",
                size="2",
                color_scheme="gray",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=SignInState.request_email,
        no_validate=True,
        width="100%",
    )


def _code_step() -> rx.Component:
    return rx.vstack(
        rx.heading("Check your email", size="6", id="check-email"),
        rx.text(
            "We sent a sign-in link and a 6-digit code to ",
            rx.text.strong(SignInState.masked_email, id="masked-email", white_space="nowrap"),
            ". Open the link, or type the code here.",
            color_scheme="gray",
        ),
        rx.cond(SignInState.code_info != "", rx.callout(SignInState.code_info, icon="mail", width="100%")),
        rx.form(
            rx.vstack(
                rx.el.label("6-digit code", html_for="code", font_weight="500"),
                rx.input(
                    id="code",
                    name="code",
                    placeholder="123456",
                    auto_complete="one-time-code",
                    input_mode="numeric",
                    max_length=CODE_DIGITS + 2,
                    auto_focus=True,
                    required=True,
                    size="3",
                    width="100%",
                    letter_spacing="0.3em",
                    aria_invalid=rx.cond(SignInState.code_error != "", "true", "false"),
                    aria_describedby="code-error",
                ),
                field_error(SignInState.code_error, "code-error"),
                rx.button("Sign in", type="submit", id="submit-code", size="3", width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=SignInState.submit_code,
            no_validate=True,
            width="100%",
        ),
        rx.text(
            "The email can take a minute to arrive; check your spam folder too.",
            size="2",
            color_scheme="gray",
        ),
        rx.hstack(
            rx.button(
                rx.cond(
                    SignInState.resend_wait > 0,
                    rx.text("Resend email in ", SignInState.resend_wait, "s"),
                    rx.text("Resend email"),
                ),
                id="resend",
                variant="soft",
                disabled=SignInState.resend_wait > 0,
                on_click=SignInState.resend,
            ),
            rx.button("Use a different email", variant="ghost", on_click=SignInState.use_another_email),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            SignInState.dev_mailbox,
            rx.text(
                "Running locally: the email is in the ",
                rx.link("development mailbox", href=routes.DEV_MAILBOX, is_external=True),
                ".",
                size="2",
                color_scheme="gray",
            ),
        ),
        spacing="4",
        width="100%",
    )


def sign_in_page(mode: str) -> rx.Component:
    title = "Create your Session account" if mode == "signup" else "Log in to Session"
    other = (
        rx.text("Already have an account? ", rx.link("Log in", href=routes.LOG_IN), size="2")
        if mode == "signup"
        else rx.text("New to Session? ", rx.link("Sign up", href=routes.SIGN_UP), size="2")
    )
    return page(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.cond(
                        SignInState.step == "code",
                        _code_step(),
                        rx.vstack(
                            rx.heading(title, size="7", as_="h1"),
                            _notice(),
                            _google_button(),
                            _email_step(mode),
                            other,
                            spacing="5",
                            width="100%",
                        ),
                    ),
                    width="100%",
                ),
                size="4",
                width="100%",
                max_width="440px",
            ),
        ),
    )
