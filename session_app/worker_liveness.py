"""Tabs keep their state when the worker they were connected to dies (issue 12).

Reflex records in Redis which worker holds each tab's websocket, for an hour. A
worker killed with SIGKILL never removes its records, so when its tabs reconnect
to another worker Reflex takes each for a duplicated browser tab and gives it a new
token: a fresh, empty state (typed input, the pending sign-in code and the lobby
place gone). Here every worker rewrites a short-lived "alive" key in Redis every
second. A record whose worker's key is gone, or stops changing for the key's
lifetime, is stale, and the reconnecting tab keeps its token, so it finds its state
where Reflex left it. A really duplicated tab (its first worker alive) still gets a
new token, after about a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import time

from reflex.utils.token_manager import RedisTokenManager

log = logging.getLogger(__name__)

ALIVE_SECONDS = 3  # a worker silent this long is taken for dead
BEAT_SECONDS = 1


def _alive_key(instance_id: str) -> str:
    return f"session_worker_alive_{instance_id}"


_reflex_link = RedisTokenManager.link_token_to_sid


async def _beat(redis, instance_id: str) -> None:
    await redis.set(_alive_key(instance_id), str(time.time_ns()), ex=ALIVE_SECONDS)


async def _is_alive(redis, instance_id: str) -> bool:
    """Whether the worker still beats: its key changes within the key's lifetime."""
    first = await redis.get(_alive_key(instance_id))
    deadline = time.monotonic() + ALIVE_SECONDS
    while first is not None and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        now = await redis.get(_alive_key(instance_id))
        if now != first:
            return now is not None
    return False


async def _link_unless_stale(self: RedisTokenManager, token: str, sid: str) -> str | None:
    with contextlib.suppress(Exception):  # Redis trouble: Reflex's own rule applies
        await _beat(self.redis, self.instance_id)
        raw = await self.redis.get(self._get_redis_key(token))
        if raw is not None:
            holder = pickle.loads(raw).instance_id
            if holder != self.instance_id and not await _is_alive(self.redis, holder):
                log.info("a tab's worker died: the tab keeps its state on this one")
                await self.redis.delete(self._get_redis_key(token))
    return await _reflex_link(self, token, sid)


RedisTokenManager.link_token_to_sid = _link_unless_stale  # type: ignore[method-assign]


async def keep_alive(app) -> None:
    """Say this worker is alive for as long as it runs (a lifespan task)."""
    while True:
        namespace = app.event_namespace
        manager = getattr(namespace, "_token_manager", None) if namespace else None
        if isinstance(manager, RedisTokenManager):
            try:
                await _beat(manager.redis, manager.instance_id)
            except Exception:
                log.warning("could not mark this worker alive in Redis; retrying")
        await asyncio.sleep(BEAT_SECONDS)
