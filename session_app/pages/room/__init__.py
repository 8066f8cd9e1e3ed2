"""/<url>/<room>: join a room or session (no account needed), then its lobby.

The joining profile is remembered in this browser (local storage), prefilled for a
signed-in person from their profile, and changeable for this room only. The page
beats every two seconds while it is open; that keeps the person present, refreshes
who else is there, and lets a knock be answered. A closed tab stops beating and
disappears from everyone's lobby on its own.
"""

from __future__ import annotations

import reflex as rx

from session_app import routes
from session_app.components.layout import field_error, page
from session_app.pages.room.lobby import Person
from session_app.pages.room.state import RoomState
from session_app.pages.room.view import RoomView
from session_app.rooms import rooms


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
        rx.box(
            width="20px",
            height="20px",
            border_radius="50%",
            background=rx.color(colour, 9),
            class_name="colour-swatch",
        ),
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
        rx.button(
            "Decline",
            size="1",
            variant="soft",
            color_scheme="gray",
            on_click=RoomState.answer(person.id, False),
        ),
        width="100%",
        align="center",
        class_name="knock",
    )


def _join_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Your name in this room", html_for="join-name", font_weight="500"),
            rx.input(
                id="join-name",
                name="join-name",
                value=RoomState.join_name,
                on_change=RoomState.set_join_name,
                width="100%",
                auto_focus=True,
            ),
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
        rx.cond(
            RoomState.knocking.length() > 0,
            rx.vstack(rx.foreach(RoomState.knocking, _knock), width="100%", id="knocks"),
        ),
        rx.text("Here now", weight="bold"),
        rx.vstack(
            rx.foreach(RoomState.people, _person),
            rx.cond(RoomState.more > 0, rx.text("and ", RoomState.more, " more", color_scheme="gray")),
            id="lobby-people",
        ),
        rx.text("Audio and video come later: this is the lobby.", size="1", color_scheme="gray"),
        rx.button("Leave", variant="soft", color_scheme="gray", on_click=RoomState.leave, id="leave"),
        spacing="3",
        width="100%",
    )


def room_page() -> rx.Component:
    return page(
        rx.moment(interval=RoomState.beat_ms, on_change=RoomState.beat, display="none"),
        rx.el.div(RoomState.announcement, role="status", class_name="visually-hidden", id="room-announcer"),
        rx.center(
            rx.card(
                rx.match(
                    RoomState.view,
                    (
                        RoomView.MISSING,
                        rx.vstack(
                            rx.heading("Room not found", size="6", as_="h1", id="room-missing"),
                            rx.text(
                                "There's no room at this link. "
                                "Check it for typos, or ask the host for the link again.",
                                color_scheme="gray",
                            ),
                            rx.link("Go to the home page", href=routes.HOME),
                            spacing="3",
                        ),
                    ),
                    (
                        RoomView.CLOSED,
                        rx.vstack(
                            rx.heading("This room has closed", size="6", as_="h1", id="room-closed"),
                            rx.text(
                                "The host deleted this room, so its link no longer works.",
                                color_scheme="gray",
                            ),
                            rx.link("Go to the home page", href=routes.HOME),
                            spacing="3",
                        ),
                    ),
                    (RoomView.LOADING, rx.spinner()),
                    rx.vstack(
                        rx.text(
                            RoomState.host_name,
                            "'s ",
                            rx.cond(RoomState.kind == "session", "session", "room"),
                            color_scheme="gray",
                        ),
                        rx.heading(
                            RoomState.room_name,
                            size="7",
                            as_="h1",
                            id="room-name",
                            custom_attrs={"elementtiming": "live-name"},  # benchmarks/paint.py
                        ),
                        rx.cond(
                            RoomState.when != "",
                            rx.text(RoomState.when, size="2", color_scheme="gray", id="room-when"),
                        ),
                        rx.match(
                            RoomState.view,
                            (RoomView.JOIN, _join_form()),
                            (
                                RoomView.WAITING,
                                rx.vstack(
                                    rx.callout(
                                        "You're waiting for the host to let you in.",
                                        icon="hourglass",
                                        id="waiting",
                                    ),
                                    rx.button(
                                        "Leave",
                                        variant="soft",
                                        color_scheme="gray",
                                        on_click=RoomState.leave,
                                        id="leave-waiting",
                                    ),
                                    spacing="3",
                                ),
                            ),
                            (
                                RoomView.DECLINED,
                                rx.vstack(
                                    rx.callout(
                                        "The host didn't let you in this time.",
                                        icon="circle-x",
                                        color_scheme="red",
                                        id="declined",
                                    ),
                                    rx.hstack(
                                        rx.button(
                                            "Knock again", on_click=RoomState.knock_again, id="knock-again"
                                        ),
                                        rx.button(
                                            "Leave",
                                            variant="soft",
                                            color_scheme="gray",
                                            on_click=RoomState.leave,
                                            id="leave-declined",
                                        ),
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
