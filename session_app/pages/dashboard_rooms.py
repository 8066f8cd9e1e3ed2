"""The dashboard's rooms and sessions: create, tiles, rename, delete, and arrivals.

While the dashboard is open it checks for new arrivals every few seconds: a host with
notifications on gets a browser notification (clicking it opens the room), and
everyone gets a toast.
"""

from __future__ import annotations

import asyncio
import zoneinfo

import reflex as rx
from pydantic import BaseModel
from reflex.config import get_config

from session_app.accounts.preferences import settings_of
from session_app.components.layout import field_error
from session_app.components.notifications import arrival_events
from session_app.pages.dashboard import DashboardState
from session_app.rooms import rooms

CHECK_ARRIVALS_MS = 3000
SESSION_FIRST = {"webinars", "workshops", "teaching"}


class RoomTile(BaseModel):
    id: int
    name: str
    kind: str
    when: str
    link: str
    path: str


class RoomsState(DashboardState):
    tiles: list[RoomTile] = []
    create_open: bool = False
    create_kind: str = "room"
    create_name: str = ""
    create_when: str = ""
    create_duration: str = "60"
    create_error: str = ""
    rename_id: int = 0
    rename_name: str = ""
    delete_id: int = 0

    @rx.event
    def load_rooms(self):
        who = self._signed_in()
        if who is None or self.view != "owner":
            self.tiles = []
            return
        self._load(who.user_id)

    def _load(self, user_id: int) -> None:
        zone = settings_of(user_id).time_zone or "UTC"
        base = (get_config().deploy_url or "").rstrip("/")
        self.tiles = [
            RoomTile(
                id=room.id,
                name=room.name,
                kind=room.kind,
                when=_local(room.starts_at, zone, room.duration_minutes) if room.starts_at else "",
                link=f"{base}/{self.host_url}/{room.slug}",
                path=f"/{self.host_url}/{room.slug}",
            )
            for room in rooms.rooms_of(user_id)
        ]

    @rx.event
    def open_create(self):
        self.create_open = True
        self.create_kind = "session" if self.suggestions and _use_case_of(self) in SESSION_FIRST else "room"
        self.create_name = self.create_when = self.create_error = ""
        self.create_duration = "60"

    @rx.event
    def set_create_open(self, is_open: bool):
        self.create_open = is_open

    @rx.event
    def set_create_kind(self, kind: str | list[str]):
        if isinstance(kind, str) and kind in {"room", "session"}:
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
    async def create(self, _form: dict):
        who = self._signed_in()
        if who is None:
            return
        try:
            starts_at, minutes = None, None
            if self.create_kind == "session":
                zone = settings_of(who.user_id).time_zone or "UTC"
                starts_at = rooms.session_start_utc(self.create_when, zone)
                text = self.create_duration
                minutes = int(text) if text.isascii() and text.isdigit() else 0
            await asyncio.to_thread(rooms.create_room, who.user_id, self.create_name, self.create_kind, starts_at, minutes)
        except (rooms.RoomError, ValueError) as refused:
            self.create_error = str(refused)
            return
        self.create_open = False
        self._load(who.user_id)

    @rx.event
    def copy_link(self, room_id: int):
        # The link comes from this state, never from the browser's arguments.
        link = next((tile.link for tile in self.tiles if tile.id == room_id), None)
        if link is None:
            return None
        return [rx.set_clipboard(link), rx.toast.success("Link copied", id="room-link-copied")]

    @rx.event
    def start_rename(self, room_id: int, name: str):
        self.rename_id, self.rename_name = _room_id(room_id), str(name)[:200]

    @rx.event
    def set_rename_name(self, value: str):
        self.rename_name = value[:200]

    @rx.event
    async def finish_rename(self):
        who = self._signed_in()
        if who is None:
            return
        try:
            await asyncio.to_thread(rooms.rename_room, who.user_id, self.rename_id, self.rename_name)
        except rooms.RoomError as refused:
            yield rx.toast.error(str(refused))
            return
        self.rename_id = 0
        self._load(who.user_id)

    @rx.event
    def ask_delete(self, room_id: int):
        self.delete_id = _room_id(room_id)

    @rx.event
    def set_delete_dialog(self, is_open: bool):
        if not is_open:
            self.delete_id = 0

    @rx.event
    async def confirm_delete(self):
        who = self._signed_in()
        if who is None:
            return
        try:
            await asyncio.to_thread(rooms.delete_room, who.user_id, self.delete_id)
        except rooms.RoomError:
            pass
        self.delete_id = 0
        self._load(who.user_id)

    @rx.event
    async def check_arrivals(self, _now=None):
        who = self._signed_in()
        if who is None or self.view != "owner":
            return None
        arrivals = await asyncio.to_thread(rooms.new_arrivals, who.user_id)
        if not arrivals:
            return None
        notify = settings_of(who.user_id).notifications
        self._load(who.user_id)
        return arrival_events(arrivals, notify)


def _room_id(value) -> int:
    """An id the browser sent, as a sane int (0 when it is not one)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**62 else 0


def _use_case_of(state: RoomsState) -> str:
    who = state._signed_in()
    return settings_of(who.user_id).use_case or "" if who else ""


def _local(starts_at, zone: str, minutes: int | None) -> str:
    try:
        local = starts_at.astimezone(zoneinfo.ZoneInfo(zone))
    except zoneinfo.ZoneInfoNotFoundError:
        local = starts_at
    return f"{local:%a %d %b, %H:%M} ({zone.replace('_', ' ')}) · {minutes} min"


# --- Components ------------------------------------------------------------------------


def _tile(tile: RoomTile) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(rx.cond(tile.kind == "session", "calendar", "door-open"), size=18),
                rx.cond(
                    RoomsState.rename_id == tile.id,
                    rx.hstack(
                        rx.input(value=RoomsState.rename_name, on_change=RoomsState.set_rename_name, size="1", id="rename-input"),
                        rx.button("Save", size="1", on_click=RoomsState.finish_rename, id="rename-save"),
                    ),
                    rx.text(tile.name, weight="bold", class_name="room-name"),
                ),
                align="center",
                spacing="2",
            ),
            rx.cond(tile.when != "", rx.text(tile.when, size="1", color_scheme="gray")),
            rx.text(tile.link, size="1", color_scheme="gray", class_name="room-link"),
            rx.hstack(
                rx.button(rx.icon("copy", size=14), "Copy link", size="1", variant="soft", on_click=RoomsState.copy_link(tile.id)),
                rx.link(rx.button("Open", size="1", variant="soft"), href=tile.path, class_name="room-open"),
                rx.button("Rename", size="1", variant="ghost", on_click=RoomsState.start_rename(tile.id, tile.name), class_name="room-rename"),
                rx.button("Delete", size="1", variant="ghost", color_scheme="red", on_click=RoomsState.ask_delete(tile.id), class_name="room-delete"),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
        ),
        class_name="room-tile",
    )


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Create new"),
            rx.form(
                rx.vstack(
                    rx.segmented_control.root(
                        rx.segmented_control.item("Room", value="room"),
                        rx.segmented_control.item("Session", value="session"),
                        value=RoomsState.create_kind,
                        on_change=RoomsState.set_create_kind,
                        id="create-kind",
                    ),
                    rx.text(
                        rx.cond(RoomsState.create_kind == "session", "A scheduled event with a start time and its own link.", "A permanent room with a link that never changes."),
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.el.label("Name", html_for="create-name", font_weight="500"),
                    rx.input(id="create-name", value=RoomsState.create_name, on_change=RoomsState.set_create_name, width="100%", auto_focus=True),
                    rx.cond(
                        RoomsState.create_kind == "session",
                        rx.vstack(
                            rx.el.label("Starts (your time zone)", html_for="create-when", font_weight="500"),
                            rx.input(id="create-when", type="datetime-local", value=RoomsState.create_when, on_change=RoomsState.set_create_when),
                            rx.el.label("Duration", html_for="create-duration", font_weight="500"),
                            rx.el.select(
                                *[rx.el.option(label, value=str(minutes)) for minutes, label in ((15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1½ hours"), (120, "2 hours"), (180, "3 hours"))],
                                id="create-duration",
                                value=RoomsState.create_duration,
                                on_change=RoomsState.set_create_duration,
                            ),
                            spacing="2",
                            width="100%",
                        ),
                    ),
                    field_error(RoomsState.create_error, "create-error"),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Create", type="submit", id="create-submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=RoomsState.create,
                no_validate=True,
            ),
        ),
        open=RoomsState.create_open,
        on_open_change=RoomsState.set_create_open,
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this room?"),
            rx.alert_dialog.description("Its link will stop working for everyone. This can't be undone."),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=RoomsState.confirm_delete, id="confirm-delete")),
                justify="end",
                spacing="3",
                margin_top="12px",
            ),
        ),
        open=RoomsState.delete_id != 0,
        on_open_change=RoomsState.set_delete_dialog,
    )


def create_button() -> rx.Component:
    return rx.button(rx.icon("plus", size=16), "Create new", on_click=RoomsState.open_create, id="create-new")


def rooms_area(empty_state: rx.Component) -> rx.Component:
    return rx.fragment(
        rx.moment(interval=CHECK_ARRIVALS_MS, on_change=RoomsState.check_arrivals, display="none"),
        _create_dialog(),
        _delete_dialog(),
        rx.cond(
            RoomsState.tiles.length() > 0,
            rx.grid(rx.foreach(RoomsState.tiles, _tile), columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3", width="100%", id="room-tiles"),
            empty_state,
        ),
    )
