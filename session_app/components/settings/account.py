"""Settings → Account: the email and URL (read-only), where you're signed in, your
data, and deleting the account (confirmed by email)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

import reflex as rx
from reflex.config import get_config

from session_app.accounts import deletion, export, sign_ins, time_zones
from session_app.auth.sessions import SignedIn
from session_app.components.layout import field_error
from session_app.components.passkeys.view import passkeys_part
from session_app.components.settings.section import SectionState, section
from session_app.environment import get_environment
from session_app.models import Profile
from session_app.states.account import signed_in_only
from session_app.states.dashboard import DashboardState


@dataclasses.dataclass
class SignInRow:
    id: int
    device: str
    last_seen: str
    current: bool


def in_zone(moment: dt.datetime, zone: str) -> str:
    """A stored UTC time as the person reads it: "30 Nov 2026, 19:05 Asia/Tokyo"."""
    local, zone = time_zones.in_zone(moment, zone)
    return f"{local:%d %b %Y, %H:%M} {time_zones.zone_name(zone)}"


class AccountSettingsState(SectionState):
    sessions: list[SignInRow] = []
    sessions_message: str = ""
    delete_open: bool = False
    delete_typed: str = ""
    delete_error: str = ""
    delete_sent: bool = False

    def _load(self, profile: Profile, who: SignedIn) -> None:
        self.delete_open = self.delete_sent = False
        self.delete_typed = self.delete_error = ""
        self.sessions_message = ""

    @rx.var
    def support_email(self) -> str:
        return get_environment().support_email

    @rx.var
    def grace_days(self) -> int:
        return get_environment().deletion_grace_days

    async def _list_sessions(self, who: SignedIn, zone: str) -> None:
        found = await asyncio.to_thread(sign_ins.active_sessions, who.user_id, who.session_id)
        self.sessions = [
            SignInRow(s.id, s.device, in_zone(s.last_seen, zone or "UTC"), s.current) for s in found
        ]

    @rx.event
    @signed_in_only
    async def sign_out_others(self):
        who = self._who
        ended = await asyncio.to_thread(sign_ins.sign_out_other_sessions, who.user_id, who.session_id)
        await self._list_sessions(who, (await self.get_state(DashboardState)).time_zone)
        self.sessions_message = f"Signed out of {ended} other session{'s' if ended != 1 else ''}."

    @rx.event
    @signed_in_only
    async def download_data(self):
        who = self._who
        data = await asyncio.to_thread(export.export_account, who.user_id)
        host_url = (await self.get_state(DashboardState)).host_url
        return rx.download(data=data, filename=f"session-{host_url}-data.json")

    @rx.event
    def set_delete_open(self, is_open: bool):
        self.delete_open = is_open
        if not is_open:
            self.delete_error = ""

    @rx.event
    def set_delete_typed(self, value: str):
        self.delete_typed = value[:100]

    @rx.event
    @signed_in_only
    async def request_deletion(self):
        who = self._who
        try:
            await asyncio.to_thread(
                deletion.request_deletion, who.user_id, self.delete_typed, get_config().api_url
            )
        except deletion.DeletionError as refused:
            self.delete_error = str(refused)
            return
        self.delete_error = ""
        self.delete_sent = True


def _sign_in_row(row: SignInRow) -> rx.Component:
    return rx.hstack(
        rx.icon("monitor-smartphone", size=16),
        rx.text(row.device, size="2"),
        rx.text("· last seen ", row.last_seen, size="2", color_scheme="gray"),
        rx.cond(row.current, rx.badge("This browser")),
        align="center",
        class_name="session-row",
    )


def account_section() -> rx.Component:
    state = AccountSettingsState
    return section(
        "Account",
        rx.el.label("Email", font_weight="500"),
        rx.text(state.user_email, id="settings-email"),
        rx.text(
            "Email changes go through support: write to ",
            rx.link(state.support_email, href="mailto:" + state.support_email),
            ".",
            size="2",
            color_scheme="gray",
        ),
        rx.el.label("Your URL", font_weight="500"),
        rx.text(DashboardState.full_url, id="settings-url"),
        rx.text("Your URL cannot be changed.", size="2", color_scheme="gray"),
        rx.el.label("Where you're signed in", font_weight="500"),
        rx.foreach(state.sessions, _sign_in_row),
        rx.hstack(
            rx.button(
                "Sign out of all other sessions",
                variant="soft",
                on_click=state.sign_out_others,
                id="sign-out-others",
            ),
            rx.button(
                rx.icon("download", size=16),
                "Download my data",
                variant="soft",
                on_click=state.download_data,
                id="download-data",
            ),
            wrap="wrap",
            spacing="3",
        ),
        rx.cond(
            state.sessions_message != "", rx.text(state.sessions_message, size="2", id="sessions-message")
        ),
        passkeys_part(),
        _delete_account(),
    )


def _delete_account() -> rx.Component:
    state = AccountSettingsState
    return rx.vstack(
        rx.button(
            "Delete my account…",
            color_scheme="red",
            variant="soft",
            on_click=state.set_delete_open(True),
            id="delete-account",
        ),
        rx.cond(
            state.delete_open,
            rx.card(
                rx.cond(
                    state.delete_sent,
                    rx.text(
                        "Check your email: the deletion starts only when you confirm it "
                        "from the link we sent.",
                        id="deletion-email-sent",
                    ),
                    rx.vstack(
                        rx.text(
                            "This deletes your profile, photo, sign-in methods, sessions and all your "
                            "rooms and sessions. Your URL is retired: nobody, you included, can use it "
                            "again. We'll email you a link to confirm; the deletion happens ",
                            state.grace_days,
                            " days after that, and you can cancel until then.",
                            size="2",
                        ),
                        rx.el.label("Type your URL to confirm", html_for="delete-typed", font_weight="500"),
                        rx.input(
                            id="delete-typed",
                            placeholder=DashboardState.host_url,
                            value=state.delete_typed,
                            on_change=state.set_delete_typed,
                            width="100%",
                        ),
                        field_error(state.delete_error, "delete-error"),
                        rx.hstack(
                            rx.button(
                                "Keep my account",
                                variant="soft",
                                color_scheme="gray",
                                on_click=state.set_delete_open(False),
                            ),
                            rx.button(
                                "Email me a confirmation link",
                                color_scheme="red",
                                on_click=state.request_deletion,
                                id="request-deletion",
                            ),
                            spacing="3",
                            wrap="wrap",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                ),
                width="100%",
            ),
        ),
        width="100%",
        spacing="3",
    )
