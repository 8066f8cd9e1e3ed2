"""Settings → Profile: the display name (saved after a short pause) and the use case."""

from __future__ import annotations

import asyncio

import reflex as rx

from session_app.accounts import preferences
from session_app.accounts.names import InvalidName
from session_app.accounts.use_cases import USE_CASES
from session_app.auth.sessions import SignedIn
from session_app.components.layout import field_error
from session_app.components.settings.section import SectionState, section
from session_app.models import Profile
from session_app.states.account import signed_in_only
from session_app.states.dashboard import DashboardState

NAME_SAVE_PAUSE_MS = 400


class ProfileSettingsState(SectionState):
    name: str = ""
    name_status: str = ""  # "saving", "saved" or "error"
    name_error: str = ""
    use_case: str = ""

    def _load(self, profile: Profile, who: SignedIn) -> None:
        self.name = profile.display_name or ""
        self.name_status = self.name_error = ""
        self.use_case = profile.use_case or ""

    @rx.event
    @signed_in_only
    async def save_name(self, value: str):
        who = self._who
        self.name = value[:500]
        self.name_status = "saving"
        yield
        try:
            stored = await asyncio.to_thread(preferences.set_display_name, who.user_id, self.name)
        except InvalidName as refused:
            self.name_status = "error"
            self.name_error = str(refused)
            return
        self.name_error = ""
        self.name_status = "saved"
        dashboard = await self.get_state(DashboardState)
        dashboard._show_name(stored)

    @rx.event
    @signed_in_only
    async def save_use_case(self, key: str):
        who = self._who
        try:
            await asyncio.to_thread(preferences.set_use_case, who.user_id, key)
        except ValueError:
            return
        self.use_case = key
        dashboard = await self.get_state(DashboardState)
        dashboard._show_use_case(key)


def _name_status() -> rx.Component:
    """Inside a live region that is always there, so each change is announced."""
    return rx.el.span(_name_status_text(), role="status", id="name-save-region")


def _name_status_text() -> rx.Component:
    return rx.match(
        ProfileSettingsState.name_status,
        ("saving", rx.text("Saving…", size="1", color_scheme="gray", id="name-save-status")),
        ("saved", rx.text("Saved", size="1", color=rx.color("green", 11), id="name-save-status")),
        ("error", rx.text("Not saved", size="1", color=rx.color("red", 11), id="name-save-status")),
        rx.fragment(),
    )


def profile_section() -> rx.Component:
    return section(
        "Profile",
        rx.hstack(
            rx.el.label("Display name", html_for="settings-name", font_weight="500"),
            rx.spacer(),
            _name_status(),
            width="100%",
        ),
        rx.input(
            id="settings-name",
            # Controlled, so Reflex wraps it in its debounced input (with default_value
            # the timeout was silently ignored and every keystroke saved).
            value=ProfileSettingsState.name,
            on_change=ProfileSettingsState.save_name,
            debounce_timeout=NAME_SAVE_PAUSE_MS,
            width="100%",
            aria_describedby="settings-name-error",
        ),
        field_error(ProfileSettingsState.name_error, "settings-name-error"),
        rx.el.label("How you use Session", html_for="settings-use-case", font_weight="500"),
        rx.el.select(
            *[rx.el.option(case.title, value=case.key) for case in USE_CASES],
            id="settings-use-case",
            value=ProfileSettingsState.use_case,
            on_change=ProfileSettingsState.save_use_case,
            class_name="native-select",
        ),
    )
