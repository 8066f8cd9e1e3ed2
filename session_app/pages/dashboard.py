"""/<url>: the owner's dashboard, everyone else's public host page, or not found."""

from __future__ import annotations

import asyncio

import reflex as rx
from pydantic import BaseModel
from reflex.config import get_config

from session_app import routes
from session_app.accounts import lifecycle, profiles
from session_app.accounts.names import avatar_colour, initials
from session_app.accounts.preferences import set_time_zone, settings_of, time_zones
from session_app.accounts.use_cases import use_case
from session_app.components.avatar import initials_avatar
from session_app.components.layout import page, public_nav
from session_app.media.profile_photos import public_path, upload_url
from session_app.states.session import SessionState


def detect_time_zone() -> rx.event.EventSpec:
    """Ask the browser for its IANA time zone; DashboardState stores it the first time."""
    return rx.call_script("Intl.DateTimeFormat().resolvedOptions().timeZone", callback=DashboardState.detected_time_zone)


class SuggestionCard(BaseModel):
    title: str
    text: str
    icon: str


class DashboardState(SessionState):
    view: str = "loading"  # "owner", "public", "missing" or "loading"
    requested: str = ""
    host_name: str = ""
    host_url: str = ""
    host_initials: str = ""
    host_colour: str = ""
    greeting: str = ""
    suggestions: list[SuggestionCard] = []
    avatar_url: str = ""  # 128 px, for the header
    avatar_url_large: str = ""  # 512 px, for the public page
    deletion_date: str = ""  # when a confirmed deletion will happen, for the banner
    time_zone: str = ""

    @rx.var
    def full_url(self) -> str:
        return f"{(get_config().deploy_url or '').rstrip('/')}/{self.host_url}"

    @rx.var
    def site(self) -> str:
        return (get_config().deploy_url or "").split("://", 1)[-1].rstrip("/")

    @rx.event
    def load(self):
        self.requested = self.router.url.path.strip("/").split("/")[0][:100]
        who = self._signed_in()
        host = profiles.host_at(self.requested)
        if who is not None and (host is None or host.user_id != who.user_id):
            mine = profiles.load_profile(who.user_id)
            if not mine.finished:
                return rx.redirect(routes.ONBOARDING, replace=True)
        self.suggestions = []
        self.greeting = ""
        if host is None:
            self.view = "missing"
            self.host_name = self.host_url = self.host_initials = self.host_colour = ""
            return None
        self.host_name = host.display_name
        self.host_url = host.url
        self.host_initials = initials(host.display_name)
        self.host_colour = avatar_colour(host.user_id)
        api_url = get_config().api_url
        stem = host.avatar_stem
        self.avatar_url = upload_url(api_url, public_path(host.user_id, stem, 128)) if stem else ""
        self.avatar_url_large = upload_url(api_url, public_path(host.user_id, stem, 512)) if stem else ""
        if who is not None and who.user_id == host.user_id:
            self.view = "owner"
            case = use_case(profiles.load_profile(who.user_id).use_case)
            if case is not None:
                self.greeting = case.greeting
                self.suggestions = [SuggestionCard(title=s.title, text=s.text, icon=s.icon) for s in case.suggestions]
            stored = settings_of(who.user_id)
            self.account_theme = stored.theme
            scheduled = lifecycle.pending_deletion(who.user_id).scheduled_for
            self.deletion_date = f"{scheduled:%A %d %B %Y}" if scheduled else ""
            return None if stored.time_zone else detect_time_zone()
        self.view = "public"
        return None

    @rx.event
    async def detected_time_zone(self, zone: str):
        """The browser's zone, stored on the first visit (changeable in settings)."""
        who = self._signed_in()
        if who is None or not isinstance(zone, str) or zone not in time_zones():
            return
        if not settings_of(who.user_id).time_zone:
            await asyncio.to_thread(set_time_zone, who.user_id, zone)
            self.time_zone = zone

    @rx.event
    def cancel_deletion(self):
        who = self._signed_in()
        if who is None:
            return None
        lifecycle.cancel_deletion(who.user_id)
        self.deletion_date = ""
        return rx.toast.success("Your account will not be deleted.", id="deletion-cancelled")

    @rx.event
    def copy_url(self):
        return [rx.set_clipboard(self.full_url), rx.toast.success("Link copied", id="copied")]



def host_avatar(size: str = "36px", large: bool = False) -> rx.Component:
    """The photo if there is one, else the initials avatar."""
    url = DashboardState.avatar_url_large if large else DashboardState.avatar_url
    return rx.cond(
        url != "",
        rx.image(src=url, width=size, height=size, border_radius="50%", alt="", class_name="host-avatar-photo"),
        initials_avatar(DashboardState.host_initials, DashboardState.host_colour, size=size),
    )


def _profile_menu(open_settings) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                host_avatar(),
                variant="ghost",
                radius="full",
                padding="0",
                id="profile-menu",
                aria_label="Your profile menu",
            ),
        ),
        rx.menu.content(
            rx.text(DashboardState.user_email, size="1", color_scheme="gray", padding_x="12px", padding_y="6px"),
            rx.menu.item("Settings", on_click=open_settings, id="menu-settings"),
            rx.menu.separator(),
            rx.menu.item("Log out", on_click=SessionState.log_out, id="menu-log-out"),
            align="end",
        ),
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
            rx.button("Cancel the deletion", on_click=DashboardState.cancel_deletion, id="cancel-deletion", size="1", color_scheme="red"),
            color_scheme="red",
            width="100%",
            id="deletion-banner",
        ),
    )


def _owner_view() -> rx.Component:
    from session_app.pages.dashboard_rooms import create_button, rooms_area

    return rx.vstack(
        _deletion_banner(),
        rx.heading("Welcome, ", DashboardState.host_name, size="8", as_="h1", id="greeting"),
        rx.text(DashboardState.greeting, size="4", color_scheme="gray", id="use-case-greeting"),
        rx.card(
            rx.hstack(
                rx.icon("link", size=18),
                rx.text(DashboardState.full_url, weight="medium", id="my-url"),
                rx.spacer(),
                rx.button(rx.icon("copy", size=16), "Copy link", variant="soft", on_click=DashboardState.copy_url, id="copy-url"),
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
            rx.heading(DashboardState.host_name, size="8", as_="h1", id="host-name"),
            rx.text(DashboardState.site, "/", DashboardState.host_url, color_scheme="gray"),
            rx.card(
                rx.text("No public rooms yet. If you were given a room link, open that link to join.", color_scheme="gray"),
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
            rx.text("Nobody has the address ", rx.code(DashboardState.site, "/", DashboardState.requested), ". Check the link you were given.", color_scheme="gray"),
            rx.link(rx.button("Go to the home page", size="3"), href=routes.HOME),
            align="center",
            spacing="4",
            padding_top="48px",
            max_width="520px",
            text_align="center",
        ),
    )


def dashboard_page() -> rx.Component:
    from session_app.pages.settings import SettingsState, settings_dialog

    return page(
        rx.cond(DashboardState.view == "owner", settings_dialog()),
        rx.match(
            DashboardState.view,
            ("owner", _owner_view()),
            ("public", _public_view()),
            ("missing", _missing_view()),
            rx.center(rx.spinner(size="3"), padding_top="64px"),
        ),
        header_right=(
            rx.cond(
                DashboardState.view == "owner",
                _profile_menu(SettingsState.open_settings),
                rx.cond(
                    DashboardState.signed_in,
                    rx.fragment(),
                    public_nav(),
                ),
            ),
        ),
    )
