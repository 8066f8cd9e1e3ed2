"""Onboarding: use case, display name, unique URL; one saved step at a time."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import reflex as rx
from reflex.config import get_config

from session_app import routes
from session_app.accounts import profiles
from session_app.accounts.names import InvalidName, clean_display_name
from session_app.accounts.urls import MAX_LENGTH
from session_app.accounts.use_cases import USE_CASES
from session_app.components.layout import field_error, page
from session_app.states.session import SessionState

STEP_TITLES = ("Use case", "Your name", "Your URL")


class OnboardingState(SessionState):
    step: int = 1
    use_case: str = ""
    display_name: str = ""
    name_error: str = ""
    url_typed: str = ""
    url: str = ""
    url_status: str = ""  # "available", "taken", "reserved", "invalid" or ""
    url_message: str = ""
    suggestions: list[str] = []
    confirm_open: bool = False
    saving: bool = False
    claimed_url: str = ""  # set when another tab or device finished onboarding first

    @rx.var
    def site(self) -> str:
        """The host part shown before the URL field, e.g. session.example.com/."""
        return urlsplit(get_config().deploy_url or "").netloc + "/"

    @rx.var
    def full_url(self) -> str:
        return f"{(get_config().deploy_url or '').rstrip('/')}/{self.url}"

    @rx.var
    def claimed_full_url(self) -> str:
        return f"{(get_config().deploy_url or '').rstrip('/')}/{self.claimed_url}" if self.claimed_url else ""

    @rx.var
    def claimed_path(self) -> str:
        return routes.dashboard(self.claimed_url) if self.claimed_url else routes.HOME

    @rx.event
    def load(self):
        who = self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN, replace=True)
        view = profiles.load_profile(who.user_id)
        if view.finished:
            return rx.redirect(routes.dashboard(view.url), replace=True)
        self._show(view)
        return None

    def _show(self, view: profiles.ProfileView) -> None:
        self.claimed_url = ""
        self.step = view.step
        self.use_case = view.use_case
        self.display_name = view.display_name
        self.name_error = ""
        self.confirm_open = False
        if view.step == profiles.STEP_URL and not self.url_typed:
            suggestions = profiles.free_suggestions(view.display_name, count=1)
            self._check(suggestions[0] if suggestions else "")

    # Step 1 -------------------------------------------------------------------

    @rx.event
    def choose_use_case(self, key: str):
        self.use_case = key

    @rx.event
    async def save_use_case(self):
        who = self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN)
        if not self.use_case:
            return None
        try:
            view = await asyncio.to_thread(profiles.save_use_case, who.user_id, self.use_case)
        except (ValueError, profiles.OnboardingOrder):
            return OnboardingState.load
        self._show(view)
        return None

    # Step 2 -------------------------------------------------------------------

    @rx.event
    def set_display_name(self, value: str):
        self.display_name = value[:500]
        try:
            clean_display_name(self.display_name)
        except InvalidName as refused:
            self.name_error = str(refused)
        else:
            self.name_error = ""

    @rx.event
    async def submit_name(self, _form: dict):
        return await self._save_name()

    async def _save_name(self):
        who = self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN)
        try:
            view = await asyncio.to_thread(profiles.save_display_name, who.user_id, self.display_name)
        except InvalidName as refused:
            self.name_error = str(refused)
            return None
        except profiles.OnboardingOrder:
            return OnboardingState.load
        self._show(view)
        return None

    @rx.event
    async def back(self):
        who = self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN)
        if self.step > profiles.STEP_USE_CASE:
            try:
                await asyncio.to_thread(profiles.go_back_to, who.user_id, self.step - 1)
            except profiles.OnboardingOrder:
                return OnboardingState.load
            self.step -= 1
        return None

    # Step 3 -------------------------------------------------------------------

    def _check(self, typed: str) -> None:
        self.url_typed = typed[:100]
        check = profiles.check_url(self.url_typed)
        self.url = check.url[:MAX_LENGTH + 10]
        self.url_status = check.status
        self.url_message = check.message
        self.suggestions = (
            profiles.free_suggestions(self.display_name) if check.status in {"taken", "reserved"} else []
        )

    @rx.event
    def set_url(self, typed: str):
        self._check(typed)

    @rx.event
    def use_suggestion(self, url: str):
        self._check(url)

    def _ask_to_confirm(self) -> None:
        self._check(self.url_typed)
        if self.url_status == "available":
            self.confirm_open = True

    def _finished_elsewhere(self, url: str) -> None:
        """Another tab or device claimed a URL first: say which, never a silent switch."""
        self.confirm_open = False
        self.claimed_url = url
        self.url_status, self.url_message, self.suggestions = "", "", []

    @rx.event
    def submit_url(self, _form: dict):
        who = self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN)
        view = profiles.load_profile(who.user_id)
        if view.finished:
            self._finished_elsewhere(view.url)
            return None
        self._ask_to_confirm()
        return None

    @rx.event
    def cancel_claim(self):
        self.confirm_open = False

    @rx.event
    async def claim(self):
        who = self._signed_in()
        if who is None:
            yield rx.redirect(routes.LOG_IN)
            return
        self.saving = True
        yield
        try:
            result = await asyncio.to_thread(profiles.claim_url, who.user_id, self.url_typed)
        except profiles.OnboardingOrder:
            self.saving = False
            yield OnboardingState.load
            return
        self.saving = False
        self.confirm_open = False
        if result.outcome is profiles.ClaimOutcome.ALREADY_FINISHED:
            self._finished_elsewhere(result.url)
            return
        if result.outcome is profiles.ClaimOutcome.CLAIMED:
            yield rx.redirect(routes.dashboard(result.url), replace=True)
            return
        self.url_status = "taken" if result.outcome is profiles.ClaimOutcome.TAKEN else "invalid"
        self.url_message = result.message
        self.suggestions = profiles.free_suggestions(self.display_name)


def _progress() -> rx.Component:
    return rx.vstack(
        rx.text("Step ", OnboardingState.step, " of 3", size="2", color_scheme="gray", id="step-counter"),
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
            aria_valuemax=3,
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
                "3 to 30 characters: letters a–z, digits and single hyphens.",
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
    return rx.button("Log out", id="log-out", variant="soft", color_scheme="gray", on_click=SessionState.log_out)


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
            rx.text(SessionState.user_email, size="2", color_scheme="gray", id="signed-in-email"),
            log_out_button(),
        ),
    )
