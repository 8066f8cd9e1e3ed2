"""The one sign-in guard (states/account.py): handlers run only for a signed-in person."""

from __future__ import annotations

import asyncio
import inspect

from session_app.states.account import signed_in_only


class _Tab:
    def __init__(self, who):
        self.who, self._who, self.calls = who, None, []

    async def _guard(self) -> bool:
        self._who = self.who
        return self._who is not None

    @signed_in_only
    def plain(self, value: str):
        self.calls.append(("plain", value, self._who))
        return "done"

    @signed_in_only
    async def awaited(self, value: str):
        self.calls.append(("awaited", value, self._who))
        return "done"

    @signed_in_only
    async def streaming(self, value: str):
        self.calls.append(("streaming", value, self._who))
        yield "first"
        yield "second"


async def _collect(generator) -> list:
    return [update async for update in generator]


def test_a_signed_in_person_runs_every_kind_of_handler():
    tab = _Tab(who="jane")
    assert asyncio.run(tab.plain("a")) == "done"
    assert asyncio.run(tab.awaited("b")) == "done"
    assert asyncio.run(_collect(tab.streaming("c"))) == ["first", "second"]
    assert tab.calls == [("plain", "a", "jane"), ("awaited", "b", "jane"), ("streaming", "c", "jane")]
    assert tab._who is None  # the person belongs to the event, never to the stored state


def test_a_signed_out_person_runs_nothing():
    tab = _Tab(who=None)
    assert asyncio.run(tab.plain("a")) is None
    assert asyncio.run(tab.awaited("b")) is None
    assert asyncio.run(_collect(tab.streaming("c"))) == []
    assert tab.calls == []


def test_the_guard_keeps_what_reflex_reads_of_a_handler():
    assert list(inspect.signature(_Tab.plain).parameters) == ["self", "value"]
    assert _Tab.awaited.__name__ == "awaited" and _Tab.awaited.__annotations__ == {"value": "str"}
    assert inspect.isasyncgenfunction(_Tab.streaming)
