"""Small units: the token bucket's arithmetic, request-id log records, key-file creation races."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from lingxi_gateway.auth.dev_issuer import load_or_create_private_key
from lingxi_gateway.log_context import install_request_id_log_records
from lingxi_gateway.ratelimit import TokenBucketLimiter
from lingxi_gateway.request_id import current_request_id, is_sane_request_id


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_refills_continuously() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(clock=clock)
    assert [limiter.hit("k", 60).allowed for _ in range(61)] == [True] * 60 + [False]
    refused = limiter.hit("k", 60)
    assert refused.retry_after_seconds == 1  # 60/min refills one token per second
    clock.now += 1.0
    assert limiter.hit("k", 60).allowed
    assert not limiter.hit("k", 60).allowed
    clock.now += 3600
    decision = limiter.hit("k", 60)
    assert decision.allowed and decision.remaining == 59  # capped at one minute's allowance


def test_token_bucket_retry_after_for_slow_limits() -> None:
    limiter = TokenBucketLimiter(clock=FakeClock())
    assert limiter.hit("slow", 2).allowed
    assert limiter.hit("slow", 2).allowed
    assert limiter.hit("slow", 2).retry_after_seconds == 30


def test_token_bucket_forgets_least_recently_used() -> None:
    limiter = TokenBucketLimiter(max_buckets=2, clock=FakeClock())
    limiter.hit("a", 1)
    limiter.hit("b", 1)
    limiter.hit("a", 1)  # refused, but a is now the most recent
    limiter.hit("c", 1)
    assert len(limiter) == 2
    assert limiter.hit("b", 1).allowed  # b was evicted, so it starts full again
    with pytest.raises(ValueError):
        limiter.hit("a", 0)


@pytest.mark.parametrize(
    ("value", "sane"),
    [("abc-123", True), ("a" * 128, True), ("a" * 129, False), ("x y", False), ("", False), ("a\nb", False)],
)
def test_request_id_sanity(value: str, sane: bool) -> None:
    assert is_sane_request_id(value) is sane


def test_log_records_carry_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    install_request_id_log_records()
    install_request_id_log_records()  # idempotent
    logger = logging.getLogger("lingxi_gateway.test")
    with caplog.at_level(logging.INFO, logger="lingxi_gateway.test"):
        token = current_request_id.set("req-42")
        try:
            logger.info("inside")
        finally:
            current_request_id.reset(token)
        logger.info("outside")
    inside, outside = caplog.records[-2:]
    assert inside.request_id == "req-42"  # type: ignore[attr-defined]
    assert not hasattr(outside, "request_id")


def test_dev_key_is_created_once_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "private.pem"
    first = load_or_create_private_key(path)
    second = load_or_create_private_key(path)
    assert first.private_numbers() == second.private_numbers()
    assert list(path.parent.iterdir()) == [path]  # no temporary files left behind
