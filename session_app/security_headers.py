"""Security headers on every HTTP response of the backend (SECURITY.md G3): a strict
Content Security Policy, pages that are never cached, and redirects that never name
the request's Host."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from reflex.config import get_config
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from session_app.environment import get_environment

# Scripts only from this origin, plus the page's own inline scripts by hash (the
# build writes a few: the theme, React Router's context and module loader). No
# 'unsafe-inline' and no 'unsafe-eval': nothing the server sends is run as script
# (states/browser.py). Styles stay open: the styling library injects <style> tags.
# Forms post to this site: its own origin, and the app's configured page and backend
# origins (`make dev` serves pages and backend on two ports, and a form's redirect
# counts too).
POLICY = (
    "script-src 'self'{hashes}; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'{forms}"
)
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)

_BASE_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"x-frame-options": b"DENY",
}


def policy_for(html: bytes) -> str:
    """The policy for one page: its inline scripts allowed by their SHA-256."""
    hashes = sorted(
        {
            " 'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
            for script in _INLINE_SCRIPT.findall(html)
            if script.strip()
        }
    )
    return POLICY.format(hashes="".join(hashes), forms="".join(f" {origin}" for origin in _app_origins()))


def _app_origins() -> list[str]:
    config = get_config()
    urls = (get_environment().base_url, config.deploy_url, config.api_url)
    return sorted({f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in urls if url})


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
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [
                    (name, _relative(value, host) if name.lower() == b"location" else value)
                    for name, value in message.get("headers", [])
                ]
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in extra.items() if name not in present)
                if not _is_html(headers):
                    if b"content-security-policy" not in present:
                        headers.append((b"content-security-policy", policy_for(b"").encode()))
                    await send({**message, "headers": headers})
                    return
                # Pages (HTML) may show private data: never stored by a browser or proxy.
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                start = {**message, "headers": headers}  # sent with the whole body, below
                return
            if start is None:
                await send(message)
            elif message["type"] == "http.response.pathsend":  # the server sends the file itself
                await send(_with_policy(start, await asyncio.to_thread(Path(message["path"]).read_bytes)))
                await send(message)
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    page = b"".join(body)
                    await send(_with_policy(start, page))
                    await send({"type": "http.response.body", "body": page, "more_body": False})
            else:
                await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)


def _with_policy(start: Message, body: bytes) -> Message:
    """A page's start with the policy its own inline scripts need, hashed as the
    browser reads them (a precompressed page is unpacked first)."""
    headers = list(start["headers"])
    if not any(name.lower() == b"content-security-policy" for name, _ in headers):
        encoding = next((value for name, value in headers if name.lower() == b"content-encoding"), b"")
        html = gzip.decompress(body) if encoding == b"gzip" else body
        headers.append((b"content-security-policy", policy_for(html).encode()))
    return {**start, "headers": headers}


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
