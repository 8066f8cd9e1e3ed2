"""Unknown people and rooms answer 404, not 200 (issue 11, WCAG 2.4.2).

`/<url>` and `/<url>/<room>` are one page each whatever the URL, so the server would
answer 200 for a mistyped link. The page still shows its own "not found" view; this
ASGI middleware only corrects the status of an HTML page whose person or room does
not exist, for browsers, link checkers and search engines. It asks the database only
for such pages, never for scripts, styles or images.
"""

from __future__ import annotations

import asyncio
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


def exists(parts: list[str]) -> bool:
    """Whether /<url> or /<url>/<room> names a person or a room. Blocking."""
    if len(parts) == 1:
        return profiles.host_at(parts[0]) is not None
    return rooms.room_at(parts[0], parts[1]) is not None


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

        async def send_with_status(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = dict(message.get("headers", []))
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if html and not await asyncio.to_thread(exists, parts):
                    message = {**message, "status": 404}
            await send(message)

        await self.app(scope, receive, send_with_status)
