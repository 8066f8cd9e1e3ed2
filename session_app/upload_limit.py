"""A hard cap on upload request bodies, before Reflex's /_upload reads them (SECURITY.md E1).

Reflex checks `rx.upload(max_size=…)` only in the browser, and its upload route would
spool any size to disk. Uploads must declare their length, and at most MAX_BODY.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from session_app.media.avatars import MAX_BYTES

MAX_BODY = MAX_BYTES + 256 * 1024  # the image plus the multipart envelope


class UploadLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/").endswith("/_upload"):
            headers = dict(scope.get("headers", []))
            length = headers.get(b"content-length")
            if length is None or not length.isdigit():
                await PlainTextResponse("Uploads must say how large they are.", status_code=411)(scope, receive, send)
                return
            if int(length) > MAX_BODY:
                message = f"Images must be under {MAX_BYTES // (1024 * 1024)} MB."
                await PlainTextResponse(message, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)
