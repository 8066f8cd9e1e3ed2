"""What the passkey parts draw: the list in Settings → Account, and the dashboard's
offer. Nothing at all where the browser has no WebAuthn."""

from __future__ import annotations

import reflex as rx

from session_app.accounts import passkey_list
from session_app.components.layout import field_error
from session_app.components.passkeys.state import ADDED, PasskeyRow, PasskeySettingsState
from session_app.states.passkey_answers import NONE


def _row(row: PasskeyRow) -> rx.Component:
    state = PasskeySettingsState
    return rx.vstack(
        rx.hstack(
            rx.icon("key-round", size=16, flex_shrink="0"),
            rx.input(
                default_value=row.name,
                key=row.id.to(str) + row.name,
                max_length=passkey_list.NAME_MAX,
                on_blur=lambda value: state.rename(row.id, value),
                aria_label="Passkey name",
                class_name="passkey-name",
                flex="1",
                min_width="0",
            ),
            rx.button(
                "Remove", variant="soft", color_scheme="red", size="1", on_click=state.ask_to_remove(row.id)
            ),
            align="center",
            width="100%",
        ),
        rx.text(
            "Added ",
            row.added,
            " · last used ",
            row.last_used,
            rx.cond(row.synced, " · synced across your devices", ""),
            size="1",
            color_scheme="gray",
        ),
        rx.cond(
            state.removing_id == row.id,
            rx.hstack(
                rx.text("Remove \u201c", row.name, "\u201d? It will no longer sign in.", size="2"),
                rx.button("Keep", variant="soft", color_scheme="gray", size="1", on_click=state.keep),
                rx.button("Remove passkey", color_scheme="red", size="1", on_click=state.remove),
                align="center",
                wrap="wrap",
                spacing="2",
            ),
        ),
        spacing="1",
        width="100%",
        class_name="passkey-row",
    )


def passkeys_part() -> rx.Component:
    """Inside Settings → Account; nothing at all where the browser has no WebAuthn."""
    state = PasskeySettingsState
    return rx.cond(
        (state.passkey_support != "") & (state.passkey_support != NONE),
        rx.vstack(
            rx.heading("Sign in faster with a passkey", size="3", as_="h3"),
            rx.text(
                "Use your fingerprint, face or screen lock instead of waiting for an email.",
                size="2",
                color_scheme="gray",
            ),
            rx.foreach(state.passkeys, _row),
            rx.button(
                rx.icon("plus", size=16),
                "Add a passkey",
                variant="soft",
                loading=state.adding,
                on_click=state.add_passkey,
                id="add-passkey",
            ),
            rx.cond(state.passkey_message != "", rx.text(state.passkey_message, size="2", role="status")),
            field_error(state.passkey_error, "passkey-settings-error"),
            spacing="2",
            width="100%",
            id="passkeys",
        ),
    )


def passkey_offer() -> rx.Component:
    """The dashboard's one-time offer: one line and two buttons."""
    state = PasskeySettingsState
    return rx.cond(
        state.offer_visible | state.offer_done,
        rx.callout.root(
            rx.callout.icon(rx.icon("key-round")),
            rx.callout.text(
                rx.cond(
                    state.offer_done,
                    ADDED,
                    "Sign in faster next time: add a passkey and use your fingerprint, face or screen lock.",
                )
            ),
            rx.cond(
                state.offer_visible,
                rx.vstack(
                    rx.hstack(
                        rx.button(
                            "Add a passkey", size="2", loading=state.adding, on_click=state.add_passkey
                        ),
                        rx.button(
                            "Not now",
                            size="2",
                            variant="soft",
                            color_scheme="gray",
                            on_click=state.dismiss_offer,
                        ),
                        spacing="3",
                        wrap="wrap",
                    ),
                    field_error(state.passkey_error, "passkey-offer-error"),
                ),
            ),
            id="passkey-offer",
            role="region",
            aria_label="Passkey",
            width="100%",
        ),
    )
