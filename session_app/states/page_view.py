"""Whether a page's load handlers run for a new page view or for a reconnect.

Reflex sends `hydrate_and_load` on every websocket (re)connect, and the page's load
handlers run after it. The first one of a page carries the hashes of the compiled
initial state; a reconnect (a worker restarted or killed, a laptop waking) does not.
`PageViews` records which, so a load handler can keep what the person had open on a
reconnect and start clean on a new view (a reload, a link, an emailed link's page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex.middleware import Middleware

if TYPE_CHECKING:
    from reflex.app import App

HYDRATE = ".hydrate_and_load"


class PageViewState(rx.State):
    _reconnected_path: str = ""

    def _take_reconnect(self) -> bool:
        """True once, for the page a reconnect landed on; False on a new page view."""
        reconnected = self._reconnected_path == self.router.url.path
        self._reconnected_path = ""
        return reconnected


class PageViews(Middleware):
    async def preprocess(self, app: App, state: Any, event: Any) -> None:
        if event.name.endswith(HYDRATE):
            view = await state.get_state(PageViewState)
            view._reconnected_path = "" if event.payload.get("hashes") else state.router.url.path
