"""The frame every page shares: a header with the logo and the right-hand actions."""

from __future__ import annotations

import reflex as rx

from session_app import routes
from session_app.components.browser import browser_actions
from session_app.components.theme import account_theme


def logo() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(
                rx.icon("radio", size=18, color="white"),
                background=rx.color("violet", 9),
                border_radius="8px",
                padding="6px",
                display="flex",
            ),
            rx.text("Session", weight="bold", size="5"),
            align="center",
            spacing="2",
        ),
        href=routes.HOME,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        aria_label="Session home",
    )


def header(*right: rx.Component) -> rx.Component:
    return rx.el.header(
        rx.hstack(
            logo(),
            rx.spacer(),
            # On a narrow screen the right-hand side wraps under the logo (1.4.10).
            rx.hstack(*right, spacing="3", align="center", wrap="wrap", justify="end", min_width="0"),
            align="center",
            wrap="wrap",
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding_x="20px",
            padding_y="14px",
        ),
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
    )


def link_button(
    *children: rx.Component | str, href: str | rx.Var[str], reload_document: bool = False, **props
) -> rx.Component:
    """A link that looks like a button: one element and one tab stop, never a button
    inside a link (WCAG 4.1.2). `reload_document` for a backend route, which React
    Router would otherwise look for among the pages."""
    anchor = (
        rx.el.a(*children, href=href, reload_document=True)
        if reload_document
        else rx.el.a(*children, href=href)
    )
    return rx.button(anchor, as_child=True, **props)


def public_nav() -> rx.Component:
    """Log in and Sign up, top-right, on one line (a ghost button's negative margin
    would lift "Log in" unless both are centred together)."""
    return rx.hstack(
        link_button("Log in", href=routes.LOG_IN, variant="ghost", size="3", id="nav-log-in"),
        link_button("Sign up", href=routes.SIGN_UP, size="3", id="nav-sign-up"),
        spacing="3",
        align="center",
    )


def page(*children: rx.Component, header_right: tuple[rx.Component, ...] = ()) -> rx.Component:
    return rx.box(
        account_theme(),
        browser_actions(),
        header(*header_right),
        rx.el.main(
            *children,
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding_x="20px",
            padding_y="40px",
        ),
        min_height="100vh",
        background=rx.color("gray", 1),
    )


def field_error(message: rx.Var[str], id: str) -> rx.Component:
    """A field's error, right under it, announced to screen readers."""
    return rx.cond(
        message != "",
        rx.text(message, id=id, color=rx.color("red", 11), size="2", role="alert"),
    )
