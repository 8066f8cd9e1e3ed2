"""The settings popup on the dashboard: every change saves as it is made.

Each handler takes only the one value it owns and saves it through
accounts/preferences.py, which has no way to change the email or the unique URL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zoneinfo
import dataclasses
import math
import logging

import reflex as rx
from pydantic import BaseModel
from reflex.style import set_color_mode
from reflex.config import get_config

from session_app.accounts import lifecycle, preferences, time_zones
from session_app.accounts.names import InvalidName, avatar_colour, initials
from session_app.accounts.use_cases import USE_CASES, use_case
from session_app.auth.rate_limits import allow_avatar_upload
from session_app.components.cropper import crop_position, crop_zoom, square_cropper
from session_app.components.layout import field_error
from session_app.media import avatars, profile_photos
from session_app.media.avatars import AvatarError, CropBox
from session_app.pages.dashboard import DashboardState, SuggestionCard, detect_time_zone
from session_app.settings import get_settings

log = logging.getLogger(__name__)

UPLOAD_ID = "avatar-upload"
ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"], "image/gif": [".gif"]}

_ASK_PERMISSION = """
(async () => {
  if (!("Notification" in window)) return "unsupported";
  if (Notification.permission === "granted" || Notification.permission === "denied") return Notification.permission;
  return await Notification.requestPermission();
})()
"""
_PERMISSION_NOW = '("Notification" in window) ? Notification.permission : "unsupported"'
_TEST_NOTIFICATION = """
(() => {
  const note = new Notification("Session", {body: "Notifications are on. You'll hear when someone is waiting in your room.", tag: "session-test"});
  window.__sessionLastNotification = note.title + ": " + note.body;
  note.onclick = () => { window.focus(); note.close(); };
})()
"""


class ZoneOption(BaseModel):
    key: str
    label: str


class SessionRow(BaseModel):
    id: int
    device: str
    last_seen: str
    current: bool


class SettingsState(DashboardState):
    open: bool = False
    name: str = ""
    name_status: str = ""  # "saving", "saved" or "error"
    name_error: str = ""
    use_case: str = ""
    theme: str = "system"
    notifications: bool = False
    permission: str = ""  # the browser's answer: "granted", "denied", "default" or "unsupported"
    upload_progress: int = 0
    uploading: bool = False
    avatar_error: str = ""
    crop_image: str = ""
    crop_saved: bool = False
    google_photo: bool = False  # Google gave a photo we can offer
    time_zone_query: str = ""
    time_zone_options: list[ZoneOption] = []
    sessions: list[SessionRow] = []
    sessions_message: str = ""
    delete_open: bool = False
    delete_typed: str = ""
    delete_error: str = ""
    delete_sent: bool = False
    _crop: dict = {}

    @rx.var
    def support_email(self) -> str:
        return get_settings().support_email

    @rx.event
    def open_settings(self):
        who = self._signed_in()
        if who is None or self.view != "owner":
            return None
        profile = preferences.settings_of(who.user_id)
        self.name = profile.display_name or ""
        self.name_status = self.name_error = self.avatar_error = ""
        self.use_case = profile.use_case or ""
        self.theme = profile.theme
        self.time_zone = profile.time_zone
        self.time_zone_query = ""
        self._list_time_zones()
        self.notifications = profile.notifications
        self.crop_image = self._working_url(who.user_id, profile.avatar_stem)
        self.crop_saved = False
        self.google_photo = bool(profile.google_picture)
        self._load_sessions(who)
        self.delete_open = self.delete_sent = False
        self.delete_typed = self.delete_error = ""
        self.open = True
        events = [rx.call_script(_PERMISSION_NOW, callback=SettingsState.browser_permission)]
        if not self.time_zone:
            events.append(detect_time_zone())
        return events

    @rx.event
    def open_from_link(self):
        """The deep link: /<url>?settings=1 opens the popup on the owner's dashboard.

        Any other page load starts with it closed, even in a tab that left it open.
        """
        self.open = False
        if self.view == "owner" and self.router.url.query_parameters.get("settings") == "1":
            return SettingsState.open_settings
        return None

    @rx.event
    def set_open(self, is_open: bool):
        self.open = is_open

    def _working_url(self, user_id: int, stem: str | None) -> str:
        if not stem:
            return ""
        return profile_photos.upload_url(get_config().api_url, profile_photos.working_path(user_id, stem))

    # Profile --------------------------------------------------------------------------

    @rx.event
    async def save_name(self, value: str):
        who = self._signed_in()
        if who is None:
            return
        self.name = value[:500]
        self.name_status = "saving"
        yield
        try:
            stored = await asyncio.to_thread(preferences.set_display_name, who.user_id, self.name)
        except InvalidName as refused:
            self.name_status = "error"
            self.name_error = str(refused)
            return
        self.name_error = ""
        self.name_status = "saved"
        self.host_name = stored
        self.host_initials = initials(stored)

    @rx.event
    async def save_use_case(self, key: str):
        who = self._signed_in()
        if who is None:
            return
        try:
            await asyncio.to_thread(preferences.set_use_case, who.user_id, key)
        except ValueError:
            return
        self.use_case = key
        case = use_case(key)
        if case is not None:
            self.greeting = case.greeting
            self.suggestions = [SuggestionCard(title=s.title, text=s.text, icon=s.icon) for s in case.suggestions]

    # Avatar ---------------------------------------------------------------------------

    @rx.event
    def upload_started(self):
        self.uploading = True
        self.upload_progress = 0
        self.avatar_error = ""

    def _upload_refused(self, message: str) -> None:
        """The server refused the upload before Reflex saw it (too large)."""
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
        who = self._signed_in()
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
        refusal = allow_avatar_upload(who.user_id)
        if refusal is not None:
            self.avatar_error = refusal.message
            return
        try:
            stem, _ = await asyncio.to_thread(profile_photos.save_upload, rx.get_upload_dir(), who.user_id, data)
        except AvatarError as refused:
            self.avatar_error = str(refused)
            return
        self._show_avatar(who.user_id, stem)
        self.crop_image = self._working_url(who.user_id, stem)
        self.crop_saved = False
        yield [crop_position.push({"x": 0, "y": 0}), crop_zoom.push(1.0)]

    @rx.event
    async def use_google_photo(self):
        who = self._signed_in()
        if who is None:
            return
        refusal = allow_avatar_upload(who.user_id)
        if refusal is not None:
            self.avatar_error = refusal.message
            return
        self.uploading, self.upload_progress, self.avatar_error = True, 50, ""
        yield
        try:
            stem = await asyncio.to_thread(
                profile_photos.save_google_picture, rx.get_upload_dir(), who.user_id, get_settings()
            )
        except AvatarError as refused:
            self.avatar_error = str(refused)
            return
        finally:
            self.uploading = False
        if stem:
            self._show_avatar(who.user_id, stem)
            yield [crop_position.push({"x": 0, "y": 0}), crop_zoom.push(1.0)]

    @rx.event
    def crop_changed(self, pixels: dict):
        box = CropBox.from_pixels(pixels)
        if box is None:  # the widget reports before the image is measured
            return
        self._crop = dataclasses.asdict(box)
        self.crop_saved = False

    @rx.event
    async def save_crop(self):
        who = self._signed_in()
        if who is None or not self._crop:
            return
        box = CropBox(**self._crop)
        stem = await asyncio.to_thread(profile_photos.save_crop, rx.get_upload_dir(), who.user_id, box)
        if stem:
            self._show_avatar(who.user_id, stem, keep_crop_image=True)
            self.crop_saved = True

    @rx.event
    async def remove_avatar(self):
        who = self._signed_in()
        if who is None:
            return
        await asyncio.to_thread(profile_photos.remove, rx.get_upload_dir(), who.user_id)
        self.avatar_url = ""
        self.avatar_url_large = ""
        self.crop_image = ""
        self.avatar_error = ""

    def _show_avatar(self, user_id: int, stem: str, keep_crop_image: bool = False) -> None:
        api_url = get_config().api_url
        self.avatar_url = profile_photos.upload_url(api_url, profile_photos.public_path(user_id, stem, 128))
        self.avatar_url_large = profile_photos.upload_url(api_url, profile_photos.public_path(user_id, stem, 512))
        self.host_colour = avatar_colour(user_id)
        if not keep_crop_image:
            self.crop_image = self._working_url(user_id, stem)

    # Notifications --------------------------------------------------------------------

    @rx.event
    def browser_permission(self, permission: str):
        self.permission = permission if permission in {"granted", "denied", "default", "unsupported"} else "unsupported"

    @rx.event
    async def toggle_notifications(self, enabled: bool):
        who = self._signed_in()
        if who is None:
            return
        if not enabled:
            self.notifications = False
            await asyncio.to_thread(preferences.set_notifications, who.user_id, False)
            return
        yield rx.call_script(_ASK_PERMISSION, callback=SettingsState.permission_answered)

    @rx.event
    async def permission_answered(self, permission: str):
        who = self._signed_in()
        if who is None:
            return
        self.browser_permission(permission)
        self.notifications = self.permission == "granted"
        await asyncio.to_thread(preferences.set_notifications, who.user_id, self.notifications)

    @rx.event
    def send_test_notification(self):
        return rx.call_script(_TEST_NOTIFICATION)

    # Account --------------------------------------------------------------------------

    def _load_sessions(self, who) -> None:
        zone = self.time_zone or "UTC"
        self.sessions = [
            SessionRow(id=s.id, device=s.device, last_seen=_in_zone(s.last_seen, zone), current=s.current)
            for s in lifecycle.active_sessions(who.user_id, who.session_id)
        ]
        self.sessions_message = ""

    @rx.event
    async def sign_out_others(self):
        who = self._signed_in()
        if who is None:
            return
        ended = await asyncio.to_thread(lifecycle.sign_out_other_sessions, who.user_id, who.session_id)
        self._load_sessions(who)
        self.sessions_message = f"Signed out of {ended} other session{'s' if ended != 1 else ''}."

    @rx.event
    async def download_data(self):
        who = self._signed_in()
        if who is None:
            return None
        data = await asyncio.to_thread(lifecycle.export_account, who.user_id)
        return rx.download(data=data, filename=f"session-{self.host_url}-data.json")

    @rx.event
    def set_delete_open(self, is_open: bool):
        self.delete_open = is_open
        if not is_open:
            self.delete_error = ""

    @rx.event
    def set_delete_typed(self, value: str):
        self.delete_typed = value[:100]

    @rx.event
    async def request_deletion(self):
        who = self._signed_in()
        if who is None:
            return
        try:
            await asyncio.to_thread(lifecycle.request_deletion, who.user_id, self.delete_typed, get_config().api_url)
        except lifecycle.DeletionError as refused:
            self.delete_error = str(refused)
            return
        self.delete_error = ""
        self.delete_sent = True

    # Preferences ----------------------------------------------------------------------

    @rx.event
    async def save_theme(self, theme: str):
        who = self._signed_in()
        if who is None or theme not in preferences.THEMES:
            return
        self.theme = theme
        self.account_theme = theme
        await asyncio.to_thread(preferences.set_theme, who.user_id, theme)

    @rx.event
    async def save_time_zone(self, zone: str):
        who = self._signed_in()
        if who is None or zone not in preferences.time_zones():
            return
        self.time_zone = zone
        await asyncio.to_thread(preferences.set_time_zone, who.user_id, zone)
        self._load_sessions(who)

    @rx.event
    def search_time_zones(self, value: str):
        self.time_zone_query = value[:60]
        self._list_time_zones()

    def _list_time_zones(self) -> None:
        self.time_zone_options = [
            ZoneOption(key=choice.key, label=choice.label)
            for choice in time_zones.choices(self.time_zone_query, current=self.time_zone)
        ]



def _in_zone(moment: dt.datetime, zone: str) -> str:
    """A stored UTC time as the person reads it: "30 Nov 2026, 19:05 Asia/Tokyo"."""
    try:
        local = moment.replace(tzinfo=moment.tzinfo or dt.UTC).astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local, zone = moment, "UTC"
    return f"{local:%d %b %Y, %H:%M} {zone.replace('_', ' ')}"


# --- The popup ------------------------------------------------------------------------


def _section(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.vstack(rx.heading(title, size="4", as_="h3"), *children, spacing="3", width="100%", **props)


def _name_status() -> rx.Component:
    return rx.match(
        SettingsState.name_status,
        ("saving", rx.text("Saving…", size="1", color_scheme="gray", id="name-save-status")),
        ("saved", rx.text("Saved", size="1", color=rx.color("green", 11), id="name-save-status")),
        ("error", rx.text("Not saved", size="1", color=rx.color("red", 11), id="name-save-status")),
        rx.fragment(),
    )


def _profile_section() -> rx.Component:
    return _section(
        "Profile",
        rx.hstack(
            rx.el.label("Display name", html_for="settings-name", font_weight="500"),
            rx.spacer(),
            _name_status(),
            width="100%",
        ),
        rx.input(
            id="settings-name",
            # Controlled, so Reflex wraps it in its debounced input (with default_value
            # the timeout was silently ignored and every keystroke saved).
            value=SettingsState.name,
            on_change=SettingsState.save_name,
            debounce_timeout=400,
            width="100%",
            aria_describedby="settings-name-error",
        ),
        field_error(SettingsState.name_error, "settings-name-error"),
        rx.el.label("How you use Session", html_for="settings-use-case", font_weight="500"),
        rx.el.select(
            *[rx.el.option(case.title, value=case.key) for case in USE_CASES],
            id="settings-use-case",
            value=SettingsState.use_case,
            on_change=SettingsState.save_use_case,
            class_name="native-select",
        ),
    )


def _avatar_section() -> rx.Component:
    return _section(
        "Photo",
        rx.hstack(
            rx.cond(
                SettingsState.avatar_url != "",
                rx.image(src=SettingsState.avatar_url_large, width="72px", height="72px", border_radius="50%", id="settings-avatar", alt="Your photo"),
                rx.box(
                    rx.text(SettingsState.host_initials, weight="bold", color="white", size="6"),
                    background=SettingsState.host_colour,
                    width="72px",
                    height="72px",
                    border_radius="50%",
                    display="flex",
                    align_items="center",
                    justify_content="center",
                ),
            ),
            rx.upload.root(
                rx.vstack(
                    rx.button(rx.icon("upload", size=16), "Upload a photo", variant="soft", type="button", id="upload-avatar"),
                    rx.text("or drop one here · JPEG, PNG, WebP or GIF, under 10 MB", size="1", color_scheme="gray"),
                    spacing="1",
                    align="start",
                ),
                id=UPLOAD_ID,
                accept=ACCEPT,
                max_files=1,
                multiple=False,
                no_keyboard=False,
                on_drop=[
                    SettingsState.upload_started,
                    SettingsState.upload_avatar(
                        rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=SettingsState.upload_progressed)
                    ),
                ],
                border=f"1px dashed {rx.color('gray', 7)}",
                border_radius="12px",
                padding="12px",
                flex="1",
            ),
            rx.cond(
                SettingsState.avatar_url != "",
                rx.button("Remove", variant="ghost", color_scheme="red", on_click=SettingsState.remove_avatar, id="remove-avatar"),
            ),
            align="center",
            spacing="4",
            width="100%",
        ),
        rx.cond(
            SettingsState.google_photo,
            rx.button(
                rx.image(src="/google.svg", width="16px", height="16px", alt=""),
                "Use my Google photo",
                variant="outline",
                color_scheme="gray",
                on_click=SettingsState.use_google_photo,
                id="use-google-photo",
                width="fit-content",
            ),
        ),
        rx.cond(SettingsState.uploading, rx.progress(value=SettingsState.upload_progress, id="upload-progress")),
        field_error(SettingsState.avatar_error, "avatar-error"),
        rx.cond(
            SettingsState.crop_image != "",
            rx.vstack(
                rx.text("Drag to move, scroll or pinch to zoom. Your photo is centred until you save a crop.", size="2", color_scheme="gray"),
                square_cropper(SettingsState.crop_image, SettingsState.crop_changed),
                rx.hstack(
                    rx.button("Save crop", on_click=SettingsState.save_crop, id="save-crop", variant="soft"),
                    rx.cond(SettingsState.crop_saved, rx.text("Saved", size="1", color=rx.color("green", 11))),
                    align="center",
                ),
                width="100%",
                spacing="2",
            ),
        ),
    )


def _notifications_section() -> rx.Component:
    return _section(
        "Notifications",
        rx.hstack(
            rx.switch(
                # On only while the browser agrees: its permission is read at every opening.
                checked=SettingsState.notifications & (SettingsState.permission == "granted"),
                on_change=SettingsState.toggle_notifications,
                id="notifications-switch",
                disabled=SettingsState.permission == "unsupported",
            ),
            rx.el.label("Browser notifications when someone is waiting in or joins your room", html_for="notifications-switch"),
            align="center",
            spacing="3",
        ),
        rx.match(
            SettingsState.permission,
            ("unsupported", rx.callout("This browser can't show notifications.", icon="info", id="notifications-help")),
            (
                "denied",
                rx.callout(
                    "Notifications are blocked for this site. Allow them in your browser's site settings "
                    "(the icon left of the address), then turn this on again.",
                    icon="bell-off",
                    color_scheme="amber",
                    id="notifications-help",
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            SettingsState.notifications & (SettingsState.permission == "granted"),
            rx.button("Send a test notification", variant="soft", on_click=SettingsState.send_test_notification, id="test-notification", width="fit-content"),
        ),
    )


def _preferences_section() -> rx.Component:
    return _section(
        "Preferences",
        rx.el.label("Theme", html_for="settings-theme", font_weight="500"),
        rx.segmented_control.root(
            rx.segmented_control.item("Light", value="light"),
            rx.segmented_control.item("Dark", value="dark"),
            rx.segmented_control.item("System", value="system"),
            value=SettingsState.theme,
            on_change=lambda theme: [SettingsState.save_theme(theme), set_color_mode(theme)],
            id="settings-theme",
        ),
        rx.el.label("Time zone", html_for="settings-time-zone", font_weight="500"),
        rx.el.label(
            "Find your city or country", html_for="settings-time-zone-search", font_size="13px", color=rx.color("gray", 11)
        ),
        rx.input(
            id="settings-time-zone-search",
            value=SettingsState.time_zone_query,
            on_change=SettingsState.search_time_zones,
            debounce_timeout=200,
            placeholder="e.g. Lisbon, Japan",
            type="search",
            width="100%",
        ),
        rx.el.select(
            rx.el.option("Choose a time zone", value="", disabled=True),
            rx.foreach(SettingsState.time_zone_options, lambda zone: rx.el.option(zone.label, value=zone.key)),
            id="settings-time-zone",
            value=SettingsState.time_zone,
            on_change=SettingsState.save_time_zone,
            class_name="native-select",
        ),
    )


def _account_section() -> rx.Component:
    return _section(
        "Account",
        rx.el.label("Email", font_weight="500"),
        rx.text(SettingsState.user_email, id="settings-email"),
        rx.text(
            "Email changes go through support: write to ",
            rx.link(SettingsState.support_email, href="mailto:" + SettingsState.support_email),
            ".",
            size="2",
            color_scheme="gray",
        ),
        rx.el.label("Your URL", font_weight="500"),
        rx.text(SettingsState.full_url, id="settings-url"),
        rx.text("Your URL cannot be changed.", size="2", color_scheme="gray"),
        rx.el.label("Where you're signed in", font_weight="500"),
        rx.foreach(
            SettingsState.sessions,
            lambda row: rx.hstack(
                rx.icon("monitor-smartphone", size=16),
                rx.text(row.device, size="2"),
                rx.text("· last seen ", row.last_seen, size="2", color_scheme="gray"),
                rx.cond(row.current, rx.badge("This browser")),
                align="center",
                class_name="session-row",
            ),
        ),
        rx.hstack(
            rx.button("Sign out of all other sessions", variant="soft", on_click=SettingsState.sign_out_others, id="sign-out-others"),
            rx.button(rx.icon("download", size=16), "Download my data", variant="soft", on_click=SettingsState.download_data, id="download-data"),
            wrap="wrap",
            spacing="3",
        ),
        rx.cond(SettingsState.sessions_message != "", rx.text(SettingsState.sessions_message, size="2", id="sessions-message")),
        _delete_account(),
    )


def _delete_account() -> rx.Component:
    return rx.vstack(
        rx.button("Delete my account…", color_scheme="red", variant="soft", on_click=SettingsState.set_delete_open(True), id="delete-account"),
        rx.cond(
            SettingsState.delete_open,
            rx.card(
                rx.cond(
                    SettingsState.delete_sent,
                    rx.text(
                        "Check your email: the deletion starts only when you confirm it from the link we sent.",
                        id="deletion-email-sent",
                    ),
                    rx.vstack(
                        rx.text(
                            "This deletes your profile, photo, sign-in methods, sessions and all your rooms and "
                            "sessions. Your URL is retired: nobody, you included, can use it again. We'll email you "
                            "a link to confirm; the deletion happens a week after that, and you can cancel until then.",
                            size="2",
                        ),
                        rx.el.label("Type your URL to confirm", html_for="delete-typed", font_weight="500"),
                        rx.input(
                            id="delete-typed",
                            placeholder=SettingsState.host_url,
                            value=SettingsState.delete_typed,
                            on_change=SettingsState.set_delete_typed,
                            width="100%",
                        ),
                        field_error(SettingsState.delete_error, "delete-error"),
                        rx.hstack(
                            rx.button("Keep my account", variant="soft", color_scheme="gray", on_click=SettingsState.set_delete_open(False)),
                            rx.button("Email me a confirmation link", color_scheme="red", on_click=SettingsState.request_deletion, id="request-deletion"),
                            spacing="3",
                            wrap="wrap",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                ),
                width="100%",
            ),
        ),
        width="100%",
        spacing="3",
    )


def settings_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Settings"),
            rx.dialog.description("Changes save as you make them.", size="2", color_scheme="gray"),
            rx.scroll_area(
                rx.vstack(
                    _profile_section(),
                    rx.separator(),
                    _avatar_section(),
                    rx.separator(),
                    _notifications_section(),
                    rx.separator(),
                    _preferences_section(),
                    rx.separator(),
                    _account_section(),
                    spacing="5",
                    padding_right="12px",
                    padding_y="12px",
                ),
                max_height="70vh",
                type="auto",
            ),
            rx.hstack(
                rx.dialog.close(rx.button("Done", id="settings-done")),
                justify="end",
                margin_top="12px",
            ),
            max_width="560px",
            id="settings-dialog",
        ),
        open=SettingsState.open,
        on_open_change=SettingsState.set_open,
    )
