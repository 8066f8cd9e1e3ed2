"""The development mailbox: the local outbox's messages, for `make run` without SMTP.

It exists only while the email backend is the local outbox and the app runs on this
machine (env.dev_mailbox); anywhere else it shows nothing, since every sign-in
link would be readable here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re

import reflex as rx

from session_app import routes
from session_app.components.layout import page
from session_app.environment import get_environment, is_loopback_client
from session_app.mail import outbox

_LINK = re.compile(r"https?://\S+" + re.escape(routes.AUTH_MAGIC_LINK) + r"\?t=[\w-]+")
SHOWN = 30


@dataclasses.dataclass
class MailboxEntry:
    id: int
    recipient: str
    subject: str
    sent: str
    status: str
    text: str
    link: str


class MailboxState(rx.State):
    enabled: bool = False
    messages: list[MailboxEntry] = []

    @rx.event
    async def load(self):
        # Every sign-in link is readable here: only for a local outbox, and only for
        # someone on this machine, even when the port is reachable from elsewhere.
        self.enabled = get_environment().dev_mailbox and is_loopback_client(self.router.session.client_ip)
        if not self.enabled:
            self.messages = []
            return
        rows = await asyncio.to_thread(outbox.recent_messages, SHOWN)
        self.messages = [
            MailboxEntry(
                id=row.id or 0,
                recipient=row.recipient,
                subject=row.subject,
                sent=row.created_at.strftime("%H:%M:%S UTC"),
                status=row.outcome or "queued",
                text=row.text_body,
                link=(match.group(0) if (match := _LINK.search(row.text_body)) else ""),
            )
            for row in rows
        ]


def _message(entry: MailboxEntry) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(entry.subject, weight="bold"),
                rx.spacer(),
                rx.badge(entry.status),
                width="100%",
            ),
            rx.text("To ", entry.recipient, " at ", entry.sent, size="2", color_scheme="gray"),
            rx.cond(
                entry.link != "", rx.link("Open the sign-in link", href=entry.link, class_name="mailbox-link")
            ),
            rx.el.pre(entry.text, white_space="pre-wrap", font_size="13px", class_name="mailbox-text"),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def mailbox_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.hstack(
                rx.heading("Development mailbox", size="7", as_="h1"),
                rx.spacer(),
                rx.button("Refresh", on_click=MailboxState.load, variant="soft", id="mailbox-refresh"),
                width="100%",
            ),
            rx.cond(
                MailboxState.enabled,
                rx.cond(
                    MailboxState.messages.length() > 0,
                    rx.foreach(MailboxState.messages, _message),
                    rx.text(
                        "No email yet. Sign up with any address and it arrives here.", color_scheme="gray"
                    ),
                ),
                rx.text(
                    "The mailbox is only available with the local outbox on this machine.",
                    color_scheme="gray",
                    id="mailbox-off",
                ),
            ),
            spacing="4",
            width="100%",
            max_width="760px",
            margin_x="auto",
        ),
    )
