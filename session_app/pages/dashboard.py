"""/<url>: the owner's dashboard, everyone else's public host page, or not found.

The page draws; states/dashboard.py knows whose page it is, and the settings popup
and the room tiles are components with their own states.
"""

from __future__ import annotations

import reflex as rx

from session_app import routes
from session_app.components.avatar import initials_avatar, media_url
from session_app.components.layout import link_button, page, public_nav
from session_app.components.passkeys.view import passkey_offer
from session_app.components.room_tiles.view import create_button, rooms_area
from session_app.components.settings.popup import SettingsState, settings_dialog
from session_app.states.account import AccountState
from session_app.states.dashboard import DashboardState, SuggestionCard, View


def host_avatar(size: str = "36px", large: bool = False) -> rx.Component:
    """The photo if there is one, else the initials avatar."""
    path = DashboardState.avatar_path_large if large else DashboardState.avatar_path
    return rx.cond(
        path != "",
        rx.image(
            src=media_url(path),
            width=size,
            height=size,
            border_radius="50%",
            alt="",
            class_name="host-avatar-photo",
        ),
        initials_avatar(DashboardState.host_initials, DashboardState.host_colour, size=size),
    )


def _profile_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                host_avatar(),
                variant="ghost",
                radius="full",
                padding="0",
                id="profile-menu",
                # The visible initials start the name (2.5.3: label in name).
                aria_label=DashboardState.host_initials + ", your profile menu",
            ),
        ),
        rx.menu.content(
            rx.menu.item(DashboardState.user_email, disabled=True, id="menu-email"),  # who is signed in
            rx.menu.item("Settings", on_click=SettingsState.open_settings, id="menu-settings"),
            rx.menu.separator(),
            rx.menu.item("Log out", on_click=AccountState.log_out, id="menu-log-out"),
            align="end",
        ),
        modal=False,  # a modal menu hides the page, focusable parts included, under aria-hidden
    )


def _suggestion(card: SuggestionCard) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon(card.icon, size=22, color=rx.color("accent", 10)),
            rx.text(card.title, weight="bold"),
            rx.text(card.text, size="2", color_scheme="gray"),
            spacing="2",
        ),
        class_name="suggestion",
    )


def _deletion_banner() -> rx.Component:
    return rx.cond(
        DashboardState.deletion_date != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(
                "Your account will be deleted on ",
                rx.text.strong(DashboardState.deletion_date),
                ". Changed your mind? ",
            ),
            rx.button(
                "Cancel the deletion",
                on_click=DashboardState.cancel_deletion,
                id="cancel-deletion",
                size="1",
                color_scheme="red",
            ),
            color_scheme="red",
            width="100%",
            id="deletion-banner",
        ),
    )


def _owner_view() -> rx.Component:
    return rx.vstack(
        _deletion_banner(),
        passkey_offer(),
        rx.heading("Welcome, ", DashboardState.host_name, size="8", as_="h1", id="greeting"),
        rx.text(DashboardState.greeting, size="4", color_scheme="gray", id="use-case-greeting"),
        rx.card(
            rx.hstack(
                rx.icon("link", size=18),
                rx.text(DashboardState.full_url, weight="medium", id="my-url"),
                rx.spacer(),
                rx.button(
                    rx.icon("copy", size=16),
                    "Copy link",
                    variant="soft",
                    on_click=DashboardState.copy_url,
                    id="copy-url",
                ),
                align="center",
                width="100%",
                wrap="wrap",
            ),
            width="100%",
        ),
        rx.hstack(
            rx.heading("Your rooms and sessions", size="5", as_="h2"),
            rx.spacer(),
            create_button(),
            width="100%",
            align="center",
            padding_top="16px",
        ),
        rooms_area(
            rx.card(
                rx.vstack(
                    rx.text("Nothing here yet. A good place to start:", color_scheme="gray"),
                    rx.grid(
                        rx.foreach(DashboardState.suggestions, _suggestion),
                        columns=rx.breakpoints(initial="1", sm="3"),
                        spacing="3",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                width="100%",
                id="empty-state",
            )
        ),
        spacing="4",
        width="100%",
    )


def _public_view() -> rx.Component:
    return rx.center(
        rx.vstack(
            host_avatar(size="96px", large=True),
            rx.heading(
                DashboardState.host_name,
                size="8",
                as_="h1",
                id="host-name",
                custom_attrs={"elementtiming": "live-name"},  # benchmarks/paint.py
            ),
            rx.text(DashboardState.site, "/", DashboardState.host_url, color_scheme="gray"),
            rx.card(
                rx.text(
                    "No public rooms yet. If you were given a room link, open that link to join.",
                    color_scheme="gray",
                ),
                margin_top="16px",
            ),
            align="center",
            spacing="3",
            padding_top="24px",
        ),
    )


def _missing_view() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("search-x", size=40, color=rx.color("gray", 9)),
            rx.heading("There's nobody here", size="7", as_="h1", id="not-found"),
            rx.text(
                "Nobody has the address ",
                rx.code(DashboardState.site, "/", DashboardState.requested),
                ". Check the link you were given.",
                color_scheme="gray",
            ),
            link_button("Go to the home page", href=routes.HOME, size="3"),
            align="center",
            spacing="4",
            padding_top="48px",
            max_width="520px",
            text_align="center",
        ),
    )


def dashboard_page() -> rx.Component:
    return page(
        rx.cond(DashboardState.view == View.OWNER, settings_dialog()),
        rx.match(
            DashboardState.view,
            (View.OWNER, _owner_view()),
            (View.PUBLIC, _public_view()),
            (View.MISSING, _missing_view()),
            rx.center(rx.spinner(size="3"), padding_top="64px"),
        ),
        header_right=(
            rx.cond(
                DashboardState.view == View.OWNER,
                _profile_menu(),
                rx.cond(
                    DashboardState.signed_in,
                    rx.fragment(),
                    public_nav(),
                ),
            ),
        ),
    )
