"""The initials avatar: made here, no outside service; used until a photo is uploaded."""

from __future__ import annotations

import reflex as rx


def initials_avatar(
    initials: rx.Var[str] | str, colour: rx.Var[str] | str, size: str = "36px", **props
) -> rx.Component:
    return rx.box(
        rx.text(initials, weight="bold", color="white", size="2" if size == "36px" else "6"),
        background=colour,
        width=size,
        height=size,
        min_width=size,
        border_radius="50%",
        display="flex",
        align_items="center",
        justify_content="center",
        aria_hidden="true",
        **props,
    )
