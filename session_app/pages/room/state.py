"""A room page's state: joining, knocks and the host's answers; who is in is pushed to it
(lobby.py), and a slow heartbeat says the tab is still there."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import reflex as rx
from reflex_base.constants.state import FIELD_MARKER

from session_app.accounts.names import InvalidName, clean_display_name
from session_app.accounts.preferences import preferences_of, time_zones
from session_app.accounts.profiles import load_profile
from session_app.components.notifications import tell_host
from session_app.pages.room import lobby
from session_app.pages.room.lobby import Person, person_of, publish
from session_app.pages.room.view import RoomView, what_to_announce
from session_app.rooms import presence, rooms
from session_app.rooms.presence import Status
from session_app.states.account import AccountState, signed_in_only
from session_app.states.browser import Action, ask_browser

# Inside, a tab beats only to say it is still there (leaving is seen when its
# websocket closes); a knocking guest and the host beat faster, for the answers and
# the knocks.
BEAT_MS = 10_000
FAST_BEAT_MS = 2000
CHECK_EVERY_S = 19  # inside, every other beat reads the tab's row (room closed, place lost)


class RoomState(AccountState):
    view: str = RoomView.LOADING
    room_name: str = ""
    host_name: str = ""
    kind: str = "room"
    when: str = ""
    locked: bool = False
    is_host: bool = False
    join_name: str = ""
    join_colour: str = "violet"
    name_error: str = ""
    people: list[Person] = []  # who is in, pushed by lobby.py: the first presence.SHOWN
    count: int = 0  # everyone in
    knocking: list[Person] = []  # the host's only
    viewer_zone: str = ""  # the browser's IANA zone, for a session's time
    saved_name: str = rx.LocalStorage("", name="session_joining_name")
    saved_colour: str = rx.LocalStorage("violet", name="session_joining_colour")
    _room_id: int | None = None
    _starts_at: dt.datetime | None = None
    _duration: int | None = None
    _host_id: int | None = None  # set only when the viewer is the signed-in host
    _beaten_at: float = 0.0  # when this tab last said it is here (time.time())

    @rx.var
    def more(self) -> int:
        return _more(self.count, self.people)

    @rx.var
    def beat_ms(self) -> int:
        return FAST_BEAT_MS if self.is_host or self.view == RoomView.WAITING else BEAT_MS

    @rx.var
    def announcement(self) -> str:
        """What the page's polite live region says: a screen reader hears each change."""
        return what_to_announce(self.view, [person.name for person in self.knocking], self.room_name)

    @rx.event
    async def load(self):
        room = (
            await asyncio.to_thread(rooms.room_at, str(self.url), str(self.room))
            if self.url and self.room
            else None
        )
        # A tab that was in this room's lobby (a reconnect after a worker restarted or
        # the network dropped, or a reload) goes straight back in, as it was.
        was_inside = self._room_id == getattr(room, "id", None) and self.view in {
            RoomView.LOBBY,
            RoomView.WAITING,
        }
        self.knocking = []
        if room is None:
            self._leave_lobby()
            self.view, self._room_id = RoomView.MISSING, None
            return
        self._room_id = room.id
        self.room_name, self.host_name, self.kind, self.locked = (
            room.name,
            room.host_name,
            room.kind,
            room.locked,
        )
        self._starts_at, self._duration = room.starts_at, room.duration_minutes
        self._describe_time()
        who = await self._signed_in()
        self.is_host = who is not None and who.user_id == room.host_id
        self._host_id = who.user_id if self.is_host and who is not None else None
        if who is not None:
            self.account_theme = (await asyncio.to_thread(preferences_of, who.user_id)).theme
        self.name_error = ""
        if was_inside:
            await self._return(moved=True)
        else:
            self._leave_lobby()
            self.join_name = self.saved_name
            if who is not None:
                profile = await asyncio.to_thread(load_profile, who.user_id)
                self.join_name = profile.display_name or self.saved_name
            self.join_colour = self.saved_colour if self.saved_colour in rooms.COLOURS else "violet"
            self.view = RoomView.JOIN
        if room.starts_at:
            await ask_browser(self, Action.TIME_ZONE, RoomState.set_viewer_zone)
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
        who = await self._signed_in()
        try:
            status = await asyncio.to_thread(
                presence.join,
                self._room_id,
                self.router.session.client_token,
                name,
                self.join_colour,
                who.user_id if who else None,
            )
        except rooms.RoomError:
            self.view, self._room_id = RoomView.CLOSED, None
            return
        self.name_error = ""
        self.join_name = name
        if who is None:  # a guest's joining profile is remembered in this browser
            self.saved_name, self.saved_colour = name, self.join_colour
        self.view = RoomView.LOBBY if status == Status.IN else RoomView.WAITING
        self._beaten_at = time.time()
        await self._refresh()
        publish(self._room_id)

    async def _return(self, moved: bool = False) -> None:
        """Back in as this tab was: its place if the room still holds it, else joined
        again under the same name and colour (a locked room keeps an admitted guest in).
        `moved`: the tab reloaded or reconnected, so its lobby shows it again."""
        assert self._room_id is not None
        since = time.time() - self._beaten_at
        if not moved and not self.is_host and self.view == RoomView.LOBBY and since < CHECK_EVERY_S:
            presence.note_beat(self._room_id, self.router.session.client_token)
            return  # inside, and checked lately: the beat waits in memory (changes are pushed)
        lapsed = since >= presence.PRESENCE_TIMEOUT.total_seconds() - 1
        status = await asyncio.to_thread(presence.heartbeat, self._room_id, self.router.session.client_token)
        self._beaten_at = time.time()
        if status is None:
            await self._enter()
            return
        was = self.view
        await self._show(status)
        if self._room_id is not None and (moved or lapsed or was != self.view):
            publish(self._room_id)

    async def _show(self, status: str | None) -> None:
        if status == presence.CLOSED:
            self.view, self._room_id = RoomView.CLOSED, None
            self._leave_lobby()
            return
        if status is None:
            self.view = RoomView.JOIN
        elif status == Status.DECLINED:
            self.view = RoomView.DECLINED
        else:
            self.view = RoomView.LOBBY if status == Status.IN else RoomView.WAITING
        await self._refresh()

    @rx.event
    async def beat(self, _now=None):
        if self._room_id is None or self.view not in {RoomView.LOBBY, RoomView.WAITING}:
            return None
        await self._return()  # a place that lapsed while the tab was away is taken again
        return await self._tell_the_host() if self._room_id is not None else None

    async def _tell_the_host(self):
        """The host waiting in their own room hears of knocks and arrivals here too."""
        if self._host_id is None:
            return None
        arrivals = await asyncio.to_thread(presence.new_arrivals, self._host_id)
        if not arrivals:
            return None
        notify = (await asyncio.to_thread(preferences_of, self._host_id)).notifications
        await tell_host(self, arrivals, notify)
        return None

    async def _refresh(self) -> None:
        """Inside, the tab is sent its room's lobby (lobby.py); the host also reads the knocks."""
        if self._room_id is None or self.view != RoomView.LOBBY:
            self._leave_lobby()
            return
        if self.router.session.client_token not in lobby.tabs_in(self._room_id):
            lobby.enter(self._room_id, self.router.session.client_token)
            seen = await asyncio.to_thread(presence.inside, self._room_id)
            self.people, self.count = [person_of(p) for p in seen.shown], seen.count
        if self.is_host:
            self.knocking = [person_of(p) for p in await asyncio.to_thread(presence.knocks, self._room_id)]

    @classmethod
    def lobby_delta(cls, people: list[Person], count: int) -> dict:
        """What a push from lobby.py sends every tab inside: the same delta Reflex would
        send for these fields, built once for all of them."""
        fields = {"people": people, "count": count, "more": _more(count, people)}
        return {cls.get_full_name(): {name + FIELD_MARKER: value for name, value in fields.items()}}

    def room_closed(self, room_id: int) -> None:
        """From lobby.py: the host deleted `room_id`; this tab was inside it."""
        if self._room_id == room_id and self.view == RoomView.LOBBY:
            self.view, self._room_id, self.people, self.count = RoomView.CLOSED, None, [], 0

    def _leave_lobby(self) -> None:
        """No longer inside: the tab is no longer sent who is in, and shows nobody (and
        no knocks)."""
        lobby.leave(self.router.session.client_token)
        self.people, self.count, self.knocking = [], 0, []

    @rx.event
    async def set_locked(self, locked: bool):
        who = await self._signed_in()
        if who is None or self._room_id is None:
            return
        try:
            await asyncio.to_thread(rooms.set_locked, who.user_id, self._room_id, locked)
        except rooms.RoomError:
            return
        self.locked = locked

    @rx.event
    @signed_in_only
    async def answer(self, presence_id: int, admit: bool):
        who = self._who
        try:
            number = int(presence_id)
        except (TypeError, ValueError):
            return
        if not 0 < number < 2**62:
            return
        try:
            await asyncio.to_thread(presence.answer_knock, who.user_id, number, bool(admit))
        except rooms.RoomError:
            return
        await self._refresh()
        if admit and self._room_id is not None:
            publish(self._room_id)

    @rx.event
    async def leave(self):
        if self._room_id is not None:
            await asyncio.to_thread(presence.leave, self._room_id, self.router.session.client_token)
            publish(self._room_id)
        self.view = RoomView.JOIN
        self._leave_lobby()

    @rx.event
    async def knock_again(self):
        """A declined guest asks once more, with the same joining profile."""
        await self._enter()


def _more(count: int, people: list[Person]) -> int:
    """How many are in beyond those listed by name."""
    return max(0, count - len(people))


lobby.serve(RoomState)
