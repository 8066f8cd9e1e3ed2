"""The anchor of `benchmarks/bench.py`: a bare python-socketio server that speaks just
enough of Reflex's protocol for `reflex_client.Tab` to drive it like the app.

    .venv/bin/python benchmarks/echo_server.py --port 8010

Engine.IO path and namespace `/_event`, websocket only, the tab's token in the query
string, and the socket options Reflex 0.10.1 gives its own AsyncServer (no upgrades,
handlers inline on the receive loop, the same ping interval and buffer size). The
hydrate event in the CONNECT packet is answered with `is_hydrated`; each `event` is
answered at once with one `event` of the shape Reflex sends for a setter:
`{"delta": {<state>: {<var>_rx_state_: value}}, "events": [], "final": true}`.
Served by granian with one worker, as `reflex run --env prod` serves the app.
"""

from __future__ import annotations

import argparse
import urllib.parse
from typing import Any

import socketio

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"


def setter_update(event: Any) -> dict:
    """The update Reflex sends for `<state>.set_<var>` with `{"value": v}`."""
    if not isinstance(event, dict):
        return {"delta": {}, "events": [], "final": True}
    state, _, handler = str(event.get("name", "")).rpartition(".")
    value = (event.get("payload") or {}).get("value")
    var = handler.removeprefix("set_") + "_rx_state_"
    return {"delta": {state or ROOT_STATE: {var: value}}, "events": [], "final": True}


HYDRATED = {"delta": {ROOT_STATE: {"is_hydrated_rx_state_": True}}, "events": [], "final": True}


class EchoNamespace(socketio.AsyncNamespace):
    """Keeps what Reflex keeps per connection at the least (its token), and echoes."""

    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        self.sid_to_token: dict[str, str] = {}

    async def on_connect(self, sid: str, environ: dict, auth: Any = None) -> None:
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        self.sid_to_token[sid] = query.get("token", [""])[0]
        if isinstance(auth, dict) and auth.get("event") is not None:
            # As in Reflex, the boot event is answered after the connect is acknowledged.
            self.server.start_background_task(self.emit, "event", HYDRATED, to=sid)

    def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self.sid_to_token.pop(sid, None)

    async def on_event(self, sid: str, data: Any) -> None:
        await self.emit("event", setter_update(data), to=sid)


def make_app() -> socketio.ASGIApp:
    sio = socketio.AsyncServer(
        async_mode="asgi",
        cors_allowed_origins="*",
        cors_credentials=True,
        max_http_buffer_size=1000 * 1000,
        ping_interval=25,
        ping_timeout=120,
        allow_upgrades=False,
        transports=["websocket"],
        async_handlers=False,
    )
    sio.register_namespace(EchoNamespace(NAMESPACE))
    return socketio.ASGIApp(sio, socketio_path=NAMESPACE.strip("/"))


app = make_app()


def main() -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    args = parser.parse_args()
    # The same constructor arguments `reflex run --env prod` gives granian, one worker.
    Server(
        target="benchmarks.echo_server:app",
        address=args.host,
        port=args.port,
        interface=Interfaces.ASGI,
        log_level=LogLevels.warning,
        workers=1,
    ).serve()


if __name__ == "__main__":
    main()
