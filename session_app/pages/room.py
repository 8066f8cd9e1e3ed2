"""/<url>/<room>: join a room or session (no account needed), then its lobby.

The joining profile is remembered in this browser (local storage), prefilled for a
signed-in person from their profile, and changeable for this room only. The page
beats every two seconds while it is open; that keeps the person present, refreshes
who else is there, and lets a knock be answered. A closed tab stops beating and
disappears from everyone's lobby on its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import reflex as rx
from pydantic import BaseModel

from session_app import routes
from session_app.accounts.names import InvalidName, clean_display_name
from session_app.accounts.preferences import settings_of, time_zones
from session_app.accounts.profiles import load_profile
from session_app.components.layout import field_error, page
from session_app.components.notifications import BROWSER_ZONE, arrival_events
from session_app.rooms import rooms
from session_app.states.session import SessionState

BEAT_MS = 2000


class Person(BaseModel):
    id: int
    name: str
    colour: str
    is_host: bool
    status: str


class RoomState(SessionState):
    view: str = "loading"  # "missing", "join", "lobby", "waiting", "declined"
    room_name: str = ""
    host_name: str = ""
    kind: str = "room"
    when: str = ""
    locked: bool = False
    is_host: bool = False
    join_name: str = ""
    join_colour: str = "violet"
    name_error: str = ""
    people: list[Person] = []
    knocking: list[Person] = []
    viewer_zone: str = ""  # the browser's IANA zone, for a session's time
    saved_name: str = rx.LocalStorage("", name="session_joining_name")
    saved_colour: str = rx.LocalStorage("violet", name="session_joining_colour")
    _room_id: int | None = None
    _starts_at: dt.datetime | None = None
    _duration: int | None = None
    _host_id: int | None = None  # set only when the viewer is the signed-in host

    @rx.event
    def load(self):
        parts = self.router.url.path.strip("/").split("/")
        room = rooms.room_at(parts[0], parts[1]) if len(parts) >= 2 else None
        self.people, self.knocking = [], []
        if room is None:
            self.view, self._room_id = "missing", None
            return
        self._room_id = room.id
        self.room_name, self.host_name, self.kind, self.locked = room.name, room.host_name, room.kind, room.locked
        self._starts_at, self._duration = room.starts_at, room.duration_minutes
        self._describe_time()
        who = self._signed_in()
        self.is_host = who is not None and who.user_id == room.host_id
        self._host_id = who.user_id if self.is_host and who is not None else None
        self.join_name = self.saved_name
        if who is not None:
            self.join_name = load_profile(who.user_id).display_name or self.saved_name
            self.account_theme = settings_of(who.user_id).theme
        self.join_colour = self.saved_colour if self.saved_colour in rooms.COLOURS else "violet"
        self.name_error = ""
        self.view = "join"
        if room.starts_at:
            return rx.call_script(BROWSER_ZONE, callback=RoomState.set_viewer_zone)
        return None

    def _describe_time(self) -> None:
        if self._starts_at is None:
            self.when = ""
            return
        self.when = rooms.describe_start(self._starts_at, self.viewer_zone, self._duration)

    @rx.event
    def set_viewer_zone(self, zone: str):
        if isinstance(zone, str) and zone in time_zones():
            self.viewer_zone = zone
            self._describe_time()

    @rx.event
    def set_join_name(self, value: str):
        self.join_name = value[:500]

    @rx.event
    def set_join_colour(self, value: str):
        if value in rooms.COLOURS:
            self.join_colour = value

    @rx.event
    async def join(self, _form: dict):
        await self._enter()

    async def _enter(self) -> None:
        if self._room_id is None:
            return
        try:
            name = clean_display_name(self.join_name)
        except InvalidName as refused:
            self.name_error = str(refused)
            return
        who = self._signed_in()
        try:
            status = await asyncio.to_thread(
                rooms.join, self._room_id, self.router.session.client_token, name, self.join_colour, who.user_id if who else None
            )
        except rooms.RoomError:
            self.view, self._room_id = "closed", None
            return
        self.name_error = ""
        self.join_name = name
        if who is None:  # a guest's joining profile is remembered in this browser
            self.saved_name, self.saved_colour = name, self.join_colour
        self.view = "lobby" if status == "in" else "waiting"
        self._refresh()

    @rx.event
    async def beat(self, _now=None):
        if self._room_id is None or self.view not in {"lobby", "waiting"}:
            return None
        status = await asyncio.to_thread(rooms.heartbeat, self._room_id, self.router.session.client_token)
        if status == rooms.CLOSED:
            self.view, self._room_id = "closed", None
            self.people, self.knocking = [], []
            return None
        if status is None:
            self.view = "join"
        elif status == "declined":
            self.view = "declined"
        else:
            self.view = "lobby" if status == "in" else "waiting"
        self._refresh()
        return await self._tell_the_host()

    async def _tell_the_host(self):
        """The host waiting in their own room hears of knocks and arrivals here too."""
        if self._host_id is None:
            return None
        arrivals = await asyncio.to_thread(rooms.new_arrivals, self._host_id)
        if not arrivals:
            return None
        notify = settings_of(self._host_id).notifications
        return arrival_events(arrivals, notify)

    def _refresh(self) -> None:
        if self._room_id is None:
            return
        if self.view == "waiting" and not self.is_host:
            self.people, self.knocking = [], []  # a knocking guest learns nothing of the room
            return
        everyone = [Person(id=p.id, name=p.name, colour=p.colour, is_host=p.is_host, status=p.status) for p in rooms.participants(self._room_id)]
        self.people = [p for p in everyone if p.status == "in"]
        # Guests never see who is knocking; only the host does.
        self.knocking = [p for p in everyone if p.status == "waiting"] if self.is_host else []

    @rx.event
    async def set_locked(self, locked: bool):
        who = self._signed_in()
        if who is None or self._room_id is None:
            return
        try:
            await asyncio.to_thread(rooms.set_locked, who.user_id, self._room_id, locked)
        except rooms.RoomError:
            return
        self.locked = locked

    @rx.event
    async def answer(self, presence_id: int, admit: bool):
        who = self._signed_in()
        if who is None:
            return
        try:
            number = int(presence_id)
        except (TypeError, ValueError):
            return
        if not 0 < number < 2**62:
            return
        try:
            await asyncio.to_thread(rooms.answer_knock, who.user_id, number, bool(admit))
        except rooms.RoomError:
            return
        self._refresh()

    @rx.event
    async def leave(self):
        if self._room_id is not None:
            await asyncio.to_thread(rooms.leave, self._room_id, self.router.session.client_token)
        self.view = "join"
        self.people, self.knocking = [], []

    @rx.event
    async def knock_again(self):
        """A declined guest asks once more, with the same joining profile."""
        await self._enter()


def _dot(colour) -> rx.Component:
    return rx.box(width="12px", height="12px", border_radius="50%", background=rx.color(colour, 9))


def _colour_choice(colour: str) -> rx.Component:
    """A native radio, a swatch of the colour itself and its name: seen and heard."""
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="join-colour",
            value=colour,
            checked=RoomState.join_colour == colour,
            on_change=RoomState.set_join_colour,
            accent_color=rx.color(colour, 9),
            margin="0",
        ),
        rx.box(width="20px", height="20px", border_radius="50%", background=rx.color(colour, 9), class_name="colour-swatch"),
        rx.text(colour.capitalize(), size="2"),
        display="flex",
        align_items="center",
        gap="6px",
        cursor="pointer",
        class_name="colour-choice",
    )


def _person(person: Person) -> rx.Component:
    return rx.hstack(
        _dot(person.colour),
        rx.text(person.name),
        rx.cond(person.is_host, rx.badge("Host", color_scheme="violet")),
        align="center",
        spacing="2",
        class_name="lobby-person",
    )


def _knock(person: Person) -> rx.Component:
    return rx.hstack(
        _dot(person.colour),
        rx.text(person.name, " is waiting"),
        rx.spacer(),
        rx.button("Let in", size="1", on_click=RoomState.answer(person.id, True), class_name="admit"),
        rx.button("Decline", size="1", variant="soft", color_scheme="gray", on_click=RoomState.answer(person.id, False)),
        width="100%",
        align="center",
        class_name="knock",
    )


def _join_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Your name in this room", html_for="join-name", font_weight="500"),
            rx.input(id="join-name", value=RoomState.join_name, on_change=RoomState.set_join_name, width="100%", auto_focus=True),
            field_error(RoomState.name_error, "join-name-error"),
            rx.el.fieldset(
                rx.el.legend("Colour", font_weight="500", margin_bottom="6px"),
                rx.flex(*[_colour_choice(colour) for colour in rooms.COLOURS], wrap="wrap", gap="12px"),
                border="none",
                padding="0",
                margin="0",
            ),
            rx.button(rx.cond(RoomState.is_host, "Open my room", "Join"), type="submit", size="3", id="join"),
            spacing="3",
            width="100%",
        ),
        on_submit=RoomState.join,
        no_validate=True,
        width="100%",
    )


def _lobby() -> rx.Component:
    return rx.vstack(
        rx.cond(
            RoomState.is_host,
            rx.hstack(
                rx.switch(checked=RoomState.locked, on_change=RoomState.set_locked, id="lock-room"),
                rx.el.label("Lock the room: guests wait until you let them in", html_for="lock-room"),
                align="center",
                spacing="2",
            ),
        ),
        rx.cond(RoomState.knocking.length() > 0, rx.vstack(rx.foreach(RoomState.knocking, _knock), width="100%", id="knocks")),
        rx.text("Here now", weight="bold"),
        rx.vstack(rx.foreach(RoomState.people, _person), id="lobby-people"),
        rx.text("Audio and video come later: this is the lobby.", size="1", color_scheme="gray"),
        rx.button("Leave", variant="soft", color_scheme="gray", on_click=RoomState.leave, id="leave"),
        spacing="3",
        width="100%",
    )


def room_page() -> rx.Component:
    return page(
        rx.moment(interval=BEAT_MS, on_change=RoomState.beat, display="none"),
        rx.center(
            rx.card(
                rx.match(
                    RoomState.view,
                    (
                        "missing",
                        rx.vstack(
                            rx.heading("Room not found", size="6", as_="h1", id="room-missing"),
                            rx.text(
                                "There's no room at this link. Check it for typos, or ask the host for the link again.",
                                color_scheme="gray",
                            ),
                            rx.link("Go to the home page", href=routes.HOME),
                            spacing="3",
                        ),
                    ),
                    (
                        "closed",
                        rx.vstack(
                            rx.heading("This room has closed", size="6", as_="h1", id="room-closed"),
                            rx.text("The host deleted this room, so its link no longer works.", color_scheme="gray"),
                            rx.link("Go to the home page", href=routes.HOME),
                            spacing="3",
                            role="status",
                        ),
                    ),
                    ("loading", rx.spinner()),
                    rx.vstack(
                        rx.text(RoomState.host_name, "'s ", rx.cond(RoomState.kind == "session", "session", "room"), color_scheme="gray"),
                        rx.heading(RoomState.room_name, size="7", as_="h1", id="room-name"),
                        rx.cond(RoomState.when != "", rx.text(RoomState.when, size="2", color_scheme="gray", id="room-when")),
                        rx.match(
                            RoomState.view,
                            ("join", _join_form()),
                            (
                                "waiting",
                                rx.vstack(
                                    rx.callout("You're waiting for the host to let you in.", icon="hourglass", id="waiting", role="status"),
                                    rx.button("Leave", variant="soft", color_scheme="gray", on_click=RoomState.leave, id="leave-waiting"),
                                    spacing="3",
                                ),
                            ),
                            (
                                "declined",
                                rx.vstack(
                                    rx.callout("The host didn't let you in this time.", icon="circle-x", color_scheme="red", id="declined", role="status"),
                                    rx.hstack(
                                        rx.button("Knock again", on_click=RoomState.knock_again, id="knock-again"),
                                        rx.button("Leave", variant="soft", color_scheme="gray", on_click=RoomState.leave, id="leave-declined"),
                                        spacing="3",
                                    ),
                                    spacing="3",
                                ),
                            ),
                            _lobby(),
                        ),
                        spacing="4",
                        width="100%",
                    ),
                ),
                size="4",
                width="100%",
                max_width="520px",
            ),
        ),
    )
