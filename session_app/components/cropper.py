"""react-easy-crop as a Reflex component: drag, pinch or scroll to choose a square,
or, with one pointer or the keyboard, the arrow keys on the crop area and the move and
zoom buttons beside it (WCAG 2.1.1, 2.5.7).

The crop position and zoom live in the browser (ClientStateVar), so dragging sends
nothing to the server; only the finished square (in the image's own pixels) does. A
new image starts centred at zoom 1, reset by the page itself (the server sends no
script: the CSP forbids eval).
"""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex.vars import Var, VarData
from reflex_base.event import passthrough_event_spec
from reflex_base.utils.imports import ImportVar


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
    cropper_props: rx.Var[dict]  # attributes of the focusable crop area
    keyboard_step: rx.Var[float]


crop_position = ClientStateVar.create("avatar_crop_position", default={"x": 0, "y": 0})
crop_zoom = ClientStateVar.create("avatar_crop_zoom", default=1.0)


class _CentredOnNewImage(rx.Fragment):
    image: rx.Var[str]

    def add_hooks(self) -> list[str | Var]:
        position, zoom = crop_position.set, crop_zoom.set
        return [
            Var(
                f"useEffect(() => {{ {position}({{x: 0, y: 0}}); {zoom}(1); }}, [{self.image!s}])",
                _var_data=VarData.merge(
                    self.image._get_all_var_data(),
                    position._get_all_var_data(),
                    zoom._get_all_var_data(),
                    VarData(imports={"react": [ImportVar(tag="useEffect")]}),
                ),
            )
        ]


MAX_ZOOM = 3
ZOOM_STEP = 0.25
CROP_AREA = "#avatar-cropper .reactEasyCrop_CropArea"


def _zoom_button(label: str, icon: str, to: str) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16),
        on_click=crop_zoom.set_value(Var(to)),
        aria_label=label,
        title=label,
        variant="soft",
        color_scheme="gray",
        type="button",
    )


def _move_button(label: str, icon: str, key: str) -> rx.Component:
    """Presses an arrow key in the crop area (assets/focus.js), so a move by button is
    kept inside the photo exactly as a move by key is."""
    return rx.icon_button(
        rx.icon(icon, size=16),
        aria_label=label,
        title=label,
        variant="soft",
        color_scheme="gray",
        type="button",
        custom_attrs={"data-press-key": key, "data-press-target": CROP_AREA},
    )


def crop_controls() -> rx.Component:
    zoom = crop_zoom.value.to(float)
    return rx.hstack(
        _zoom_button("Zoom out", "zoom-out", f"Math.max(1, {zoom} - {ZOOM_STEP})"),
        _zoom_button("Zoom in", "zoom-in", f"Math.min({MAX_ZOOM}, {zoom} + {ZOOM_STEP})"),
        _move_button("Move the photo left", "arrow-left", "ArrowLeft"),
        _move_button("Move the photo right", "arrow-right", "ArrowRight"),
        _move_button("Move the photo up", "arrow-up", "ArrowUp"),
        _move_button("Move the photo down", "arrow-down", "ArrowDown"),
        spacing="2",
        wrap="wrap",
        id="crop-controls",
    )


def square_cropper(image: rx.Var[str], on_done) -> rx.Component:
    return rx.box(
        _CentredOnNewImage.create(image=image),
        Cropper.create(
            image=image,
            crop=crop_position.value.to(dict),
            zoom=crop_zoom.value.to(float),
            aspect=1,
            crop_shape="round",
            show_grid=False,
            min_zoom=1,
            max_zoom=MAX_ZOOM,
            keyboard_step=10,
            cropper_props={
                "role": "group",
                "aria-label": "Photo crop: the arrow keys move the photo in the circle",
            },
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
