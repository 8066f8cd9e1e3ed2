"""Back and the step's own button, the same on every onboarding step."""

from __future__ import annotations

import reflex as rx

from session_app.pages.onboarding.state import OnboardingState


def step_buttons(primary: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.button(
            "Back",
            id="back",
            variant="soft",
            color_scheme="gray",
            size="3",
            on_click=OnboardingState.back,
            type="button",
        ),
        rx.spacer(),
        primary,
        width="100%",
    )
