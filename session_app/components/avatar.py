"""The initials avatar: made here, no outside service; used until a photo is uploaded.
And the URL of an uploaded photo, from its storage key."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var, VarData
from reflex_base.utils.imports import ImportVar

from session_app import routes


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


# The backend's origin as the page sees it (Reflex's own rule for uploads), then /media.
_MEDIA_PREFIX = Var(
    _js_expr=f'new URL("{routes.MEDIA_PREFIX}", getBackendURL(env.UPLOAD)).href',
    _var_data=VarData(
        imports={
            "$/utils/state": "getBackendURL",
            "$/env.json": ImportVar(tag="env", is_default=True),
        }
    ),
).to(str)


def media_url(key: rx.Var[str]) -> rx.Var[str]:
    """The URL of an uploaded file from its storage key (served by media/http.py)."""
    return Var.create(f"{_MEDIA_PREFIX}/{key}")
