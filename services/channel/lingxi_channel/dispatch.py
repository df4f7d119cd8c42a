"""The dispatcher: hands accepted messages to providers, exactly once.

Claim-before-call: a batch of due messages is claimed (`dispatch_state = 'calling'`, attempts + 1)
in a committed transaction *before* any provider is called, with `FOR UPDATE SKIP LOCKED`, so two
replicas never call for the same message. The outcome is written afterwards. The only window left
is a process dying between the claim and writing the outcome; `recover_stale` settles those
messages after the lease: where the provider deduplicates on our id (JPush `cid`) or the channel is
local (inbox) the message is simply tried again; elsewhere it is dead-lettered as
`outcome_unknown` for an operator, because a second SMS is worse than a late one. A graceful stop
finishes the calls in flight and records them, so restarts leave nothing ambiguous.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.channel.v1 import channel_pb2
from lingxi.common.v1 import enums_pb2
from lingxi_channel.accounts import AccountRegistry
from lingxi_channel.adapters import Adapter, OutcomeUnknown, Outgoing, ProviderRejected, ProviderUnavailable
from lingxi_channel.directory import CustomerProfile
from lingxi_channel.events import emit_all
from lingxi_channel.limits import CircuitBreaker, TokenBucket
from lingxi_channel.models import inbox_messages, message_status_history, messages
from lingxi_channel.rendering import Rendered
from lingxi_channel.sends import PII_CONTEXT_ADDRESS, PII_CONTEXT_CONTENT, PII_CONTEXT_REQUEST, status_event
from lingxi_channel.webhooks import delivery_body, enqueue_for_message
from lingxi_common.pii import PiiCipher, mask_text
from lingxi_common.telemetry import meter

log = logging.getLogger(__name__)
P = channel_pb2
C = enums_pb2
LOCAL_CHANNELS = frozenset({C.CHANNEL_INBOX, C.CHANNEL_WEBHOOK})

_meter = meter("lingxi.channel")
_provider_calls = _meter.create_counter(
    "lingxi_channel_provider_calls", description="provider calls by outcome"
)
_accept_to_call = _meter.create_histogram(
    "lingxi_channel_accepted_to_provider_seconds", unit="s", description="accepted → provider call returned"
)


@dataclass(slots=True)
class Outcome:
    """What became of one claimed message."""

    message_id: str
    status: int | None = None  # new status, None = back to the queue
    reason_code: str = ""
    provider: str = ""
    account_id: str = ""
    provider_message_id: str = ""
    provider_code: str = ""
    retry_at: datetime | None = None
    dispatch_state: str = "done"
    inbox: dict[str, Any] | None = None
    # (subscription id, body) of a partner webhook delivery to enqueue.
    webhook: tuple[str, bytes] | None = None
    accepted_to_call_ms: float | None = None


@dataclass
class DispatchStats:
    """Counters the benchmark and tests read (per process)."""

    sent: int = 0
    failed: int = 0
    requeued: int = 0
    accepted_to_call_ms: list[float] = field(default_factory=list)


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cipher: PiiCipher,
        registry: AccountRegistry,
        adapters: dict[str, Adapter],
        *,
        batch_size: int = 200,
        concurrency: int = 64,
        max_attempts: int = 6,
        lease_seconds: float = 60.0,
        poll_interval: float = 0.25,
        breaker_threshold: int = 5,
        breaker_cool_down: float = 10.0,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._registry = registry
        self._adapters = adapters
        self._batch_size = batch_size
        self._limit = asyncio.Semaphore(concurrency)
        self._max_attempts = max_attempts
        self._lease = lease_seconds
        self._poll = poll_interval
        self._wake = asyncio.Event()
        self._buckets: dict[str, TokenBucket] = {}
        self._breakers: dict[str, CircuitBreaker] = {}
        self._breaker_args = (breaker_threshold, breaker_cool_down)
        self.stats = DispatchStats()

    # -- public -----------------------------------------------------------------------------
    def wake(self) -> None:
        self._wake.set()

    def breaker(self, account_id: str) -> CircuitBreaker:
        breaker = self._breakers.get(account_id)
        if breaker is None:
            breaker = CircuitBreaker(*self._breaker_args)
            self._breakers[account_id] = breaker
        return breaker

    def breakers(self) -> dict[str, CircuitBreaker]:
        return dict(self._breakers)

    async def run(self) -> None:
        await self.recover_stale()
        last_recovery = time.monotonic()
        while True:
            try:
                handled = await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("dispatch tick failed")
                handled = 0
            if time.monotonic() - last_recovery > self._lease / 2:
                with contextlib.suppress(Exception):
                    await self.recover_stale()
                last_recovery = time.monotonic()
            if handled < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll)
                self._wake.clear()

    async def tick(self) -> int:
        """Claim one batch of due messages, call providers, record outcomes; returns the batch size."""
        rows = await self._claim()
        if not rows:
            return 0
        work = asyncio.ensure_future(self._process(rows))
        try:
            await asyncio.shield(work)
        except asyncio.CancelledError:
            # Stopping: finish the calls already made and record them, then stop.
            with contextlib.suppress(Exception):
                await work
            raise
        return len(rows)

    # -- claim / recover -------------------------------------------------------------------
    async def _claim(self) -> list[sa.Row]:
        due = (
            sa.select(messages.c.message_id)
            .where(
                messages.c.dispatch_state == "idle",
                messages.c.status.in_([P.MESSAGE_STATUS_ACCEPTED, P.MESSAGE_STATUS_HELD]),
                messages.c.scheduled_for <= sa.func.now(),
            )
            .order_by(messages.c.scheduled_for)
            .limit(self._batch_size)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        async with self._sessions.begin() as session:
            result = await session.execute(
                messages.update()
                .where(messages.c.message_id.in_(due))
                .values(
                    dispatch_state="calling",
                    claimed_at=sa.func.now(),
                    attempts=messages.c.attempts + 1,
                    updated_at=sa.func.now(),
                )
                .returning(*messages.c)
            )
            return list(result.all())

    async def recover_stale(self) -> int:
        """Settle messages claimed by a process that died before recording the outcome."""
        cutoff = datetime.now(UTC) - timedelta(seconds=self._lease)
        async with self._sessions.begin() as session:
            rows = (
                await session.execute(
                    sa.select(messages)
                    .where(messages.c.dispatch_state == "calling", messages.c.claimed_at < cutoff)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            outcomes = []
            for row in rows:
                accounts = await self._registry.for_channel(row.channel_used)
                safe = row.channel_used in LOCAL_CHANNELS or (
                    bool(accounts)
                    and all(
                        self._adapters[a.provider].dedupes for a in accounts if a.provider in self._adapters
                    )
                )
                if safe:
                    outcomes.append(
                        Outcome(row.message_id, None, dispatch_state="idle", retry_at=datetime.now(UTC))
                    )
                else:
                    outcomes.append(
                        Outcome(
                            row.message_id,
                            P.MESSAGE_STATUS_FAILED,
                            "outcome_unknown_after_crash",
                            dispatch_state="dead",
                        )
                    )
            if rows:
                await self._record(session, list(rows), outcomes)
        if rows:
            log.warning("recovered %d messages left in flight by a stopped dispatcher", len(rows))
        return len(rows)

    # -- one batch -------------------------------------------------------------------------
    async def _process(self, rows: list[sa.Row]) -> None:
        outcomes = await asyncio.gather(*(self._one(row) for row in rows))
        async with self._sessions.begin() as session:
            await self._record(session, rows, list(outcomes))

    async def _one(self, row: sa.Row) -> Outcome:
        now = datetime.now(UTC)
        if row.expires_at is not None and row.expires_at <= now:
            return Outcome(row.message_id, P.MESSAGE_STATUS_EXPIRED, "expired")
        rendered = Rendered.from_json(self._cipher.decrypt(row.content_enc, context=PII_CONTEXT_CONTENT))
        address = (
            self._cipher.decrypt(row.address_enc, context=PII_CONTEXT_ADDRESS) if row.address_enc else ""
        )
        if row.channel_used == C.CHANNEL_WEBHOOK:
            request = P.OutboundMessage.FromString(
                bytes.fromhex(self._cipher.decrypt(row.request_enc, context=PII_CONTEXT_REQUEST))
            )
            return Outcome(
                row.message_id,
                P.MESSAGE_STATUS_SENT,
                provider="webhook",
                account_id=address,
                provider_message_id=row.message_id,
                webhook=(address, delivery_body(row.message_id, request, rendered)),
            )
        if row.channel_used in LOCAL_CHANNELS:
            return Outcome(
                row.message_id,
                P.MESSAGE_STATUS_DELIVERED,
                provider="inbox",
                provider_message_id=row.message_id,
                inbox={
                    "message_id": row.message_id,
                    "customer_id": row.customer_id or address,
                    "title": rendered.title,
                    "body": rendered.body,
                    "url": rendered.url,
                    "category": rendered.extras.get("category", "notice"),
                    "message_class": row.message_class,
                    "expires_at": row.expires_at,
                },
            )
        accounts = await self._registry.for_channel(row.channel_used)
        if not accounts:
            return Outcome(
                row.message_id, P.MESSAGE_STATUS_FAILED, "no_provider_account", dispatch_state="dead"
            )
        outgoing = Outgoing(row.message_id, address, rendered, row.message_class)
        last_error = "provider_unavailable"
        soonest: float | None = None
        for account in accounts:
            adapter = self._adapters.get(account.provider)
            breaker = self.breaker(account.account_id)
            if adapter is None or not breaker.allows():
                last_error = "circuit_open" if adapter else "no_adapter"
                continue
            bucket = self._buckets.get(account.account_id)
            if bucket is None:
                bucket = TokenBucket(account.rate_per_second, max(account.burst, account.rate_per_second, 1))
                self._buckets[account.account_id] = bucket
            wait = bucket.take()
            if wait > 0:
                soonest = wait if soonest is None else min(soonest, wait)
                last_error = "rate_limited"
                continue
            started = time.perf_counter()
            try:
                async with self._limit:
                    provider_id = await adapter.send(account, outgoing)
            except ProviderUnavailable as error:
                breaker.failure(int((time.perf_counter() - started) * 1000))
                _provider_calls.add(1, {"provider": account.provider, "outcome": "unavailable"})
                last_error = f"provider_unavailable:{error.code}"
                continue
            except ProviderRejected as error:
                breaker.success(int((time.perf_counter() - started) * 1000))
                _provider_calls.add(1, {"provider": account.provider, "outcome": "rejected"})
                return Outcome(
                    row.message_id,
                    P.MESSAGE_STATUS_FAILED,
                    "provider_rejected",
                    provider=account.provider,
                    account_id=account.account_id,
                    provider_code=error.code,
                )
            except OutcomeUnknown as error:
                breaker.failure(int((time.perf_counter() - started) * 1000))
                _provider_calls.add(1, {"provider": account.provider, "outcome": "unknown"})
                if adapter.dedupes:
                    # Safe to repeat on the same account: the provider drops a second copy.
                    return self._requeue(row, f"outcome_unknown:{error.code}")
                return Outcome(
                    row.message_id,
                    P.MESSAGE_STATUS_FAILED,
                    "outcome_unknown",
                    provider=account.provider,
                    account_id=account.account_id,
                    provider_code=error.code,
                    dispatch_state="dead",
                )
            elapsed_ms = (time.perf_counter() - started) * 1000
            breaker.success(int(elapsed_ms))
            _provider_calls.add(1, {"provider": account.provider, "outcome": "sent"})
            since_accept = (
                datetime.now(UTC) - max(row.scheduled_for or row.created_at, row.created_at)
            ).total_seconds()
            _accept_to_call.record(since_accept, {"provider": account.provider})
            return Outcome(
                row.message_id,
                P.MESSAGE_STATUS_SENT,
                provider=account.provider,
                account_id=account.account_id,
                provider_message_id=provider_id,
                accepted_to_call_ms=since_accept * 1000,
            )
        if last_error == "rate_limited" and soonest is not None:
            outcome = self._requeue(row, last_error, delay=soonest)
            outcome.dispatch_state = "idle"
            return outcome
        return self._requeue(row, last_error)

    def _requeue(self, row: sa.Row, reason: str, *, delay: float | None = None) -> Outcome:
        if delay is None:
            if row.attempts >= self._max_attempts:
                return Outcome(
                    row.message_id, P.MESSAGE_STATUS_FAILED, reason.split(":")[0], dispatch_state="dead"
                )
            delay = min(2 ** (row.attempts - 1), 600)
        return Outcome(
            row.message_id,
            None,
            reason,
            dispatch_state="idle",
            retry_at=datetime.now(UTC) + timedelta(seconds=delay),
        )

    # -- record ----------------------------------------------------------------------------
    async def _record(self, session: AsyncSession, rows: list[sa.Row], outcomes: list[Outcome]) -> None:
        by_id = {row.message_id: row for row in rows}
        now = datetime.now(UTC)
        changed = [o for o in outcomes if o.status is not None]
        requeued = [o for o in outcomes if o.status is None]
        if requeued:
            await session.execute(
                sa.text(
                    "UPDATE channel.messages SET dispatch_state = 'idle', scheduled_for = :retry_at, "
                    "reason_code = CASE WHEN status = 2 THEN reason_code ELSE :reason END, "
                    "updated_at = now(), "
                    "attempts = CASE WHEN :rate_limited THEN attempts - 1 ELSE attempts END "
                    "WHERE message_id = :message_id"
                ),
                [
                    {
                        "retry_at": o.retry_at,
                        "reason": o.reason_code,
                        "message_id": o.message_id,
                        "rate_limited": o.reason_code == "rate_limited",
                    }
                    for o in requeued
                ],
            )
            self.stats.requeued += len(requeued)
        if not changed:
            return
        await session.execute(
            sa.text(
                "UPDATE channel.messages SET status = :status, status_seq = status_seq + 1, "
                "dispatch_state = :dispatch_state, reason_code = :reason, provider = :provider, "
                "account_id = :account_id, provider_message_id = :provider_message_id, updated_at = now() "
                "WHERE message_id = :message_id"
            ),
            [
                {
                    "status": o.status,
                    "dispatch_state": o.dispatch_state,
                    "reason": o.reason_code,
                    "provider": o.provider,
                    "account_id": o.account_id,
                    "provider_message_id": o.provider_message_id,
                    "message_id": o.message_id,
                }
                for o in changed
            ],
        )
        await session.execute(
            message_status_history.insert(),
            [
                {
                    "message_id": o.message_id,
                    "seq": by_id[o.message_id].status_seq + 1,
                    "status": o.status,
                    "channel": by_id[o.message_id].channel_used,
                    "provider_code": o.provider_code,
                    "detail": o.reason_code,
                    "occurred_at": now,
                }
                for o in changed
            ],
        )
        for o in changed:
            if o.webhook is not None:
                await enqueue_for_message(session, o.webhook[0], o.message_id, o.webhook[1])
        inbox_rows = [o.inbox for o in changed if o.inbox]
        if inbox_rows:
            await session.execute(pg_insert(inbox_messages).values(inbox_rows).on_conflict_do_nothing())
        events = []
        for o in changed:
            row = by_id[o.message_id]
            request = P.OutboundMessage.FromString(
                bytes.fromhex(self._cipher.decrypt(row.request_enc, context=PII_CONTEXT_REQUEST))
            )
            profile = CustomerProfile(
                row.customer_id or "", row.branch_id or "", row.advisor_id or "", {}, {}
            )
            events.append(
                status_event(
                    row.message_id,
                    request,
                    profile,
                    row.channel_used,
                    row.template_version,
                    int(o.status or 0),
                    row.status,
                    o.reason_code,
                    row.status_seq + 1,
                    now,
                )
            )
            if o.status == P.MESSAGE_STATUS_SENT:
                self.stats.sent += 1
                if o.accepted_to_call_ms is not None:
                    self.stats.accepted_to_call_ms.append(o.accepted_to_call_ms)
            elif o.status == P.MESSAGE_STATUS_FAILED:
                self.stats.failed += 1
                log.warning(
                    "message failed",
                    extra={
                        "message_id": o.message_id,
                        "reason": o.reason_code,
                        "address": mask_text(o.provider_code),
                    },
                )
        await emit_all(session, events)
