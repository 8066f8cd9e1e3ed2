"""/<url>'s shared state: whose page this is and how the viewer sees it (owner, public
or missing). The dashboard page, the settings popup and the room tiles all read it;
the popup and the tiles reach it with `get_state`."""

from __future__ import annotations

import asyncio
import dataclasses
from enum import StrEnum

import reflex as rx
from reflex.config import get_config

from session_app import routes
from session_app.accounts import deletion, profiles
from session_app.accounts.names import avatar_colour, initials
from session_app.accounts.preferences import preferences_of, set_time_zone, time_zones
from session_app.accounts.use_cases import UseCase, use_case
from session_app.media.profile_photos import public_path
from session_app.states.account import AccountState, signed_in_only
from session_app.states.browser import Action, ask_browser, copy_to_clipboard, toast


class View(StrEnum):
    LOADING = "loading"
    OWNER = "owner"
    PUBLIC = "public"
    MISSING = "missing"


@dataclasses.dataclass
class SuggestionCard:
    title: str
    text: str
    icon: str


def suggestions_for(case: UseCase | None) -> list[SuggestionCard]:
    return [SuggestionCard(s.title, s.text, s.icon) for s in case.suggestions] if case else []


class DashboardState(AccountState):
    view: str = View.LOADING
    requested: str = ""
    host_name: str = ""
    host_url: str = ""
    host_initials: str = ""
    host_colour: str = ""
    greeting: str = ""
    suggestions: list[SuggestionCard] = []
    # Storage keys; components make them URLs with components.avatar.media_url.
    avatar_path: str = ""  # 128 px, for the header
    avatar_path_large: str = ""  # 512 px, for the public page
    deletion_date: str = ""  # when a confirmed deletion will happen, for the banner
    time_zone: str = ""
    use_case_key: str = ""

    @rx.var
    def full_url(self) -> str:
        return routes.absolute(get_config().deploy_url or "", routes.dashboard(self.host_url))

    @rx.var
    def site(self) -> str:
        return (get_config().deploy_url or "").split("://", 1)[-1].rstrip("/")

    @rx.event
    async def load(self):
        self.requested = str(self.url)[:100]
        who = await self._signed_in()
        host = await asyncio.to_thread(profiles.host_at, self.requested)
        if who is not None and (host is None or host.user_id != who.user_id):
            mine = await asyncio.to_thread(profiles.load_profile, who.user_id)
            if not mine.finished:
                return rx.redirect(routes.ONBOARDING, replace=True)
        self.suggestions = []
        self.greeting = ""
        if host is None:
            self.view = View.MISSING
            self.host_name = self.host_url = self.host_initials = self.host_colour = ""
            return None
        self.host_name = host.display_name
        self.host_url = host.url
        self.host_initials = initials(host.display_name)
        self._show_avatar(host.user_id, host.avatar_stem)
        if who is None or who.user_id != host.user_id:
            self.view = View.PUBLIC
            return None
        self.view = View.OWNER
        stored = await asyncio.to_thread(preferences_of, who.user_id)
        self._show_use_case(stored.use_case or "")
        self.account_theme = stored.theme
        self.time_zone = stored.time_zone
        scheduled = (await asyncio.to_thread(deletion.pending_deletion, who.user_id)).scheduled_for
        self.deletion_date = f"{scheduled:%A %d %B %Y}" if scheduled else ""
        if not stored.time_zone:
            await detect_time_zone(self)
        return None

    def _show_use_case(self, key: str) -> None:
        """The greeting and first suggestions follow the use case (accounts/use_cases.py)."""
        case = use_case(key)
        self.use_case_key = key
        self.greeting = case.greeting if case else ""
        self.suggestions = suggestions_for(case)

    def _show_avatar(self, user_id: int, stem: str | None) -> None:
        self.host_colour = avatar_colour(user_id)
        self.avatar_path = public_path(user_id, stem, 128) if stem else ""
        self.avatar_path_large = public_path(user_id, stem, 512) if stem else ""

    def _show_name(self, name: str) -> None:
        self.host_name = name
        self.host_initials = initials(name)

    @rx.event
    async def detected_time_zone(self, zone: str):
        """The browser's zone, stored on the first visit (changeable in settings)."""
        who = await self._signed_in()
        if who is None or not isinstance(zone, str) or zone not in time_zones():
            return
        if not (await asyncio.to_thread(preferences_of, who.user_id)).time_zone:
            await asyncio.to_thread(set_time_zone, who.user_id, zone)
            self.time_zone = zone

    @rx.event
    @signed_in_only
    async def cancel_deletion(self):
        who = self._who
        await asyncio.to_thread(deletion.cancel_deletion, who.user_id)
        self.deletion_date = ""
        await toast(self, "Your account will not be deleted.", level="success", id="deletion-cancelled")

    @rx.event
    async def copy_url(self):
        await copy_to_clipboard(self, self.full_url)
        await toast(self, "Link copied", level="success", id="copied")


async def detect_time_zone(state: rx.State) -> None:
    """Ask the browser for its IANA time zone; DashboardState stores it the first time."""
    await ask_browser(state, Action.TIME_ZONE, DashboardState.detected_time_zone)
