"""Run a coroutine to completion from synchronous code, whatever loop the caller has.

The embedded servers and the session fixtures are synchronous, yet they talk to PostgreSQL
through asyncpg. `asyncio.run` in the caller's thread would fail inside a running loop and, even
outside one, would unset the loop pytest-asyncio keeps for the session; a short-lived worker
thread with its own loop touches neither.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(factory: Callable[[], Coroutine[Any, Any, T]], timeout: float | None = None) -> T:
    """Create the coroutine in a worker thread, run it on a fresh loop there and return its result."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lingxi-sync") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result(timeout=timeout)
