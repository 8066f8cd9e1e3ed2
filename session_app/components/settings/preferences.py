"""Settings → Preferences: the theme and the time zone (searchable, by place)."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx
from reflex.style import set_color_mode

from session_app.accounts import preferences, time_zones
from session_app.auth.sessions import SignedIn
from session_app.components.settings.account import AccountSettingsState
from session_app.components.settings.section import SectionState, section
from session_app.models import Profile
from session_app.states.dashboard import DashboardState


@dataclasses.dataclass
class ZoneOption:
    key: str
    label: str


class PreferenceSettingsState(SectionState):
    theme: str = "system"
    time_zone_query: str = ""
    time_zone_options: list[ZoneOption] = []

    def _load(self, profile: Profile, who: SignedIn) -> None:
        self.theme = profile.theme
        self.time_zone_query = ""
        self._list_time_zones(profile.time_zone)

    @rx.event
    async def save_theme(self, theme: str):
        who = await self._signed_in()
        if who is None or theme not in preferences.THEMES:
            return
        self.theme = theme
        self.account_theme = theme
        await asyncio.to_thread(preferences.set_theme, who.user_id, theme)

    @rx.event
    async def save_time_zone(self, zone: str):
        who = await self._signed_in()
        if who is None or zone not in preferences.time_zones():
            return
        await asyncio.to_thread(preferences.set_time_zone, who.user_id, zone)
        (await self.get_state(DashboardState)).time_zone = zone
        account = await self.get_state(AccountSettingsState)
        await account._list_sessions(who, zone)

    @rx.event
    async def search_time_zones(self, value: str):
        self.time_zone_query = value[:60]
        self._list_time_zones((await self.get_state(DashboardState)).time_zone)

    def _list_time_zones(self, current: str) -> None:
        """The places matching the search, the person's zone first (the dashboard holds it)."""
        self.time_zone_options = [
            ZoneOption(choice.key, choice.label)
            for choice in time_zones.choices(self.time_zone_query, current=current)
        ]


def preferences_section() -> rx.Component:
    state = PreferenceSettingsState
    return section(
        "Preferences",
        rx.el.label("Theme", html_for="settings-theme", font_weight="500"),
        rx.segmented_control.root(
            rx.segmented_control.item("Light", value="light"),
            rx.segmented_control.item("Dark", value="dark"),
            rx.segmented_control.item("System", value="system"),
            value=state.theme,
            on_change=lambda theme: [state.save_theme(theme), set_color_mode(theme)],
            id="settings-theme",
        ),
        rx.el.label("Time zone", html_for="settings-time-zone", font_weight="500"),
        rx.el.label(
            "Find your city or country",
            html_for="settings-time-zone-search",
            font_size="13px",
            color=rx.color("gray", 11),
        ),
        rx.input(
            id="settings-time-zone-search",
            value=state.time_zone_query,
            on_change=state.search_time_zones,
            debounce_timeout=200,
            placeholder="e.g. Lisbon, Japan",
            type="search",
            width="100%",
        ),
        rx.el.select(
            rx.el.option("Choose a time zone", value="", disabled=True),
            rx.foreach(state.time_zone_options, lambda zone: rx.el.option(zone.label, value=zone.key)),
            id="settings-time-zone",
            value=DashboardState.time_zone,
            on_change=state.save_time_zone,
            class_name="native-select",
        ),
    )
