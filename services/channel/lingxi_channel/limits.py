"""Per-provider-account token buckets and circuit breakers (in process, per replica).

Rates are per replica: with N replicas an account's configured rate is divided by N through
`replicas` (the Helm chart passes the replica count), which keeps the provider's contract without
a shared counter on the hot path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from lingxi.channel.v1 import channel_pb2


@dataclass
class TokenBucket:
    rate: float
    burst: float
    tokens: float = 0.0
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self) -> float:
        """0 when a token was taken; otherwise seconds until one is available."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate

    def take_many(self, wanted: int) -> tuple[int, float]:
        """(tokens granted now, up to `wanted`; seconds until the next one when short)."""
        if self.rate <= 0:
            return wanted, 0.0
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        granted = min(wanted, int(self.tokens))
        self.tokens -= granted
        return granted, (0.0 if granted == wanted else (1 - self.tokens) / self.rate)


@dataclass
class CircuitBreaker:
    """Opens after `threshold` consecutive failures; lets one trial through after `cool_down`."""

    threshold: int = 5
    cool_down: float = 10.0
    failures: int = 0
    opened_at: float | None = None
    calls: int = 0
    errors: int = 0
    latencies_ms: list[int] = field(default_factory=list)

    @property
    def state(self) -> int:
        if self.opened_at is None:
            return channel_pb2.CIRCUIT_STATE_CLOSED
        if time.monotonic() - self.opened_at >= self.cool_down:
            return channel_pb2.CIRCUIT_STATE_HALF_OPEN
        return channel_pb2.CIRCUIT_STATE_OPEN

    def allows(self) -> bool:
        return self.state != channel_pb2.CIRCUIT_STATE_OPEN

    def success(self, latency_ms: int) -> None:
        self.failures = 0
        self.opened_at = None
        self._record(latency_ms, error=False)

    def failure(self, latency_ms: int) -> None:
        self.failures += 1
        self._record(latency_ms, error=True)
        if self.failures >= self.threshold or self.state == channel_pb2.CIRCUIT_STATE_HALF_OPEN:
            self.opened_at = time.monotonic()

    def _record(self, latency_ms: int, *, error: bool) -> None:
        self.calls += 1
        self.errors += int(error)
        self.latencies_ms.append(latency_ms)
        if len(self.latencies_ms) > 1000:
            del self.latencies_ms[:500]

    def p99_ms(self) -> int:
        if not self.latencies_ms:
            return 0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
