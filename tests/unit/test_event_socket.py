"""event_socket.py: the tabs' websocket skips the app's HTTP layers (issue 16)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from session_app.event_socket import EventSocketFirst, event_path, mounted_socket_app
from session_app.session_app import app


def _socket_app(name: str):
    async def serve(scope, receive, send):
        if scope["type"] == "http":
            await PlainTextResponse(f"{name} http")(scope, receive, send)
            return
        socket = WebSocket(scope, receive, send)
        await socket.accept()
        await socket.send_text(f"{name} {scope['path']}")
        await socket.close()

    return serve


def _client(seen: list[str]) -> TestClient:
    """A stand-in for Reflex's own app (its websocket mounted at the event path) inside
    a chain of the app's kind: HTTP routes in front, the whole wrapped in a layer that
    notes every path it is handed."""

    async def page(_request):
        return PlainTextResponse("page")

    reflex_api = Starlette(routes=[Mount(event_path(), app=_socket_app("reflex"))])
    chain = Starlette(
        routes=[Route("/page", page), Mount("/chat", app=_socket_app("chain")), Mount("", app=reflex_api)]
    )

    async def layer(scope, receive, send):
        seen.append(scope["path"])
        await chain(scope, receive, send)

    reflex_app = SimpleNamespace(_api=reflex_api)
    return TestClient(EventSocketFirst(layer, reflex_app))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", [event_path(), event_path() + "/"])
def test_the_event_websocket_goes_straight_to_the_app_reflex_mounted(path):
    seen: list[str] = []
    with _client(seen).websocket_connect(path + "?EIO=4&transport=websocket") as socket:
        assert socket.receive_text() == f"reflex {path}"
    assert seen == []


def test_everything_else_goes_down_the_chain():
    seen: list[str] = []
    client = _client(seen)
    assert client.get("/page").text == "page"
    with client.websocket_connect("/chat/") as socket:
        assert socket.receive_text() == "chain /chat/"
    assert client.get(event_path() + "/?EIO=4&transport=polling").text == "reflex http"  # by the chain
    assert seen == ["/page", "/chat/", event_path() + "/"]


def test_the_app_finds_the_socket_reflex_mounted():
    """A Reflex upgrade that mounts its websocket elsewhere fails here, not in production."""
    mounted = mounted_socket_app(app)
    assert type(mounted).__name__ == "HeaderMiddleware"  # Reflex's: the page's subprotocol kept
    with pytest.raises(RuntimeError, match="mounted nothing"):
        mounted_socket_app(SimpleNamespace(_api=Starlette()))  # type: ignore[arg-type]
