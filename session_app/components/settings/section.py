"""What every settings section shares: its frame, and its place under the dashboard."""

from __future__ import annotations

import reflex as rx

from session_app.auth.sessions import SignedIn
from session_app.models import Profile
from session_app.states.account import AccountState


class SectionState(AccountState):
    """A section of the popup. Each loads its values when the popup opens and saves
    only the one value each handler owns (accounts/preferences.py)."""

    def _load(self, profile: Profile, who: SignedIn) -> None:
        raise NotImplementedError


def section(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.vstack(rx.heading(title, size="4", as_="h2"), *children, spacing="3", width="100%", **props)
