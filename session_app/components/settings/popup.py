"""The settings popup on the owner's dashboard: every change saves as it is made.

Each section (one module each, beside this one) owns its values and handlers, and
saves only what it owns through accounts/preferences.py, which has no way to change
the email or the unique URL. This module opens and closes the popup and loads them.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from session_app.accounts import preferences
from session_app.components.passkeys.state import PasskeySettingsState
from session_app.components.settings.account import AccountSettingsState, account_section
from session_app.components.settings.notifications import NotificationSettingsState, notifications_section
from session_app.components.settings.photo import PhotoSettingsState, photo_section
from session_app.components.settings.preferences import PreferenceSettingsState, preferences_section
from session_app.components.settings.profile import ProfileSettingsState, profile_section
from session_app.states.account import AccountState
from session_app.states.dashboard import DashboardState, View, detect_time_zone
from session_app.states.page_view import PageViewState

SECTIONS = (
    ProfileSettingsState,
    PhotoSettingsState,
    NotificationSettingsState,
    PreferenceSettingsState,
    AccountSettingsState,
    PasskeySettingsState,
)


class SettingsState(AccountState):
    open: bool = False

    @rx.event
    async def open_settings(self):
        who = await self._signed_in()
        dashboard = await self.get_state(DashboardState)
        if who is None or dashboard.view != View.OWNER:
            return None
        profile = await asyncio.to_thread(preferences.preferences_of, who.user_id)
        dashboard.time_zone = profile.time_zone  # another tab may have changed it
        for section_class in SECTIONS:
            (await self.get_state(section_class))._load(profile, who)
        await (await self.get_state(AccountSettingsState))._list_sessions(who, profile.time_zone)
        await (await self.get_state(PasskeySettingsState))._open(who)
        self.open = True
        notifications = await self.get_state(NotificationSettingsState)
        await notifications._read_permission()
        if not profile.time_zone:
            await detect_time_zone(self)
        return None

    @rx.event
    async def open_from_link(self):
        """The deep link: /<url>?settings=1 opens the popup on the owner's dashboard.

        Any new page view starts with it closed, even in a tab that left it open
        (coming back from an emailed link's page must not find it over the banner). A
        reconnect (a worker restarted or killed) keeps it as it was, for the owner.
        """
        dashboard = await self.get_state(DashboardState)
        reconnected = (await self.get_state(PageViewState))._take_reconnect()
        if reconnected and dashboard.view == View.OWNER:
            return None
        self.open = False
        if dashboard.view == View.OWNER and self.router.url.query_parameters.get("settings") == "1":
            return SettingsState.open_settings
        return None

    @rx.event
    def set_open(self, is_open: bool):
        self.open = is_open


def settings_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Settings"),
            rx.dialog.description("Changes save as you make them.", size="2", color_scheme="gray"),
            # Plain overflow, not a scroll area: its table layout grew as wide as the
            # widest row and pushed the popup past a 320 px screen (1.4.10).
            rx.box(
                rx.vstack(
                    profile_section(),
                    rx.separator(size="4"),
                    photo_section(),
                    rx.separator(size="4"),
                    notifications_section(),
                    rx.separator(size="4"),
                    preferences_section(),
                    rx.separator(size="4"),
                    account_section(),
                    spacing="5",
                    padding_right="12px",
                    padding_y="12px",
                    min_width="0",
                ),
                max_height="70vh",
                overflow_y="auto",
                overflow_x="hidden",
                id="settings-body",
            ),
            rx.hstack(
                rx.dialog.close(rx.button("Done", id="settings-done")),
                justify="end",
                margin_top="12px",
            ),
            max_width="min(560px, calc(100vw - 32px))",
            id="settings-dialog",
            # Opened from the profile menu, whose item is gone by then (assets/focus.js).
            custom_attrs={"data-return-focus": "#profile-menu"},
        ),
        open=SettingsState.open,
        on_open_change=SettingsState.set_open,
    )
