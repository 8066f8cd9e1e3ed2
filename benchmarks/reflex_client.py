"""A browser tab as the server sees it, without the browser: Reflex's Socket.IO
protocol over one websocket, light enough to run hundreds in one process.

Engine.IO 4 over a websocket at /_event/, namespace /_event, the tab's token in the
query. As the compiled page does, the hydrate event rides in the CONNECT packet;
then each handler event is `["event", {name, payload, router_data}]` and the server
answers with one or more `["event", update]` frames, the last with `final`.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import websockets

NAMESPACE = "/_event"
HYDRATE = "reflex___state____state.hydrate_and_load"


@dataclass
class Tab:
    base_url: str  # http://host:port of the backend (or the proxy)
    path: str = "/"  # the page this tab is on
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    updates: int = 0
    errors: int = 0
    _ws: Any = None
    _final: asyncio.Queue = field(default_factory=asyncio.Queue)
    _reader: asyncio.Task | None = None
    on_update: Any = None  # called with each update's delta, for pushed changes
    closing: bool = False  # closed on purpose: not an error

    def _router_data(self) -> dict:
        return {"pathname": self.path, "asPath": self.path, "query": {}}

    async def open(self, timeout: float = 30) -> None:
        """Connect and hydrate, as a page load does; returns once the page's load
        handlers have answered."""
        ws_url = self.base_url.replace("http", "ws", 1) + "/_event/?EIO=4&transport=websocket"
        ws_url += f"&token={self.token}"
        self._ws = await websockets.connect(ws_url, max_size=None, open_timeout=timeout)
        opened = await self._ws.recv()  # engine.io OPEN: "0{...}"
        assert opened.startswith("0"), opened
        hydrate = {"name": HYDRATE, "payload": {}, "router_data": self._router_data()}
        await self._ws.send(f"40{NAMESPACE},{json.dumps({'event': hydrate})}")
        self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self._final.get(), timeout)

    async def _read(self) -> None:
        prefix = f"42{NAMESPACE},"
        try:
            async for frame in self._ws:
                now = time.perf_counter()
                if frame == "2":  # engine.io ping
                    await self._ws.send("3")
                elif frame.startswith(prefix):
                    name, update = json.loads(frame[len(prefix) :])[:2]
                    if name != "event":
                        continue
                    if isinstance(update, str):
                        update = json.loads(update)
                    self.updates += 1
                    self.received(update.get("delta") or {}, now)
                    if update.get("final", True):
                        self._final.put_nowait(now)
                elif frame.startswith("44"):  # connect refused
                    self.errors += 1
                    self.refused()
                    self._final.put_nowait(now)
        except websockets.ConnectionClosed:
            if not self.closing:
                self.errors += 1

    def received(self, delta: dict, now: float) -> None:
        """Each update's delta as it arrives (`now`: perf_counter at its frame)."""
        if self.on_update is not None:
            self.on_update(delta)

    def refused(self) -> None:
        """The server refused the connection."""

    async def send(self, handler: str, **payload: Any) -> None:
        event = {"name": handler, "payload": payload, "router_data": self._router_data()}
        await self._ws.send(f"42{NAMESPACE},{json.dumps(['event', event])}")

    async def call(self, handler: str, timeout: float = 30, **payload: Any) -> float:
        """Send one event and wait for its final update; returns the round trip in s."""
        while not self._final.empty():
            self._final.get_nowait()
        started = time.perf_counter()
        await self.send(handler, **payload)
        try:
            answered = await asyncio.wait_for(self._final.get(), timeout)
        except TimeoutError:
            self.errors += 1
            return timeout
        return answered - started

    async def close(self) -> None:
        self.closing = True
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
