"""The pages of people and rooms answer with their real status and title before any
script runs (issue 11, WCAG 2.4.2; issue 16).

`/<url>` and `/<url>/<room>` are one page each whatever the URL: the server would
answer 200 and the tab would be titled "Session" until the websocket had loaded the
page. This ASGI middleware corrects the HTML shell of those two pages only: 404 for a
person or room that does not exist (the page still shows its own "not found" view),
and a `<title>` naming the host or the room, as the page's heading will. It asks the
database only for such pages, never for scripts, styles or images.

The shell's body is empty until the scripts have run and the websocket has loaded the
page, so it also gets the name itself, painted at once: a `<session-prepaint>` element
first in `<body>`. React 19 hydrates the document and steps over an element it did not
render there (as it does for a browser extension's), and `assets/prepaint.css` hides
it as soon as the page's own heading is in `<main>`. `elementtiming` lets
`benchmarks/paint.py` see when each was painted.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import html
import re
from pathlib import Path
from urllib.parse import unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from session_app import routes
from session_app.accounts import profiles
from session_app.rooms import rooms

# First path segments that are never a person's URL: the static pages and the
# backend's own routes.
_NOT_A_PERSON = {
    part.strip("/").split("/")[0] for part in (*routes.PAGE_ROUTES, *routes.BACKEND_ROUTES) if "[" not in part
} - {""}
_TITLE = re.compile(rb"<title>.*?</title>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)
_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)
# The same words as the pages' own "not found" headings (focus.js titles a page by it).
NOBODY_TITLE = "There's nobody here · Session"
NO_ROOM_TITLE = "Room not found · Session"


@dataclasses.dataclass(frozen=True)
class Shell:
    status: int
    title: str
    lines: tuple[str, ...] = ()  # painted before any script runs: (kicker, heading)


def shell(parts: list[str]) -> Shell:
    """The status, title and first words of /<url> or /<url>/<room>. Blocking."""
    if len(parts) == 1:
        host = profiles.host_at(parts[0])
        if host is None:
            return Shell(404, NOBODY_TITLE)
        return Shell(200, f"{host.display_name} · Session", ("", host.display_name))
    room = rooms.room_at(parts[0], parts[1])
    if room is None:
        return Shell(404, NO_ROOM_TITLE)
    kind = "session" if room.kind == "session" else "room"
    kicker = f"{room.host_name}'s {kind}" if room.host_name else ""
    return Shell(200, f"{room.name} · Session", (kicker, room.name))


def with_shell(page: bytes, shell: Shell) -> bytes:
    """The page with its <title> (or a new first one) and its first words."""
    tag = b"<title>" + html.escape(shell.title, quote=False).encode() + b"</title>"
    if _TITLE.search(page):
        page = _TITLE.sub(lambda _match: tag, page, count=1)
    else:
        page = _HEAD.sub(lambda match: match.group(0) + tag, page, count=1)
    if not shell.lines:
        return page
    kicker, heading = (html.escape(line, quote=False) for line in shell.lines)
    kicker = f"<p>{kicker}</p>" if kicker else ""
    words = f"<session-prepaint>{kicker}<h1 elementtiming=name>{heading}</h1></session-prepaint>".encode()
    return _BODY.sub(lambda match: match.group(0) + words, page, count=1)


def _people_path(path: str) -> list[str] | None:
    parts = [unquote(part) for part in path.split("/") if part]
    if not 1 <= len(parts) <= 2 or parts[0] in _NOT_A_PERSON or "." in parts[-1]:
        return None
    return parts


class NotFoundStatus:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        parts = _people_path(scope.get("path", "")) if scope["type"] == "http" else None
        if parts is None or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        found = Shell(200, "")
        body: list[bytes] = []

        async def send_corrected(message: Message) -> None:
            nonlocal start, found
            if message["type"] == "http.response.start":
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                if message.get("status") != 200 or not kind.startswith(b"text/html"):
                    await send(message)
                    return
                found = await asyncio.to_thread(shell, parts)
                start = {**message, "status": found.status}
                return
            if start is None:
                await send(message)
            elif message["type"] == "http.response.pathsend":  # the server would send the file itself
                page = await asyncio.to_thread(Path(message["path"]).read_bytes)
                await _send_page(send, start, page, found)
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await _send_page(send, start, b"".join(body), found)
            else:
                await send(message)

        await self.app(scope, receive, send_corrected)


async def _send_page(send: Send, start: Message, page: bytes, found: Shell) -> None:
    """The shell with its title and first words, unpacked if it was precompressed (it is small)."""
    headers = [(name, value) for name, value in start.get("headers", [])]
    if (b"content-encoding", b"gzip") in [(name.lower(), value) for name, value in headers]:
        page = gzip.decompress(page)
    drop = {b"content-encoding", b"content-length", b"etag", b"last-modified"}
    headers = [(name, value) for name, value in headers if name.lower() not in drop]
    if page:  # not a HEAD request
        page = with_shell(page, found)
        headers.append((b"content-length", str(len(page)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": page, "more_body": False})
