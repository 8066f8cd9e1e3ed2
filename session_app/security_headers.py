"""Security headers on every HTTP response of the backend (SECURITY.md G3), pages
that are never cached, and redirects that never name the request's Host."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from session_app.environment import get_environment

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
        host = dict(scope.get("headers", [])).get(b"host", b"")
        if get_environment().secure_cookies:
            extra[b"strict-transport-security"] = b"max-age=31536000; includeSubDomains"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, _relative(value, host) if name.lower() == b"location" else value)
                    for name, value in message.get("headers", [])
                ]
                present = {name.lower() for name, _ in headers}
                # Pages (HTML) may show private data: never stored by a browser or proxy.
                html = any(
                    name.lower() == b"content-type" and value.startswith(b"text/html")
                    for name, value in headers
                )
                if html and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                headers.extend((name, value) for name, value in extra.items() if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _relative(location: bytes, request_host: bytes) -> bytes:
    """A redirect built from a Host header that is not this site's, made relative:
    servers build absolute redirects from Host, which an attacker chooses. Redirects
    to this site's configured host or elsewhere (Google's sign-in page) stay as they are."""
    parts = urlsplit(location.decode("latin-1"))
    host = parts.netloc.lower()
    if not host or host != request_host.decode("latin-1").lower() or host == _configured_host():
        return location
    relative = parts.path or "/"
    if parts.query:
        relative += f"?{parts.query}"
    if parts.fragment:
        relative += f"#{parts.fragment}"
    return relative.encode("latin-1")


def _configured_host() -> str:
    return urlsplit(get_environment().base_url).netloc.lower()
