"""A hard cap on upload request bodies, before Reflex's /_upload reads them (SECURITY.md E1).

Reflex checks `rx.upload(max_size=…)` only in the browser, and its upload route would
spool any size to disk. Uploads must declare their length, and at most MAX_BODY.
Reflex's browser code drops the body of a refused upload, so the refusal also reaches
the tab that sent it through `on_refused` (its client token and handler name).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from session_app.media.avatars import MAX_BYTES, TOO_BIG

MAX_BODY = MAX_BYTES + 256 * 1024  # the image plus the multipart envelope

log = logging.getLogger(__name__)
# (client token, event handler, message) -> tell that tab why its upload was refused
Refused = Callable[[str, str, str], Awaitable[None]]


class UploadLimit:
    """`handlers`: the event handlers that take files (their names end the
    Reflex-Event-Handler header); an upload naming any other is refused with 400
    before Reflex would fail on it with a 500."""

    def __init__(
        self, app: ASGIApp, on_refused: Refused | None = None, handlers: tuple[str, ...] | None = None
    ) -> None:
        self.app = app
        self.on_refused = on_refused
        self.handlers = handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].rstrip("/").endswith("/_upload")
        ):
            headers = dict(scope.get("headers", []))
            length = headers.get(b"content-length")
            if length is None or not length.isdigit():
                await PlainTextResponse("Uploads must say how large they are.", status_code=411)(
                    scope, receive, send
                )
                return
            if int(length) > MAX_BODY:
                await self._tell_the_tab(headers, TOO_BIG)
                await PlainTextResponse(TOO_BIG, status_code=413)(scope, receive, send)
                return
            handler = headers.get(b"reflex-event-handler", b"").decode("latin-1")
            if self.handlers is not None and not handler.endswith(
                tuple(f".{name}" for name in self.handlers)
            ):
                log.warning("upload refused: %r takes no files", handler[:200])
                await PlainTextResponse("That upload isn't accepted here.", status_code=400)(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)

    async def _tell_the_tab(self, headers: dict[bytes, bytes], message: str) -> None:
        token = headers.get(b"reflex-client-token", b"").decode("latin-1")[:100]
        handler = headers.get(b"reflex-event-handler", b"").decode("latin-1")[:500]
        if self.on_refused is None or not token or not handler:
            return
        try:
            await self.on_refused(token, handler, message)
        except Exception as exc:  # the 413 still answers; the tab just isn't told
            log.warning("could not tell the tab about a refused upload: %s", type(exc).__name__)
