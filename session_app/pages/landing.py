"""The landing page: what Session is, with Log in and Sign up in the top-right."""

from __future__ import annotations

import reflex as rx

from session_app import routes
from session_app.components.layout import link_button, page, public_nav
from session_app.states.account import AccountState


class LandingState(AccountState):
    just_signed_out: bool = False

    @rx.event
    def load(self):
        self.just_signed_out = self.router.url.query_parameters.get("signed_out") == "1"
        return LandingState.skip_if_signed_in


def _feature(icon: str, title: str, text: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=22, color=rx.color("accent", 10)),
            rx.text(title, weight="bold"),
            rx.text(text, color_scheme="gray", size="2"),
            spacing="2",
        ),
        size="2",
    )


def landing_page() -> rx.Component:
    return page(
        rx.cond(
            LandingState.just_signed_out,
            rx.callout("You're signed out.", icon="log-out", id="signed-out-notice", margin_bottom="24px"),
        ),
        rx.vstack(
            rx.heading(
                "Host your own meetings, webinars and events.",
                size=rx.breakpoints(initial="7", sm="9"),
                as_="h1",
                max_width="760px",
                overflow_wrap="break-word",
            ),
            rx.text(
                "Session gives you one address for every room and event you run. "
                "Guests join from a link, no account needed.",
                size="5",
                color_scheme="gray",
                max_width="640px",
            ),
            rx.hstack(
                link_button("Get started, it's free", href=routes.SIGN_UP, size="4"),
                link_button("Log in", href=routes.LOG_IN, size="4", variant="soft"),
                spacing="3",
                wrap="wrap",
            ),
            rx.grid(
                _feature("link", "Your own address", "Pick a URL once; every room lives under it."),
                _feature("users", "Guests in one click", "People join your link without signing up."),
                _feature("sliders-horizontal", "Made for your use", "Meetings, webinars, classes or 1:1s."),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="4",
                width="100%",
                padding_top="32px",
            ),
            spacing="6",
            padding_y="48px",
        ),
        header_right=(public_nav(),),
    )
