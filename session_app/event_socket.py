"""The tabs' websocket goes straight to Reflex's Socket.IO app (issue 16).

Reflex mounts its Socket.IO app at /_event inside its own Starlette app, and the
app's api_transformer chain wraps that in two more Starlette apps (auth and media
routes) and three middlewares. None of them acts on a websocket, yet every message a
tab sends or receives went through each Starlette app's send wrappers, and every open
websocket kept the coroutine frames of all of them: about 13 KB of memory a tab and a
slice of every event's CPU. This middleware, the outermost of the chain, hands the
event websocket to the mounted Socket.IO app at once, Reflex's own header middleware
(the subprotocol the page asks for) included. Everything else goes down the chain.
"""

from __future__ import annotations

import reflex as rx
from reflex import constants
from reflex.config import get_config
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send


def event_path() -> str:
    return get_config().prepend_backend_path(str(constants.Endpoint.EVENT))


def mounted_socket_app(reflex_app: rx.App) -> ASGIApp:
    """The app Reflex mounted at the event path: its Socket.IO app and header middleware."""
    path = event_path()
    api = reflex_app._api  # Reflex's own Starlette app, where it mounts the websocket
    for route in api.routes if api is not None else ():
        if isinstance(route, Mount) and route.path == path:
            return route.app
    msg = f"Reflex mounted nothing at {path}: the event websocket shortcut needs updating"
    raise RuntimeError(msg)


class EventSocketFirst:
    def __init__(self, app: ASGIApp, reflex_app: rx.App) -> None:
        self.app = app
        self.socket_app = mounted_socket_app(reflex_app)
        self.path = event_path()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"].rstrip("/") == self.path:
            await self.socket_app(scope, receive, send)
        else:
            await self.app(scope, receive, send)
