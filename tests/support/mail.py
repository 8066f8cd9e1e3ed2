"""Read sign-in emails the way a person would: find the link and the code."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from sqlmodel import col, func, select

from session_app import routes
from session_app.db import read_session
from session_app.models import OutboxMessage

LINK = re.compile(r"https?://\S+" + re.escape(routes.AUTH_MAGIC_LINK) + r"\?t=[\w-]+")
CODE = re.compile(r"\b(\d{3}) (\d{3})\b")


def link_in(text: str) -> str:
    match = LINK.search(text)
    assert match, text
    return match.group(0)


def token_in(text: str) -> str:
    return parse_qs(urlsplit(link_in(text)).query)["t"][0]


def code_in(text: str) -> str:
    match = CODE.search(text)
    assert match, text
    return match.group(1) + match.group(2)


def outbox(recipient: str | None = None) -> list[OutboxMessage]:
    with read_session() as db:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if recipient is not None:
            query = query.where(func.lower(OutboxMessage.recipient) == recipient.lower())
        return list(db.exec(query).all())


def latest_text(recipient: str) -> str:
    messages = outbox(recipient)
    assert messages, f"no email to {recipient}"
    return messages[-1].text_body
