"""Settings → Notifications: browser notifications on or off, as the browser allows."""

from __future__ import annotations

import asyncio

import reflex as rx

from session_app.accounts import preferences
from session_app.auth.sessions import SignedIn
from session_app.components.settings.section import SectionState, section
from session_app.models import Profile
from session_app.states.account import signed_in_only
from session_app.states.browser import Action, ask_browser

PERMISSIONS = {"granted", "denied", "default", "unsupported"}


class NotificationSettingsState(SectionState):
    notifications: bool = False
    permission: str = ""  # the browser's answer: "granted", "denied", "default" or "unsupported"

    def _load(self, profile: Profile, who: SignedIn) -> None:
        self.notifications = profile.notifications

    async def _read_permission(self) -> None:
        """The browser's permission can change behind our back: read it at every opening."""
        await ask_browser(self, Action.NOTIFICATION_PERMISSION, NotificationSettingsState.browser_permission)

    @rx.event
    def browser_permission(self, permission: str):
        self.permission = permission if permission in PERMISSIONS else "unsupported"

    @rx.event
    @signed_in_only
    async def toggle_notifications(self, enabled: bool):
        who = self._who
        if not enabled:
            self.notifications = False
            await asyncio.to_thread(preferences.set_notifications, who.user_id, False)
            return
        await ask_browser(
            self, Action.ASK_NOTIFICATION_PERMISSION, NotificationSettingsState.permission_answered
        )

    @rx.event
    @signed_in_only
    async def permission_answered(self, permission: str):
        who = self._who
        self.browser_permission(permission)
        self.notifications = self.permission == "granted"
        await asyncio.to_thread(preferences.set_notifications, who.user_id, self.notifications)

    @rx.event
    async def send_test_notification(self):
        await ask_browser(self, Action.TEST_NOTIFICATION)


def notifications_section() -> rx.Component:
    state = NotificationSettingsState
    return section(
        "Notifications",
        rx.hstack(
            rx.switch(
                # On only while the browser agrees: its permission is read at every opening.
                checked=state.notifications & (state.permission == "granted"),
                on_change=state.toggle_notifications,
                id="notifications-switch",
                disabled=state.permission == "unsupported",
            ),
            rx.el.label(
                "Browser notifications when someone is waiting in or joins your room",
                html_for="notifications-switch",
            ),
            align="center",
            spacing="3",
        ),
        rx.match(
            state.permission,
            (
                "unsupported",
                rx.callout("This browser can't show notifications.", icon="info", id="notifications-help"),
            ),
            (
                "denied",
                rx.callout(
                    "Notifications are blocked for this site. Allow them in your browser's site settings "
                    "(the icon left of the address), then turn this on again.",
                    icon="bell-off",
                    color_scheme="amber",
                    id="notifications-help",
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            state.notifications & (state.permission == "granted"),
            rx.button(
                "Send a test notification",
                variant="soft",
                on_click=state.send_test_notification,
                id="test-notification",
                width="fit-content",
            ),
        ),
    )
