"""Signing in with a passkey: the button, and the email field's autofill where the
browser offers passkeys there (conditional mediation). Both end like a code: a
one-time ticket for the cookie route."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from session_app import routes
from session_app.auth import passkeys
from session_app.auth.rate_limits import allow_passkey_ceremony
from session_app.pages.sign_in.state import TRY_AGAIN
from session_app.states.account import AccountState, leave_for_backend
from session_app.states.browser import Action, ask_browser
from session_app.states.passkey_answers import (
    BROWSER_ERRORS,
    BROWSER_FAILED,
    CONDITIONAL,
    MODAL,
    browser_error,
    credential_id_of,
    support_of,
)

log = logging.getLogger(__name__)


class PasskeySignInState(AccountState):
    # What this browser can do: "" until it says, then "none", "modal" or "conditional".
    passkey_support: str = ""
    passkey_error: str = ""
    passkey_busy: bool = False
    _challenge_id: int | None = None  # the button's ceremony
    _autofill_id: int | None = None  # the email field's

    @rx.event
    async def check_support(self):
        """on_load of the sign-in pages: passkey controls appear only where they work."""
        self.passkey_error = ""
        await ask_browser(self, Action.PASSKEY_SUPPORT, reply=PasskeySignInState.supported)

    @rx.event
    async def supported(self, answer: str):
        self.passkey_support = support_of(answer)
        if self.passkey_support == CONDITIONAL:
            await self._begin(autofill=True)

    async def _begin(self, *, autofill: bool) -> bool:
        refusal = await asyncio.to_thread(allow_passkey_ceremony, self.router.session.client_ip)
        if refusal is not None:
            if not autofill:
                self.passkey_error = refusal.message
            return False
        try:
            ceremony = await asyncio.to_thread(passkeys.begin_sign_in, self.router.session.client_token)
        except SQLAlchemyError as exc:
            if autofill:  # unseen, and the button still works: no alarm
                log.warning("could not offer passkeys in the email field: %s", type(exc).__name__)
                return False
            log.exception("could not start a passkey sign-in")
            self.passkey_error = TRY_AGAIN
            return False
        if autofill:
            self._autofill_id = ceremony.challenge_id
        else:
            self._challenge_id = ceremony.challenge_id
        await ask_browser(
            self,
            Action.PASSKEY_GET,
            reply=PasskeySignInState.autofilled if autofill else PasskeySignInState.answered,
            options=ceremony.options,
            mediation="conditional" if autofill else "optional",
        )
        return True

    @rx.event
    async def sign_in_with_passkey(self):
        if self.passkey_support not in {MODAL, CONDITIONAL} or self.passkey_busy:
            return
        self.passkey_error = ""
        self.passkey_busy = await self._begin(autofill=False)

    @rx.event
    async def answered(self, answer: str):
        self.passkey_busy = False
        challenge_id, self._challenge_id = self._challenge_id, None
        if not await self._finish(answer, challenge_id) and self.passkey_support == CONDITIONAL:
            await self._begin(autofill=True)  # the button's dialog ended the autofill one

    @rx.event
    async def autofilled(self, answer: str):
        challenge_id, self._autofill_id = self._autofill_id, None
        if browser_error(answer) is not None:
            return  # ended by the button, by leaving the page or by the browser: the button still works
        if not await self._finish(answer, challenge_id):
            await self._begin(autofill=True)

    async def _finish(self, answer: str, challenge_id: int | None) -> bool:
        """Sign in with the browser's answer, or say why not; True once leaving."""
        failure = browser_error(answer)
        if failure is not None:
            log.info("passkey dialog ended: %s", failure)
            self.passkey_error = BROWSER_ERRORS.get(failure, BROWSER_FAILED)
            return False
        tab = self.router.session.client_token
        try:
            ticket = await asyncio.to_thread(passkeys.finish_sign_in, tab, challenge_id, answer)
        except passkeys.PasskeyError as refused:
            self.passkey_error = str(refused)
            if str(refused) == passkeys.UNKNOWN:
                forget = {"rp_id": passkeys.relying_party().id, "credential_id": credential_id_of(answer)}
                await ask_browser(self, Action.PASSKEY_FORGET, **forget)
            return False
        except SQLAlchemyError:
            log.exception("could not finish a passkey sign-in")
            self.passkey_error = TRY_AGAIN
            return False
        self.passkey_error = ""
        await leave_for_backend(self, f"{routes.AUTH_TICKET}?t={ticket}")
        return True
