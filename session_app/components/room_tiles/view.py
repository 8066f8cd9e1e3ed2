"""The room tiles on the dashboard: the tiles, "Create new" and the delete dialog."""

from __future__ import annotations

import reflex as rx

from session_app.components.layout import field_error, link_button
from session_app.components.room_tiles.state import CHECK_ARRIVALS_MS, DURATIONS, RoomTile, RoomTilesState


def _tile(tile: RoomTile) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(rx.cond(tile.kind == "session", "calendar", "door-open"), size=18),
                rx.cond(
                    RoomTilesState.rename_id == tile.id,
                    rx.hstack(
                        rx.input(
                            value=RoomTilesState.rename_name,
                            on_change=RoomTilesState.set_rename_name,
                            size="1",
                            id="rename-input",
                        ),
                        rx.button("Save", size="1", on_click=RoomTilesState.finish_rename, id="rename-save"),
                    ),
                    rx.text(tile.name, weight="bold", class_name="room-name"),
                ),
                align="center",
                spacing="2",
            ),
            rx.cond(tile.when != "", rx.text(tile.when, size="1", color_scheme="gray")),
            rx.text(tile.link, size="1", color_scheme="gray", class_name="room-link"),
            rx.hstack(
                rx.button(
                    rx.icon("copy", size=14),
                    "Copy link",
                    size="1",
                    variant="soft",
                    on_click=RoomTilesState.copy_link(tile.id),
                ),
                link_button("Open", href=tile.path, size="1", variant="soft", class_name="room-open"),
                rx.button(
                    "Rename",
                    size="1",
                    variant="ghost",
                    on_click=RoomTilesState.start_rename(tile.id, tile.name),
                    class_name="room-rename",
                ),
                rx.button(
                    "Delete",
                    size="1",
                    variant="ghost",
                    color_scheme="red",
                    on_click=RoomTilesState.ask_delete(tile.id),
                    class_name="room-delete",
                ),
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
                        value=RoomTilesState.create_kind,
                        on_change=RoomTilesState.set_create_kind,
                        id="create-kind",
                    ),
                    rx.text(
                        rx.cond(
                            RoomTilesState.create_kind == "session",
                            "A scheduled event with a start time and its own link.",
                            "A permanent room with a link that never changes.",
                        ),
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.el.label("Name", html_for="create-name", font_weight="500"),
                    rx.input(
                        id="create-name",
                        name="create-name",
                        value=RoomTilesState.create_name,
                        on_change=RoomTilesState.set_create_name,
                        width="100%",
                        auto_focus=True,
                    ),
                    rx.cond(
                        RoomTilesState.create_kind == "session",
                        rx.vstack(
                            rx.el.label("Starts (your time zone)", html_for="create-when", font_weight="500"),
                            rx.input(
                                id="create-when",
                                name="create-when",
                                type="datetime-local",
                                value=RoomTilesState.create_when,
                                on_change=RoomTilesState.set_create_when,
                            ),
                            rx.el.label("Duration", html_for="create-duration", font_weight="500"),
                            rx.el.select(
                                *[rx.el.option(label, value=str(minutes)) for minutes, label in DURATIONS],
                                id="create-duration",
                                name="create-duration",
                                value=RoomTilesState.create_duration,
                                on_change=RoomTilesState.set_create_duration,
                            ),
                            spacing="2",
                            width="100%",
                        ),
                    ),
                    field_error(RoomTilesState.create_error, "create-error"),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button("Create", type="submit", id="create-submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=RoomTilesState.create,
                no_validate=True,
            ),
        ),
        open=RoomTilesState.create_open,
        on_open_change=RoomTilesState.set_create_open,
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this room?"),
            rx.alert_dialog.description("Its link will stop working for everyone. This can't be undone."),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Delete",
                        color_scheme="red",
                        on_click=RoomTilesState.confirm_delete,
                        id="confirm-delete",
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="12px",
            ),
        ),
        open=RoomTilesState.delete_id != 0,
        on_open_change=RoomTilesState.set_delete_dialog,
    )


def create_button() -> rx.Component:
    return rx.button(
        rx.icon("plus", size=16), "Create new", on_click=RoomTilesState.open_create, id="create-new"
    )


def rooms_area(empty_state: rx.Component) -> rx.Component:
    return rx.fragment(
        rx.moment(interval=CHECK_ARRIVALS_MS, on_change=RoomTilesState.check_arrivals, display="none"),
        _create_dialog(),
        _delete_dialog(),
        rx.cond(
            RoomTilesState.tiles.length() > 0,
            rx.grid(
                rx.foreach(RoomTilesState.tiles, _tile),
                columns=rx.breakpoints(initial="1", sm="2", md="3"),
                spacing="3",
                width="100%",
                id="room-tiles",
            ),
            empty_state,
        ),
    )
