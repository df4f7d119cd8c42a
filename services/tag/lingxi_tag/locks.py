"""Transaction-level advisory locks on customers and devices, for concurrent event handling.

Several transactions may apply behaviour at once (the consumer's lanes, several replicas). Two of
them touching the same customer must not evaluate its tags each without the other's aggregate
increments, and an anonymous id must not be linked in one while another stores an event under
it as unattributed. Each transaction therefore locks, in one sorted pass, the anonymous ids it
reads (before looking them up) and then the customers it writes (before writing): the second
transaction waits for the first's commit and then sees everything it wrote. Keys are taken in
ascending order and identities always before customers, so two transactions cannot deadlock.
Locks end with the transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

_LOCK_SQL = sa.text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k")


def lock_key(kind: str, value: str) -> int:
    """A 64-bit advisory-lock key for ``value`` of ``kind`` ("customer", "identity")."""
    digest = hashlib.blake2b(f"lingxi.tag:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_all(session: AsyncSession, keys: Iterable[int]) -> None:
    """Take every lock, in ascending key order, for the rest of the transaction."""
    ordered = sorted(set(keys))
    if ordered:
        await session.execute(_LOCK_SQL, {"keys": ordered})
