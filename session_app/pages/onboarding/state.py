"""Onboarding's state: each step saved on the server, the URL checked as it is typed."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import reflex as rx
from reflex.config import get_config

from session_app import routes
from session_app.accounts import profiles
from session_app.accounts.names import InvalidName, clean_display_name
from session_app.accounts.urls import MAX_LENGTH, UrlStatus
from session_app.states.account import AccountState

STEP_TITLES = ("Use case", "Your name", "Your URL")


class OnboardingState(AccountState):
    step: int = 0  # 0 until load() has read the saved step: the page shows that it is loading
    use_case: str = ""
    display_name: str = ""
    name_error: str = ""
    url_typed: str = ""
    url: str = ""
    url_status: str = ""  # a UrlStatus, or "" before anything is typed
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
    async def load(self):
        who = await self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN, replace=True)
        view = await asyncio.to_thread(profiles.load_profile, who.user_id)
        if view.finished:
            return rx.redirect(routes.dashboard(view.url), replace=True)
        await self._show(view)
        return None

    async def _show(self, view: profiles.ProfileView) -> None:
        self.claimed_url = ""
        self.step = view.step
        self.use_case = view.use_case
        self.display_name = view.display_name
        self.name_error = ""
        self.confirm_open = False
        if view.step == profiles.STEP_URL and not self.url_typed:
            suggestions = await asyncio.to_thread(profiles.free_suggestions, view.display_name, 1)
            await self._check(suggestions[0] if suggestions else "")

    # Step 1 -------------------------------------------------------------------

    @rx.event
    def choose_use_case(self, key: str):
        self.use_case = key

    @rx.event
    async def save_use_case(self):
        who = await self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN)
        if not self.use_case:
            return None
        try:
            view = await asyncio.to_thread(profiles.save_use_case, who.user_id, self.use_case)
        except (ValueError, profiles.OnboardingOrder):
            return OnboardingState.load
        await self._show(view)
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
        who = await self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN)
        try:
            view = await asyncio.to_thread(profiles.save_display_name, who.user_id, self.display_name)
        except InvalidName as refused:
            self.name_error = str(refused)
            return None
        except profiles.OnboardingOrder:
            return OnboardingState.load
        await self._show(view)
        return None

    @rx.event
    async def back(self):
        who = await self._signed_in()
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

    async def _check(self, typed: str) -> None:
        self.url_typed = typed[:100]
        check = await asyncio.to_thread(profiles.check_url, self.url_typed, self.display_name)
        answer = {
            "url": check.url[: MAX_LENGTH + 10],
            "url_status": check.status,
            "url_message": check.message,
            "suggestions": list(check.suggestions),
        }
        # Only what changed goes back to the tab: typing on through free URLs sends the URL.
        for name, value in answer.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    @rx.event
    async def set_url(self, typed: str):
        await self._check(typed)

    @rx.event
    async def use_suggestion(self, url: str):
        await self._check(url)

    async def _ask_to_confirm(self) -> None:
        await self._check(self.url_typed)
        if self.url_status == UrlStatus.AVAILABLE:
            self.confirm_open = True

    def _finished_elsewhere(self, url: str) -> None:
        """Another tab or device claimed a URL first: say which, never a silent switch."""
        self.confirm_open = False
        self.claimed_url = url
        self.url_status, self.url_message, self.suggestions = "", "", []

    @rx.event
    async def submit_url(self, _form: dict):
        who = await self._signed_in()
        if who is None:
            return rx.redirect(routes.LOG_IN)
        view = await asyncio.to_thread(profiles.load_profile, who.user_id)
        if view.finished:
            self._finished_elsewhere(view.url)
            return None
        await self._ask_to_confirm()
        return None

    @rx.event
    def cancel_claim(self):
        self.confirm_open = False

    @rx.event
    def confirm_open_changed(self, is_open: bool):
        if not is_open:
            self.confirm_open = False

    @rx.event
    async def claim(self):
        who = await self._signed_in()
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
        self.url_status = (
            UrlStatus.TAKEN if result.outcome is profiles.ClaimOutcome.TAKEN else UrlStatus.INVALID
        )
        self.url_message = result.message
        self.suggestions = await asyncio.to_thread(profiles.free_suggestions, self.display_name)
