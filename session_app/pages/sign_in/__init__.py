"""Sign up and log in: one form, two ways in (the email's link or its 6-digit code)."""

from __future__ import annotations

import reflex as rx

from session_app import routes
from session_app.components.layout import field_error, link_button, page
from session_app.pages.sign_in.passkey import PasskeySignInState
from session_app.pages.sign_in.state import SignInState
from session_app.states.passkey_answers import CONDITIONAL, MODAL
from session_app.tokens import CODE_DIGITS


def _notice() -> rx.Component:
    return rx.cond(
        SignInState.notice != "",
        rx.callout(SignInState.notice, icon="info", color_scheme="amber", id="sign-in-notice", width="100%"),
    )


def _google_button() -> rx.Component:
    return rx.cond(
        SignInState.google_enabled,
        rx.vstack(
            # A document navigation to the backend route (React Router would otherwise
            # look for a page at /auth/google/start on a single port).
            link_button(
                rx.image(src="/google.svg", width="18px", height="18px", alt=""),
                "Continue with Google",
                href=SignInState.google_start_url,
                reload_document=True,
                variant="outline",
                color_scheme="gray",
                size="3",
                width="100%",
                id="continue-google",
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
                # Where the browser offers passkeys in the field's autofill, it does so here.
                auto_complete=rx.cond(
                    PasskeySignInState.passkey_support == CONDITIONAL, "username webauthn", "email"
                ),
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


def _passkey_button() -> rx.Component:
    """Only where the browser can use passkeys: nothing changes for anyone else."""
    state = PasskeySignInState
    return rx.cond(
        (state.passkey_support == MODAL) | (state.passkey_support == CONDITIONAL),
        rx.vstack(
            rx.button(
                rx.icon("key-round", size=16),
                "Sign in with a passkey",
                variant="ghost",
                size="2",
                loading=state.passkey_busy,
                on_click=state.sign_in_with_passkey,
                id="sign-in-passkey",
                aria_describedby="passkey-error",
            ),
            field_error(state.passkey_error, "passkey-error"),
            align="center",
            spacing="2",
            width="100%",
        ),
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
                            _passkey_button(),
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
