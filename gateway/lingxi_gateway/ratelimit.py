"""Token-bucket rate limiting, in process.

Each API key, authenticated subject and anonymous client IP has a bucket holding up to one minute's
allowance, refilled continuously; a request takes one token or is refused with the time until the next
token (Retry-After). State lives in this process only: with N gateway replicas a client can get up to
N times its limit. That is the accepted trade-off for now; exact limits across replicas need a shared
store (Redis or NATS KV with atomic updates), the next step when partners are billed by quota.

All methods are synchronous and never await, so buckets need no lock on the event loop.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one request against a bucket."""

    allowed: bool
    limit_per_minute: int
    remaining: int
    retry_after_seconds: int  # 0 when allowed


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    """Buckets keyed by an opaque string; the least recently used are dropped beyond ``max_buckets``."""

    def __init__(self, *, max_buckets: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._max_buckets = max_buckets
        self._clock = clock

    def __len__(self) -> int:
        return len(self._buckets)

    def hit(self, key: str, limit_per_minute: int) -> Decision:
        """Take one token from ``key``'s bucket (created full on first use)."""
        if limit_per_minute <= 0:
            raise ValueError("limit_per_minute must be positive")
        now = self._clock()
        capacity = float(limit_per_minute)
        rate = limit_per_minute / 60.0  # tokens per second
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(tokens=capacity, updated=now)
            self._buckets[key] = bucket
            self._evict()
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Decision(True, limit_per_minute, int(bucket.tokens), 0)
        wait = (1.0 - bucket.tokens) / rate
        return Decision(False, limit_per_minute, 0, max(1, math.ceil(wait)))

    def _evict(self) -> None:
        while len(self._buckets) > self._max_buckets:
            self._buckets.popitem(last=False)
