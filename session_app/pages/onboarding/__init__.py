"""Onboarding: use case, display name, unique URL; one saved step at a time."""

from __future__ import annotations

import reflex as rx

from session_app.accounts.use_cases import USE_CASES
from session_app.components.layout import field_error, page
from session_app.pages.onboarding.buttons import step_buttons
from session_app.pages.onboarding.state import STEP_TITLES, OnboardingState
from session_app.pages.onboarding.url_step import url_step
from session_app.states.account import AccountState


def _progress() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Step ",
            OnboardingState.step,
            f" of {len(STEP_TITLES)}",
            size="2",
            color_scheme="gray",
            id="step-counter",
        ),
        rx.hstack(
            *[
                rx.box(
                    height="6px",
                    flex="1",
                    border_radius="3px",
                    background=rx.cond(OnboardingState.step >= n, rx.color("accent", 9), rx.color("gray", 5)),
                    title=title,
                )
                for n, title in enumerate(STEP_TITLES, start=1)
            ],
            width="100%",
            spacing="2",
            role="progressbar",
            aria_label="Onboarding progress",
            aria_valuemin=1,
            aria_valuemax=len(STEP_TITLES),
            aria_valuenow=OnboardingState.step,
        ),
        width="100%",
        spacing="2",
    )


def _loading() -> rx.Component:
    """Until the saved step is known (also the HTML before any script runs): no step that
    looks ready to use but would drop a key pressed before the page is live."""
    return rx.flex(
        rx.spinner(size="3"),
        rx.text("Loading your next step…", color_scheme="gray"),
        role="status",
        direction="column",
        align="center",
        justify="center",
        gap="3",
        min_height="240px",
        width="100%",
    )


def _use_case_step() -> rx.Component:
    return rx.vstack(
        rx.heading("How will you use Session?", size="7", as_="h1"),
        rx.text(
            "We'll shape your dashboard around it. You can change it later in settings.", color_scheme="gray"
        ),
        rx.radio_cards.root(
            *[
                rx.radio_cards.item(
                    rx.hstack(
                        rx.icon(case.icon, size=22, color=rx.color("accent", 10)),
                        rx.vstack(
                            rx.text(case.title, weight="bold"),
                            rx.text(case.blurb, size="2", color_scheme="gray"),
                            spacing="1",
                            align="start",
                        ),
                        align="center",
                        spacing="3",
                        width="100%",
                    ),
                    value=case.key,
                    id=f"use-case-{case.key}",
                )
                for case in USE_CASES
            ],
            value=OnboardingState.use_case,
            on_value_change=OnboardingState.choose_use_case,
            columns=rx.breakpoints(initial="1", sm="2"),
            width="100%",
            aria_label="How will you use Session?",
        ),
        rx.hstack(
            rx.spacer(),
            rx.button(
                "Continue",
                id="continue",
                size="3",
                disabled=OnboardingState.use_case == "",
                on_click=OnboardingState.save_use_case,
            ),
            width="100%",
        ),
        spacing="5",
        width="100%",
    )


def _name_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("What should people call you?", size="7", as_="h1"),
            rx.text("Others see this name when you host or join a session or room.", color_scheme="gray"),
            rx.el.label("Display name", html_for="display-name", font_weight="500"),
            rx.input(
                id="display-name",
                name="display-name",
                value=OnboardingState.display_name,
                on_change=OnboardingState.set_display_name,
                debounce_timeout=150,
                auto_focus=True,
                auto_complete="name",
                size="3",
                width="100%",
                aria_invalid=rx.cond(OnboardingState.name_error != "", "true", "false"),
                aria_describedby="name-error",
            ),
            field_error(OnboardingState.name_error, "name-error"),
            step_buttons(rx.button("Continue", id="continue", size="3", type="submit")),
            spacing="4",
            width="100%",
        ),
        on_submit=OnboardingState.submit_name,
        no_validate=True,
        width="100%",
    )


def log_out_button() -> rx.Component:
    return rx.button(
        "Log out", id="log-out", variant="soft", color_scheme="gray", on_click=AccountState.log_out
    )


def onboarding_page() -> rx.Component:
    return page(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.match(
                        OnboardingState.step,
                        (0, _loading()),
                        (1, rx.fragment(_progress(), _use_case_step())),
                        (2, rx.fragment(_progress(), _name_step())),
                        rx.fragment(_progress(), url_step()),
                    ),
                    spacing="5",
                    width="100%",
                ),
                size="4",
                width="100%",
                max_width="620px",
            ),
        ),
        header_right=(
            rx.text(
                AccountState.user_email,
                size="2",
                color_scheme="gray",
                id="signed-in-email",
                overflow_wrap="anywhere",
            ),
            log_out_button(),
        ),
    )
