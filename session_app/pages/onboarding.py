"""The first page after signing in. The onboarding issue turns it into step 1."""

from __future__ import annotations

import reflex as rx

from session_app.components.layout import page
from session_app.states.session import SessionState


def log_out_button() -> rx.Component:
    return rx.button("Log out", id="log-out", variant="soft", color_scheme="gray", on_click=SessionState.log_out)


def onboarding_page() -> rx.Component:
    return page(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.heading("You're in", size="7", as_="h1", id="signed-in-heading"),
                    rx.text(
                        "Signed in as ",
                        rx.text.strong(SessionState.user_email, id="signed-in-email"),
                        ".",
                    ),
                    rx.text(
                        "Next you'll set up your space: how you'll use Session, your name, and your own URL.",
                        color_scheme="gray",
                    ),
                    spacing="4",
                ),
                size="4",
                max_width="520px",
                width="100%",
            )
        ),
        header_right=(log_out_button(),),
    )
