"""Settings → Photo: upload (any common photo), adjust the square crop, use Google's
photo, or remove it for the initials avatar. The image work is media/; this module
only shows progress and answers."""

from __future__ import annotations

import asyncio
import dataclasses
import math

import reflex as rx

from session_app.auth.sessions import SignedIn
from session_app.components.avatar import initials_avatar, media_url
from session_app.components.cropper import crop_controls, square_cropper
from session_app.components.layout import field_error
from session_app.components.settings.section import SectionState, section
from session_app.environment import get_environment
from session_app.media import avatars, profile_photos
from session_app.media.avatars import AvatarError, CropBox
from session_app.media.storage import get_store
from session_app.models import Profile
from session_app.states.account import signed_in_only
from session_app.states.dashboard import DashboardState

UPLOAD_ID = "avatar-upload"
ACCEPT = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/webp": [".webp"],
    "image/gif": [".gif"],
}
FORMATS_TEXT = "JPEG, PNG, WebP or GIF"
MAX_MB = avatars.MAX_BYTES // (1024 * 1024)


class PhotoSettingsState(SectionState):
    upload_progress: int = 0
    uploading: bool = False
    avatar_error: str = ""
    crop_path: str = ""  # the uncropped working copy's storage key
    crop_saved: bool = False
    crop_summary: str = ""  # the chosen square in words, announced as it changes
    google_photo: bool = False  # Google gave a photo we can offer
    _crop: dict = {}
    _refused_early: str = ""

    def _load(self, profile: Profile, who: SignedIn) -> None:
        self.avatar_error = ""
        self.crop_path = (
            profile_photos.working_path(who.user_id, profile.avatar_stem) if profile.avatar_stem else ""
        )
        self.crop_saved = False
        self.google_photo = bool(profile.google_picture)

    @rx.event
    def upload_started(self):
        if self._refused_early:  # the server's refusal of this upload overtook this event
            self.avatar_error, self._refused_early = self._refused_early, ""
            return
        self.uploading = True
        self.upload_progress = 0
        self.avatar_error = ""

    def _upload_refused(self, message: str) -> None:
        """The server refused the upload before Reflex saw it (too large)."""
        if not self.uploading:
            self._refused_early = message  # upload_started hasn't run yet: it must keep this
        self.uploading = False
        self.upload_progress = 0
        self.avatar_error = message

    @rx.event
    def upload_progressed(self, progress: dict):
        value = progress.get("progress") if isinstance(progress, dict) else None
        if not self.uploading or isinstance(value, bool) or not isinstance(value, int | float):
            return  # a late report after a refusal, or not a number: nothing to show
        if math.isfinite(value):
            self.upload_progress = max(0, min(100, int(value * 100)))

    @rx.event
    async def upload_avatar(self, files: list[rx.UploadFile]):
        who = await self._signed_in()
        self.uploading = False
        if who is None or not files:
            return
        if len(files) != 1:
            self.avatar_error = "Choose one image."
            return
        upload = files[0]
        # The browser's size limit is a courtesy; this one is the rule.
        if upload.size is not None and upload.size > avatars.MAX_BYTES:
            self.avatar_error = avatars.TOO_BIG
            return
        data = await upload.read(avatars.MAX_BYTES + 1)
        try:
            stem, _ = await asyncio.to_thread(profile_photos.save_upload, get_store(), who.user_id, data)
        except AvatarError as refused:
            self.avatar_error = str(refused)
            return
        await self._show(who.user_id, stem)

    @rx.event
    @signed_in_only
    async def use_google_photo(self):
        who = self._who
        self.uploading, self.upload_progress, self.avatar_error = True, 50, ""
        yield
        try:
            stem = await asyncio.to_thread(
                profile_photos.save_google_picture, get_store(), who.user_id, get_environment()
            )
        except AvatarError as refused:
            self.avatar_error = str(refused)
            return
        finally:
            self.uploading = False
        if stem:
            await self._show(who.user_id, stem)

    @rx.event
    def crop_changed(self, pixels: dict):
        box = CropBox.from_pixels(pixels)
        if box is None:  # the widget reports before the image is measured
            return
        self._crop = dataclasses.asdict(box)
        self.crop_saved = False
        self.crop_summary = f"A {box.size}-pixel square, {box.x} from the left and {box.y} from the top."

    @rx.event
    async def save_crop(self):
        who = await self._signed_in()
        if who is None or not self._crop:
            return
        box = CropBox(**self._crop)
        stem = await asyncio.to_thread(profile_photos.save_crop, get_store(), who.user_id, box)
        if stem:
            await self._show(who.user_id, stem, keep_crop=True)
            self.crop_saved = True

    @rx.event
    @signed_in_only
    async def remove_avatar(self):
        who = self._who
        await asyncio.to_thread(profile_photos.remove, get_store(), who.user_id)
        dashboard = await self.get_state(DashboardState)
        dashboard._show_avatar(who.user_id, None)
        self.crop_path = ""
        self.avatar_error = ""

    async def _show(self, user_id: int, stem: str, keep_crop: bool = False) -> None:
        dashboard = await self.get_state(DashboardState)
        dashboard._show_avatar(user_id, stem)
        if not keep_crop:
            self.crop_path = profile_photos.working_path(user_id, stem)
            self.crop_saved = False


def _current_photo() -> rx.Component:
    return rx.cond(
        DashboardState.avatar_path_large != "",
        rx.image(
            src=media_url(DashboardState.avatar_path_large),
            width="72px",
            height="72px",
            border_radius="50%",
            id="settings-avatar",
            alt="Your photo",
        ),
        initials_avatar(DashboardState.host_initials, DashboardState.host_colour, size="72px"),
    )


def _labelled(upload: rx.Component) -> rx.Component:
    """Reflex gives the dropzone's hidden file input no way to take a label."""
    file_input = upload.children[0].children[0]
    file_input.custom_attrs["aria-label"] = "Photo file"
    return upload


def photo_section() -> rx.Component:
    return section(
        "Photo",
        rx.hstack(
            _current_photo(),
            _labelled(
                rx.upload.root(
                    rx.vstack(
                        rx.button(
                            rx.icon("upload", size=16),
                            "Upload a photo",
                            variant="soft",
                            type="button",
                            id="upload-avatar",
                        ),
                        rx.text(
                            f"or drop one here · {FORMATS_TEXT}, under {MAX_MB} MB",
                            size="1",
                            color_scheme="gray",
                        ),
                        spacing="1",
                        align="start",
                    ),
                    id=UPLOAD_ID,
                    accept=ACCEPT,
                    max_files=1,
                    multiple=False,
                    no_keyboard=True,  # one tab stop: the button, whose click opens the picker
                    on_drop=[
                        PhotoSettingsState.upload_started,
                        PhotoSettingsState.upload_avatar(
                            rx.upload_files(
                                upload_id=UPLOAD_ID, on_upload_progress=PhotoSettingsState.upload_progressed
                            )
                        ),
                    ],
                    border=f"1px dashed {rx.color('gray', 7)}",
                    border_radius="12px",
                    padding="12px",
                    flex="1",
                )
            ),
            rx.cond(
                DashboardState.avatar_path != "",
                rx.button(
                    "Remove",
                    variant="ghost",
                    color_scheme="red",
                    on_click=PhotoSettingsState.remove_avatar,
                    id="remove-avatar",
                ),
            ),
            align="center",
            spacing="4",
            width="100%",
            wrap="wrap",
        ),
        rx.cond(
            PhotoSettingsState.google_photo,
            rx.button(
                rx.image(src="/google.svg", width="16px", height="16px", alt=""),
                "Use my Google photo",
                variant="outline",
                color_scheme="gray",
                on_click=PhotoSettingsState.use_google_photo,
                id="use-google-photo",
                width="fit-content",
            ),
        ),
        rx.cond(
            PhotoSettingsState.uploading,
            rx.progress(value=PhotoSettingsState.upload_progress, id="upload-progress"),
        ),
        field_error(PhotoSettingsState.avatar_error, "avatar-error"),
        rx.cond(
            PhotoSettingsState.crop_path != "",
            rx.vstack(
                rx.text(
                    "Drag, or use the arrow keys or the buttons, to move; zoom with the buttons, the wheel "
                    "or a pinch. Your photo is centred until you save a crop.",
                    size="2",
                    color_scheme="gray",
                ),
                square_cropper(media_url(PhotoSettingsState.crop_path), PhotoSettingsState.crop_changed),
                crop_controls(),
                rx.hstack(
                    rx.button(
                        "Save crop", on_click=PhotoSettingsState.save_crop, id="save-crop", variant="soft"
                    ),
                    rx.el.span(  # always there, so each change is announced
                        rx.cond(PhotoSettingsState.crop_saved, "Saved. ", ""),
                        PhotoSettingsState.crop_summary,
                        role="status",
                        id="crop-status",
                        font_size="var(--font-size-1)",
                    ),
                    align="center",
                ),
                width="100%",
                spacing="2",
            ),
        ),
    )
