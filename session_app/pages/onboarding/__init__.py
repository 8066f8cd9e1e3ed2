"""Onboarding: use case, display name, unique URL; one saved step at a time."""

from __future__ import annotations

import reflex as rx

from session_app.accounts.urls import MAX_LENGTH, MIN_LENGTH
from session_app.accounts.use_cases import USE_CASES
from session_app.components.layout import field_error, page
from session_app.pages.onboarding.state import STEP_TITLES, OnboardingState
from session_app.states.account import AccountState


def _progress() -> rx.Component:
    return rx.vstack(
        rx.text("Step ", OnboardingState.step, f" of {len(STEP_TITLES)}", size="2", color_scheme="gray", id="step-counter"),
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


def _use_case_step() -> rx.Component:
    return rx.vstack(
        rx.heading("How will you use Session?", size="7", as_="h1"),
        rx.text("We'll shape your dashboard around it. You can change it later in settings.", color_scheme="gray"),
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


def _buttons(primary: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.button("Back", id="back", variant="soft", color_scheme="gray", size="3", on_click=OnboardingState.back, type="button"),
        rx.spacer(),
        primary,
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
            _buttons(rx.button("Continue", id="continue", size="3", type="submit")),
            spacing="4",
            width="100%",
        ),
        on_submit=OnboardingState.submit_name,
        no_validate=True,
        width="100%",
    )


def _url_status() -> rx.Component:
    colour = rx.match(OnboardingState.url_status, ("available", "green"), "red")
    return rx.cond(
        OnboardingState.url_status != "",
        rx.hstack(
            rx.icon(rx.cond(OnboardingState.url_status == "available", "circle-check", "circle-alert"), size=16),
            rx.text(OnboardingState.url_message, size="2", id="url-status", data_status=OnboardingState.url_status),
            color=rx.color(colour, 11),
            align="center",
            spacing="2",
            role="status",
        ),
    )


def _suggestions() -> rx.Component:
    return rx.cond(
        OnboardingState.suggestions.length() > 0,
        rx.vstack(
            rx.text("Free alternatives:", size="2", color_scheme="gray"),
            rx.hstack(
                rx.foreach(
                    OnboardingState.suggestions,
                    lambda suggestion: rx.button(
                        suggestion,
                        variant="outline",
                        size="2",
                        type="button",
                        class_name="url-suggestion",
                        on_click=OnboardingState.use_suggestion(suggestion),
                    ),
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
        ),
    )


def _confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Claim this URL for good?"),
            rx.alert_dialog.description(
                rx.vstack(
                    rx.code(OnboardingState.full_url, size="4", id="confirm-url"),
                    rx.text(
                        "Your dashboard and every room and session you create will live under it. "
                        "You can't change it later."
                    ),
                    spacing="3",
                ),
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Go back", variant="soft", color_scheme="gray", on_click=OnboardingState.cancel_claim),
                ),
                rx.alert_dialog.action(
                    rx.button("Yes, claim it", id="confirm-claim", on_click=OnboardingState.claim, loading=OnboardingState.saving),
                ),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=OnboardingState.confirm_open,
    )


def _url_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Choose your URL", size="7", as_="h1"),
            rx.text(
                "It's the address of your dashboard and the start of every room link you share. ",
                rx.text.strong("It can't be changed later."),
                color_scheme="gray",
            ),
            rx.el.label("Your URL", html_for="url", font_weight="500"),
            rx.hstack(
                rx.text(OnboardingState.site, color_scheme="gray", white_space="nowrap", id="url-prefix"),
                rx.input(
                    id="url",
                    value=OnboardingState.url_typed,
                    on_change=OnboardingState.set_url,
                    debounce_timeout=120,
                    auto_focus=True,
                    auto_complete="off",
                    spell_check=False,
                    size="3",
                    width="100%",
                    aria_invalid=rx.cond(OnboardingState.url_status == "available", "false", "true"),
                    aria_describedby="url-status url-preview",
                ),
                align="center",
                spacing="2",
                width="100%",
            ),
            _url_status(),
            rx.text(
                "Your URL: ",
                rx.text.strong(OnboardingState.full_url, id="url-preview"),
                size="2",
                color_scheme="gray",
            ),
            rx.text(
                f"{MIN_LENGTH} to {MAX_LENGTH} characters: letters a–z, digits and single hyphens.",
                size="1",
                color_scheme="gray",
            ),
            _suggestions(),
            rx.cond(
                OnboardingState.claimed_url != "",
                rx.callout.root(
                    rx.callout.text(
                        "You already claimed ",
                        rx.text.strong(OnboardingState.claimed_full_url),
                        " in another tab or on another device. It's yours for good, so nothing else was claimed.",
                    ),
                    rx.link("Go to my dashboard", href=OnboardingState.claimed_path, id="go-to-dashboard"),
                    id="already-claimed",
                    role="alert",
                    color_scheme="amber",
                    width="100%",
                ),
            ),
            _buttons(
                rx.button(
                    "Claim this URL",
                    id="claim",
                    size="3",
                    type="submit",
                    disabled=OnboardingState.url_status != "available",
                )
            ),
            _confirm_dialog(),
            spacing="4",
            width="100%",
        ),
        on_submit=OnboardingState.submit_url,
        no_validate=True,
        width="100%",
    )


def log_out_button() -> rx.Component:
    return rx.button("Log out", id="log-out", variant="soft", color_scheme="gray", on_click=AccountState.log_out)


def onboarding_page() -> rx.Component:
    return page(
        rx.center(
            rx.card(
                rx.vstack(
                    _progress(),
                    rx.match(
                        OnboardingState.step,
                        (1, _use_case_step()),
                        (2, _name_step()),
                        _url_step(),
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
            rx.text(AccountState.user_email, size="2", color_scheme="gray", id="signed-in-email"),
            log_out_button(),
        ),
    )
