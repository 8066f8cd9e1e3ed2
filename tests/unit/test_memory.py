"""session_app/memory.py: freed memory goes back to the system (issue 16's soak)."""

from __future__ import annotations

import gc
import os
import sys

import pytest

from session_app import memory
from session_app.session_app import app


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_is_handed_back_to_the_system():
    """What expired tabs leave: many strings too big for Python's own allocator, most
    freed, a few kept here and there. glibc keeps the pages until they are trimmed."""
    kept, freed = [], []
    for n in range(40_000):
        strings = [os.urandom(300).hex() for _ in range(3)]
        (kept if n % 20 == 0 else freed).append(strings)
    freed.clear()
    gc.collect()
    held = _rss_mb()
    assert memory.trim()
    assert _rss_mb() < held - 20, "trimming gave nothing back"
    assert len(kept) == 2_000


def test_every_worker_trims_in_the_background():
    assert memory.return_freed_memory in [getattr(task, "func", task) for task in app._lifespan_tasks]
