"""Onboarding's last step: choose the unique URL, checked as it is typed, claimed for
good only after a confirmation that names it in full."""

from __future__ import annotations

import reflex as rx

from session_app.accounts.urls import MAX_LENGTH, MIN_LENGTH, UrlStatus
from session_app.pages.onboarding.buttons import step_buttons
from session_app.pages.onboarding.state import OnboardingState


def _url_status() -> rx.Component:
    colour = rx.match(OnboardingState.url_status, (UrlStatus.AVAILABLE.value, "green"), "red")
    return rx.cond(
        OnboardingState.url_status != "",
        rx.hstack(
            rx.icon(
                rx.cond(
                    OnboardingState.url_status == UrlStatus.AVAILABLE.value, "circle-check", "circle-alert"
                ),
                size=16,
            ),
            rx.text(
                OnboardingState.url_message, size="2", id="url-status", data_status=OnboardingState.url_status
            ),
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
                    rx.code(OnboardingState.full_url, size="4", id="confirm-url", overflow_wrap="anywhere"),
                    rx.text(
                        "Your dashboard and every room and session you create will live under it. "
                        "You can't change it later."
                    ),
                    spacing="3",
                ),
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Go back", variant="soft", color_scheme="gray", on_click=OnboardingState.cancel_claim
                    ),
                ),
                rx.alert_dialog.action(
                    rx.button(
                        "Yes, claim it",
                        id="confirm-claim",
                        on_click=OnboardingState.claim,
                        loading=OnboardingState.saving,
                    ),
                ),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=OnboardingState.confirm_open,
        on_open_change=OnboardingState.confirm_open_changed,  # Escape goes back too
    )


def url_step() -> rx.Component:
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
                    name="url",
                    value=OnboardingState.url_typed,
                    on_change=OnboardingState.set_url,
                    debounce_timeout=120,
                    auto_focus=True,
                    auto_complete="off",
                    spell_check=False,
                    size="3",
                    width="100%",
                    aria_invalid=rx.cond(
                        OnboardingState.url_status == UrlStatus.AVAILABLE.value, "false", "true"
                    ),
                    aria_describedby="url-status url-preview",
                    # Focus comes back here when a chosen alternative disappears (focus.js).
                    custom_attrs={"data-focus-rescue": ""},
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
                        " in another tab or on another device. "
                        "It's yours for good, so nothing else was claimed.",
                    ),
                    rx.link("Go to my dashboard", href=OnboardingState.claimed_path, id="go-to-dashboard"),
                    id="already-claimed",
                    role="alert",
                    color_scheme="amber",
                    width="100%",
                ),
            ),
            step_buttons(
                rx.button(
                    "Claim this URL",
                    id="claim",
                    size="3",
                    type="submit",
                    disabled=OnboardingState.url_status != UrlStatus.AVAILABLE.value,
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
