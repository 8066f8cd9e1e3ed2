"""worker_liveness.py against a real Redis: a tab whose worker died keeps its token;
a duplicated tab (its worker alive) does not (issue 12)."""

from __future__ import annotations

import asyncio
import pickle

import redis.asyncio as aioredis
from reflex.utils.token_manager import RedisTokenManager, SocketRecord

from session_app import worker_liveness
from tests.support.app_server import running_redis


async def _scenario(url: str) -> tuple[str | None, str | None]:
    client = aioredis.Redis.from_url(url)
    alive, dead, here = RedisTokenManager(client), RedisTokenManager(client), RedisTokenManager(client)
    beating = asyncio.create_task(_beat_forever(alive))
    try:
        for holder, token in ((alive, "tab-on-a-live-worker"), (dead, "tab-on-a-dead-worker")):
            await worker_liveness._beat(client, holder.instance_id)
            record = SocketRecord(instance_id=holder.instance_id, sid="old-sid")
            await client.set(here._get_redis_key(token), pickle.dumps(record))
        # `dead` beat once and stopped: killed with SIGKILL.
        duplicate = await here.link_token_to_sid("tab-on-a-live-worker", "new-sid-1")
        survivor = await here.link_token_to_sid("tab-on-a-dead-worker", "new-sid-2")
        return duplicate, survivor
    finally:
        beating.cancel()
        await client.aclose()


async def _beat_forever(manager: RedisTokenManager) -> None:
    while True:
        await worker_liveness._beat(manager.redis, manager.instance_id)
        await asyncio.sleep(worker_liveness.BEAT_SECONDS)


def test_a_tab_keeps_its_token_when_its_worker_died_but_not_when_duplicated(tmp_path):
    with running_redis(tmp_path) as url:
        duplicate, survivor = asyncio.run(_scenario(url))
    assert duplicate is not None  # a new token: two live tabs never share a state
    assert survivor is None  # the same token: the state it had is still its own
