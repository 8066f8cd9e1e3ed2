"""Passkeys in Settings → Account and the dashboard's one-time offer: add one with the
browser's own dialog, name it, see when it was added and last used, remove it."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from session_app.accounts import passkey_list, preferences, time_zones
from session_app.auth import passkeys
from session_app.auth.rate_limits import allow_passkey_ceremony
from session_app.auth.sessions import SignedIn
from session_app.components.settings.section import SectionState
from session_app.models import Profile
from session_app.states.account import signed_in_only
from session_app.states.browser import Action, ask_browser
from session_app.states.dashboard import DashboardState, View
from session_app.states.passkey_answers import BROWSER_ERRORS, BROWSER_FAILED, NONE, browser_error, support_of

log = logging.getLogger(__name__)

ADDED = "Passkey added. Next time, choose \u201cSign in with a passkey\u201d: no email needed."


@dataclasses.dataclass
class PasskeyRow:
    id: int
    name: str
    added: str
    last_used: str
    synced: bool


def _day(moment: dt.datetime | None, zone: str) -> str:
    if moment is None:
        return "never"
    local, _ = time_zones.in_zone(moment, zone or "UTC")
    return f"{local:%d %b %Y}"


def _as_id(value: object) -> int | None:
    """A passkey id as a browser sent it (anything, from a tampered client)."""
    try:
        return int(str(value))
    except ValueError:
        return None


class PasskeySettingsState(SectionState):
    passkey_support: str = ""  # "" until the browser says; "none" hides every control
    passkeys: list[PasskeyRow] = []
    passkey_message: str = ""
    passkey_error: str = ""
    adding: bool = False
    removing_id: int = 0  # the passkey whose removal waits for a second press
    offer_visible: bool = False  # the dashboard's one-time offer
    offer_done: bool = False  # a passkey was added from the offer
    _challenge_id: int | None = None

    def _load(self, profile: Profile, who: SignedIn) -> None:
        self.passkey_message = self.passkey_error = ""
        self.removing_id = 0

    async def _list(self, who: SignedIn) -> list[passkey_list.PasskeyInfo]:
        found = await asyncio.to_thread(passkey_list.passkeys_of, who.user_id)
        zone = (await self.get_state(DashboardState)).time_zone
        self.passkeys = [
            PasskeyRow(p.id, p.name, _day(p.created_at, zone), _day(p.last_used_at, zone), p.synced)
            for p in found
        ]
        return found

    async def _open(self, who: SignedIn) -> None:
        """The popup opened: the list, and whether this browser can add one."""
        await self._list(who)
        await ask_browser(self, Action.PASSKEY_SUPPORT, reply=PasskeySettingsState.supported)

    @rx.event
    def supported(self, answer: str):
        self.passkey_support = support_of(answer)

    @rx.event
    @signed_in_only
    async def add_passkey(self):
        who = self._who
        if self.adding or self.passkey_support in {"", NONE}:
            return
        self.passkey_message = self.passkey_error = ""
        refusal = await asyncio.to_thread(allow_passkey_ceremony, self.router.session.client_ip)
        if refusal is not None:
            self.passkey_error = refusal.message
            return
        profile = await asyncio.to_thread(preferences.preferences_of, who.user_id)
        tab = self.router.session.client_token
        try:
            ceremony = await asyncio.to_thread(
                passkeys.begin_registration, who.user_id, tab, who.email, profile.display_name or ""
            )
        except SQLAlchemyError:
            log.exception("could not start adding a passkey")
            self.passkey_error = passkeys.CANT_ADD
            return
        self._challenge_id = ceremony.challenge_id
        self.adding = True
        await ask_browser(
            self, Action.PASSKEY_CREATE, reply=PasskeySettingsState.created, options=ceremony.options
        )

    @rx.event
    @signed_in_only
    async def created(self, answer: str):
        who = self._who
        self.adding = False
        challenge_id, self._challenge_id = self._challenge_id, None
        failure = browser_error(answer)
        if failure is not None:
            log.info("passkey dialog ended: %s", failure)
            self.passkey_error = BROWSER_ERRORS.get(failure, BROWSER_FAILED)
            return
        try:
            await asyncio.to_thread(
                passkeys.finish_registration,
                who.user_id,
                self.router.session.client_token,
                challenge_id,
                answer,
                self.router.headers.user_agent,
            )
        except passkeys.PasskeyError as refused:
            self.passkey_error = str(refused)
            return
        except SQLAlchemyError:
            log.exception("could not store a passkey")
            self.passkey_error = passkeys.CANT_ADD
            return
        self.passkey_message = ADDED
        self.offer_done, self.offer_visible = self.offer_visible, False
        await self._list(who)

    @rx.event
    @signed_in_only
    async def rename(self, passkey_id: int, name: str):
        who = self._who
        self.passkey_message = self.passkey_error = ""
        key = _as_id(passkey_id)
        if key is None:
            return
        try:
            await asyncio.to_thread(passkey_list.rename_passkey, who.user_id, key, str(name)[:200])
        except passkey_list.InvalidPasskeyName as refused:
            self.passkey_error = str(refused)
            return
        await self._list(who)

    @rx.event
    def ask_to_remove(self, passkey_id: int):
        self.removing_id = _as_id(passkey_id) or 0
        self.passkey_message = self.passkey_error = ""

    @rx.event
    def keep(self):
        self.removing_id = 0

    @rx.event
    @signed_in_only
    async def remove(self):
        who = self._who
        passkey_id, self.removing_id = self.removing_id, 0
        if passkey_id and await asyncio.to_thread(passkey_list.remove_passkey, who.user_id, passkey_id):
            self.passkey_message = "Passkey removed. It no longer signs in to your account."
        await self._list(who)

    # --- The dashboard's offer ---------------------------------------------------------

    @rx.event
    @signed_in_only
    async def check_offer(self):
        """on_load of the dashboard: offered to its owner with no passkey yet who never
        dismissed it, and only once the browser says it can."""
        who = self._who
        self.offer_visible = self.offer_done = False
        self.passkey_message = self.passkey_error = ""
        dashboard = await self.get_state(DashboardState)
        if dashboard.view != View.OWNER:
            return
        profile = await asyncio.to_thread(preferences.preferences_of, who.user_id)
        if profile.passkey_offer_dismissed or await self._list(who):
            return
        await ask_browser(self, Action.PASSKEY_SUPPORT, reply=PasskeySettingsState.offer_supported)

    @rx.event
    def offer_supported(self, answer: str):
        self.passkey_support = support_of(answer)
        self.offer_visible = self.passkey_support != NONE

    @rx.event
    @signed_in_only
    async def dismiss_offer(self):
        self.offer_visible = False
        await asyncio.to_thread(preferences.dismiss_passkey_offer, self._who.user_id)
