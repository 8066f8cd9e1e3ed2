"""The Reflex app: the route table, the backend's HTTP routes and background work."""

from __future__ import annotations

import asyncio
import functools
import logging

import reflex as rx
from reflex.event import EventSpec

from session_app import (
    models,  # noqa: F401 - the tables, for `reflex db` (Alembic)
    routes,
    worker_liveness,
)
from session_app.accounts import deletion
from session_app.auth.http import auth_routes
from session_app.components.passkeys.state import PasskeySettingsState
from session_app.components.room_tiles.state import RoomTilesState
from session_app.components.settings.photo import PhotoSettingsState
from session_app.components.settings.popup import SettingsState
from session_app.event_socket import EventSocketFirst
from session_app.housekeeping import purge_expired
from session_app.mail.outbox import run_delivery_loop
from session_app.media.http import media_routes
from session_app.media.storage import get_store
from session_app.memory import return_freed_memory
from session_app.page_status import NotFoundStatus
from session_app.pages.dashboard import dashboard_page
from session_app.pages.landing import LandingState, landing_page
from session_app.pages.mailbox import MailboxState, mailbox_page
from session_app.pages.onboarding import OnboardingState, onboarding_page
from session_app.pages.room import RoomState, room_page
from session_app.pages.room.lobby import watch_tabs
from session_app.pages.sign_in import SignInState, sign_in_page
from session_app.pages.sign_in.passkey import PasskeySignInState
from session_app.security_headers import SecurityHeaders
from session_app.states.account import AccountState
from session_app.states.browser import BrowserState
from session_app.states.dashboard import DashboardState
from session_app.states.page_view import PageViews
from session_app.upload_limit import UploadLimit

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
for noisy in ("alembic", "httpx", "httpcore", "httpx2", "httpcore2"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

log = logging.getLogger("session_app")


def friendly_error(exception: Exception) -> EventSpec:
    """What a person sees when a handler fails: never the exception, in any mode."""
    log.error("event handler failed", exc_info=exception)
    return BrowserState.tell_error()


# The only handlers that take files; any other named in an upload is a 400.
UPLOAD_HANDLERS = ("upload_avatar",)


async def tell_uploader(client_token: str, handler: str, message: str) -> None:
    """A refused photo upload: its tab shows why next to the photo control."""
    if not handler.endswith(".upload_avatar"):
        return
    async with app.modify_state(rx.BaseStateToken(ident=client_token, cls=PhotoSettingsState)) as state:
        photo = await state.get_state(PhotoSettingsState)
        photo._upload_refused(message)


app = rx.App(
    api_transformer=[
        auth_routes(),
        media_routes(),
        functools.partial(UploadLimit, on_refused=tell_uploader, handlers=UPLOAD_HANDLERS),
        SecurityHeaders,
        NotFoundStatus,
        lambda chain: EventSocketFirst(chain, app),  # outermost: the tabs' websocket skips the rest
    ],
    backend_exception_handler=friendly_error,
    head_components=[
        rx.el.meta(name="referrer", content="strict-origin-when-cross-origin"),
        rx.el.script(src="/focus.js", async_=True),  # dialogs hold focus; titles say where
    ],
    stylesheets=["/accessibility.css", "/prepaint.css"],
)
app.add_middleware(PageViews())  # load handlers tell a reconnect from a new page view

# Every page, its title and its on_load, in one table (reserved URLs derive from it).
# Every page first tells a browser whose session was ended elsewhere.
told = AccountState.tell_if_signed_out
app.add_page(landing_page, route=routes.HOME, title="Session", on_load=[told, LandingState.load])
app.add_page(
    lambda: sign_in_page("signup"),
    route=routes.SIGN_UP,
    title="Sign up · Session",
    on_load=[told, SignInState.load, PasskeySignInState.check_support],
)
app.add_page(
    lambda: sign_in_page("login"),
    route=routes.LOG_IN,
    title="Log in · Session",
    on_load=[told, SignInState.load, PasskeySignInState.check_support],
)
app.add_page(
    onboarding_page, route=routes.ONBOARDING, title="Set up · Session", on_load=[told, OnboardingState.load]
)
app.add_page(mailbox_page, route=routes.DEV_MAILBOX, title="Mailbox · Session", on_load=MailboxState.load)
# Last: every static route above wins over a person's URL.
app.add_page(
    dashboard_page,
    route=routes.DASHBOARD,
    title="Session",
    on_load=[
        told,
        DashboardState.load,
        SettingsState.open_from_link,
        RoomTilesState.load_rooms,
        PasskeySettingsState.check_offer,
    ],
)
app.add_page(room_page, route=routes.ROOM, title="Join · Session", on_load=[told, RoomState.load])

app.register_lifespan_task(run_delivery_loop)


async def run_deletion_loop() -> None:
    """Carry out confirmed deletions whose grace period has ended (checked each minute)."""
    while True:
        try:
            for deletion_id in await asyncio.to_thread(deletion.due_deletions):
                await asyncio.to_thread(deletion.execute_deletion, deletion_id, get_store())
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("deletion job failed; it resumes at the next run")
        await asyncio.sleep(60)


app.register_lifespan_task(run_deletion_loop)
app.register_lifespan_task(worker_liveness.keep_alive)  # Reflex passes it the app
app.register_lifespan_task(watch_tabs)  # closed tabs leave their rooms at once


async def run_housekeeping() -> None:
    """Remove expired sessions, sign-in secrets and old mail, hourly."""
    while True:
        try:
            await asyncio.to_thread(purge_expired)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("housekeeping failed; it runs again in an hour")
        await asyncio.sleep(3600)


app.register_lifespan_task(run_housekeeping)
app.register_lifespan_task(return_freed_memory)  # expired tabs' memory back to the system
