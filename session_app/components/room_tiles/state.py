"""The room tiles' state: the owner's rooms and sessions, create, rename, delete, arrivals.

While the dashboard is open it checks for new arrivals every few seconds: a host with
notifications on gets a browser notification (clicking it opens the room), and
everyone gets a toast.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx
from reflex.config import get_config

from session_app import routes
from session_app.accounts.preferences import preferences_of
from session_app.accounts.use_cases import use_case
from session_app.components.notifications import tell_host
from session_app.pages.room import lobby
from session_app.rooms import presence, rooms
from session_app.states.account import AccountState, signed_in_only
from session_app.states.browser import copy_to_clipboard, toast
from session_app.states.dashboard import DashboardState, View

CHECK_ARRIVALS_MS = 3000
DURATIONS = (
    (15, "15 minutes"),
    (30, "30 minutes"),
    (45, "45 minutes"),
    (60, "1 hour"),
    (90, "1½ hours"),
    (120, "2 hours"),
    (180, "3 hours"),
)


@dataclasses.dataclass
class RoomTile:
    id: int
    name: str
    kind: str
    when: str
    link: str
    path: str


class RoomTilesState(AccountState):
    tiles: list[RoomTile] = []
    create_open: bool = False
    create_kind: str = rooms.Kind.ROOM
    create_name: str = ""
    create_when: str = ""
    create_duration: str = "60"
    create_error: str = ""
    rename_id: int = 0
    rename_name: str = ""
    delete_id: int = 0

    @rx.event
    async def load_rooms(self):
        who = await self._signed_in()
        dashboard = await self.get_state(DashboardState)
        if who is None or dashboard.view != View.OWNER:
            self.tiles = []
            return
        await self._load(who.user_id, dashboard.host_url)

    async def _load(self, user_id: int, host_url: str = "") -> None:
        host_url = host_url or (await self.get_state(DashboardState)).host_url
        zone = (await asyncio.to_thread(preferences_of, user_id)).time_zone or "UTC"
        base = get_config().deploy_url or ""
        self.tiles = [
            RoomTile(
                id=room.id,
                name=room.name,
                kind=room.kind,
                when=rooms.describe_start(room.starts_at, zone, room.duration_minutes)
                if room.starts_at
                else "",
                link=routes.absolute(base, routes.room(host_url, room.slug)),
                path=routes.room(host_url, room.slug),
            )
            for room in await asyncio.to_thread(rooms.rooms_of, user_id)
        ]

    @rx.event
    async def open_create(self):
        case = use_case((await self.get_state(DashboardState)).use_case_key)
        self.create_open = True
        self.create_kind = rooms.Kind.SESSION if case is not None and case.session_first else rooms.Kind.ROOM
        self.create_name = self.create_when = self.create_error = ""
        self.create_duration = "60"

    @rx.event
    def set_create_open(self, is_open: bool):
        self.create_open = is_open

    @rx.event
    def set_create_kind(self, kind: str | list[str]):
        if isinstance(kind, str) and kind in {rooms.Kind.ROOM, rooms.Kind.SESSION}:
            self.create_kind = kind

    @rx.event
    def set_create_name(self, value: str):
        self.create_name = value[:200]

    @rx.event
    def set_create_when(self, value: str):
        self.create_when = value[:40]

    @rx.event
    def set_create_duration(self, value: str):
        self.create_duration = value[:5]

    @rx.event
    @signed_in_only
    async def create(self, _form: dict):
        who = self._who
        try:
            starts_at, minutes = None, None
            if self.create_kind == rooms.Kind.SESSION:
                # The stored zone, not this tab's copy: another tab may have changed it.
                zone = (await asyncio.to_thread(preferences_of, who.user_id)).time_zone or "UTC"
                starts_at = rooms.session_start_utc(self.create_when, zone)
                text = self.create_duration
                minutes = int(text) if text.isascii() and text.isdigit() else 0
            await asyncio.to_thread(
                rooms.create_room, who.user_id, self.create_name, self.create_kind, starts_at, minutes
            )
        except (rooms.RoomError, ValueError) as refused:
            self.create_error = str(refused)
            return
        self.create_open = False
        await self._load(who.user_id)

    @rx.event
    async def copy_link(self, room_id: int):
        # The link comes from this state, never from the browser's arguments.
        link = next((tile.link for tile in self.tiles if tile.id == room_id), None)
        if link is None:
            return
        await copy_to_clipboard(self, link)
        await toast(self, "Link copied", level="success", id="room-link-copied")

    @rx.event
    def start_rename(self, room_id: int, name: str):
        self.rename_id, self.rename_name = _room_id(room_id), str(name)[:200]

    @rx.event
    def set_rename_name(self, value: str):
        self.rename_name = value[:200]

    @rx.event
    @signed_in_only
    async def finish_rename(self):
        who = self._who
        try:
            await asyncio.to_thread(rooms.rename_room, who.user_id, self.rename_id, self.rename_name)
        except rooms.RoomError as refused:
            await toast(self, str(refused), level="error")
            return
        self.rename_id = 0
        await self._load(who.user_id)

    @rx.event
    def ask_delete(self, room_id: int):
        self.delete_id = _room_id(room_id)

    @rx.event
    def set_delete_dialog(self, is_open: bool):
        if not is_open:
            self.delete_id = 0

    @rx.event
    @signed_in_only
    async def confirm_delete(self):
        who = self._who
        try:
            await asyncio.to_thread(rooms.delete_room, who.user_id, self.delete_id)
            lobby.publish(self.delete_id)  # the guests inside are told it closed
        except rooms.RoomError:
            pass
        self.delete_id = 0
        await self._load(who.user_id)

    @rx.event
    async def check_arrivals(self, _now=None):
        who = await self._signed_in()
        if who is None or (await self.get_state(DashboardState)).view != View.OWNER:
            return None
        arrivals = await asyncio.to_thread(presence.new_arrivals, who.user_id)
        if not arrivals:
            return None
        notify = (await asyncio.to_thread(preferences_of, who.user_id)).notifications
        await self._load(who.user_id)
        await tell_host(self, arrivals, notify)
        return None


def _room_id(value) -> int:
    """An id the browser sent, as a sane int (0 when it is not one)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**62 else 0
