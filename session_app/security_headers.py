"""Security headers on every HTTP response of the backend (SECURITY.md G3)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from session_app.settings import get_settings

_BASE_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"x-frame-options": b"DENY",
    b"content-security-policy": b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
}


class SecurityHeaders:
    """ASGI middleware: adds the headers a response does not set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = dict(_BASE_HEADERS)
        if get_settings().secure_cookies:
            extra[b"strict-transport-security"] = b"max-age=31536000; includeSubDomains"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend((name, value) for name, value in extra.items() if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
