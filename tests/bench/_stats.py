"""Order statistics and a closed-loop load generator shared by the benchmarks.

Percentiles are reported with their sample count because a p99 of 200 samples is two data
points; the reader needs the count to judge it. Means hide tails, so they are not reported.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default) on sorted samples."""
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Distribution:
    """p50/p95/p99/max of one set of durations, in seconds, with how many there were."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Distribution:
        ordered = sorted(samples)
        return cls(
            count=len(ordered),
            p50=percentile(ordered, 0.50),
            p95=percentile(ordered, 0.95),
            p99=percentile(ordered, 0.99),
            max=ordered[-1] if ordered else math.nan,
        )


def ms(seconds: float) -> str:
    """Milliseconds with the precision a reader can use (no false digits on large values)."""
    if math.isnan(seconds):
        return "–"
    value = seconds * 1000
    if value < 10:
        return f"{value:.2f} ms"
    if value < 1000:
        return f"{value:.1f} ms"
    return f"{value:,.0f} ms"


def seconds_text(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds:.2f} s"


def rate_text(per_second: float, unit: str) -> str:
    return "–" if math.isnan(per_second) else f"{per_second:,.0f} {unit}/s"


def mib(size_bytes: float) -> str:
    return f"{size_bytes / 2**20:,.1f} MiB"


@dataclass(frozen=True)
class LoadResult:
    """What a closed-loop run measured: per-call latency, wall time, and failed calls."""

    calls: int
    concurrency: int
    wall_seconds: float
    latency: Distribution
    errors: int
    first_error: str

    @property
    def per_second(self) -> float:
        return self.calls / self.wall_seconds if self.wall_seconds > 0 else math.nan


async def closed_loop(
    call: Callable[[int], Awaitable[object]],
    total: int,
    concurrency: int,
    *,
    max_seconds: float | None = None,
) -> LoadResult:
    """Run `call(i)` for i in 0..total-1 with `concurrency` callers, each waiting for its answer.

    Closed loop on purpose: it measures what the server sustains when every caller waits for
    its reply, like the gateway and the services calling each other. Failed calls are counted,
    not timed, so an error storm cannot pose as low latency. With `max_seconds`, no call starts
    after that time, which bounds a run whatever the speed of the code under test; `calls` says
    how many were made.
    """
    latencies: list[float] = []
    errors = 0
    first_error = ""
    next_index = 0
    began = time.perf_counter()
    deadline = began + max_seconds if max_seconds is not None else math.inf

    async def caller() -> None:
        nonlocal next_index, errors, first_error
        while next_index < total and time.perf_counter() < deadline:
            index = next_index
            next_index += 1
            started = time.perf_counter()
            try:
                await call(index)
            except Exception as error:
                errors += 1
                first_error = first_error or repr(error)[:300]
                continue
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(caller() for _ in range(concurrency)))
    wall = time.perf_counter() - began
    return LoadResult(
        calls=next_index,
        concurrency=concurrency,
        wall_seconds=wall,
        latency=Distribution.of(latencies),
        errors=errors,
        first_error=first_error,
    )
