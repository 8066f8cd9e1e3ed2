"""react-easy-crop as a Reflex component: drag, pinch or scroll to choose a square.

The crop position and zoom live in the browser (ClientStateVar), so dragging sends
nothing to the server; only the finished square (in the image's own pixels) does.
"""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex_base.event import passthrough_event_spec


class Cropper(rx.Component):
    library = "react-easy-crop@6.2.5"
    tag = "Cropper"
    is_default = True

    image: rx.Var[str]
    crop: rx.Var[dict]
    zoom: rx.Var[float]
    aspect: rx.Var[float]
    crop_shape: rx.Var[str]
    show_grid: rx.Var[bool]
    min_zoom: rx.Var[float]
    max_zoom: rx.Var[float]

    on_crop_change: rx.EventHandler[passthrough_event_spec(dict)]
    on_zoom_change: rx.EventHandler[passthrough_event_spec(float)]
    on_crop_complete: rx.EventHandler[lambda area, pixels: [pixels]]


crop_position = ClientStateVar.create("avatar_crop_position", default={"x": 0, "y": 0})
crop_zoom = ClientStateVar.create("avatar_crop_zoom", default=1.0)


def square_cropper(image: rx.Var[str], on_done) -> rx.Component:
    return rx.box(
        Cropper.create(
            image=image,
            crop=crop_position.value.to(dict),
            zoom=crop_zoom.value.to(float),
            aspect=1,
            crop_shape="round",
            show_grid=False,
            min_zoom=1,
            max_zoom=3,
            on_crop_change=crop_position.set_value,
            on_zoom_change=crop_zoom.set_value,
            on_crop_complete=on_done,
        ),
        position="relative",
        width="100%",
        height="260px",
        border_radius="12px",
        overflow="hidden",
        background=rx.color("gray", 3),
        id="avatar-cropper",
    )
