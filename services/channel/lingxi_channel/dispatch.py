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
from lingxi_channel import bulk
from lingxi_channel.accounts import AccountRegistry
from lingxi_channel.adapters import (
    Account,
    Adapter,
    CallGate,
    NotSent,
    OutcomeUnknown,
    Outgoing,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)
from lingxi_channel.directory import CustomerProfile
from lingxi_channel.events import emit_all
from lingxi_channel.limits import CircuitBreaker, TokenBucket
from lingxi_channel.models import inbox_messages, message_status_history, messages, wecom_result_checks
from lingxi_channel.rendering import Rendered
from lingxi_channel.sends import PII_CONTEXT_ADDRESS, PII_CONTEXT_CONTENT, PII_CONTEXT_REQUEST, status_event
from lingxi_channel.webhooks import delivery_body, enqueue_for_message
from lingxi_common.pii import PiiCipher, mask_text
from lingxi_common.telemetry import meter

log = logging.getLogger(__name__)
P = channel_pb2
C = enums_pb2
LOCAL_CHANNELS = frozenset({C.CHANNEL_INBOX, C.CHANNEL_WEBHOOK})
# What a claim reads back: what the call and its bookkeeping need (not the ledger's JSON columns).
CLAIMED = tuple(
    messages.c[name]
    for name in (
        "message_id",
        "request_enc",
        "customer_id",
        "branch_id",
        "advisor_id",
        "sender_id",
        "channel_used",
        "template_version",
        "message_class",
        "status",
        "status_seq",
        "address_enc",
        "content_enc",
        "attempts",
        "scheduled_for",
        "expires_at",
        "created_at",
    )
)

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
        workers: int = 2,
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
        self._workers = workers
        self._gate = CallGate(concurrency)
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
        """Several claim → call → record loops, so one batch's provider calls overlap the next
        batch's claim and the previous one's bookkeeping (SKIP LOCKED keeps their claims apart)."""
        await self.recover_stale()
        loops = [asyncio.create_task(self._loop(index == 0)) for index in range(self._workers)]
        try:
            await asyncio.gather(*loops)
        finally:
            self._gate.stopping = True
            for loop in loops:
                if not loop.done() and not loop.cancelling():
                    loop.cancel()
            await asyncio.gather(*loops, return_exceptions=True)

    async def _loop(self, recovers: bool) -> None:
        last_recovery = time.monotonic()
        while True:
            try:
                handled = await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("dispatch tick failed")
                handled = 0
            if recovers and time.monotonic() - last_recovery > self._lease / 2:
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
            # Stopping: start no new request, finish the ones in flight and record everything.
            self._gate.stopping = True
            while not work.done():  # a second cancellation must not abandon recorded-to-be work
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.shield(work)
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
                .returning(*CLAIMED)
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
        outcomes: dict[str, Outcome] = {}
        by_channel: dict[int, list[tuple[sa.Row, Outgoing]]] = {}
        for row in rows:
            local = self._settle_here(row)
            if local is not None:
                outcomes[row.message_id] = local
                continue
            address = (
                self._cipher.decrypt(row.address_enc, context=PII_CONTEXT_ADDRESS) if row.address_enc else ""
            )
            rendered = Rendered.from_json(self._cipher.decrypt(row.content_enc, context=PII_CONTEXT_CONTENT))
            outgoing = Outgoing(
                row.message_id, address, rendered, row.message_class, sender=row.sender_id or ""
            )
            by_channel.setdefault(row.channel_used, []).append((row, outgoing))
        for found in await asyncio.gather(
            *(self._send_channel(channel, items) for channel, items in by_channel.items())
        ):
            outcomes.update(found)
        async with self._sessions.begin() as session:
            await self._record(session, rows, [outcomes[row.message_id] for row in rows])

    def _content(self, row: sa.Row) -> tuple[str, Rendered]:
        """The address and rendered content, decrypted only here, just before the call."""
        address = (
            self._cipher.decrypt(row.address_enc, context=PII_CONTEXT_ADDRESS) if row.address_enc else ""
        )
        return address, Rendered.from_json(self._cipher.decrypt(row.content_enc, context=PII_CONTEXT_CONTENT))

    def _settle_here(self, row: sa.Row) -> Outcome | None:
        """Outcomes that need no provider: expired messages, the inbox, partner webhooks."""
        if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
            return Outcome(row.message_id, P.MESSAGE_STATUS_EXPIRED, "expired")
        if row.channel_used not in LOCAL_CHANNELS:
            return None
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

    async def _call(self, adapter: Adapter, account: Account, batch: list[Outgoing]) -> list[Any]:
        """One result per message (provider id or ProviderError), through the adapter's batch API
        when it has one; a failure nobody classified counts as an unknown outcome (never repeated
        where the provider does not deduplicate)."""
        send_many = getattr(adapter, "send_many", None)
        try:
            if send_many is not None:
                found: list[Any] = await send_many(account, batch, self._gate)
                return found
            return list(await asyncio.gather(*(self._send_one(adapter, account, m) for m in batch)))
        except Exception as error:
            log.exception("provider call failed unexpectedly", extra={"provider": account.provider})
            return [OutcomeUnknown("unexpected", repr(error))] * len(batch)

    async def _send_one(self, adapter: Adapter, account: Account, message: Outgoing) -> Any:
        async with self._gate:
            if self._gate.stopping:
                return NotSent()
            try:
                return await adapter.send(account, message)
            except ProviderError as error:
                return error
            except Exception as error:
                log.exception("provider call failed unexpectedly", extra={"provider": account.provider})
                return OutcomeUnknown("unexpected", repr(error))

    async def _send_channel(self, channel: int, items: list[tuple[sa.Row, Outgoing]]) -> dict[str, Outcome]:
        """Hand one channel's messages to its accounts in failover order, as few requests as the
        providers allow; what no account took goes back to the queue with its reason."""
        accounts = await self._registry.for_channel(channel)
        if not accounts:
            return {
                row.message_id: Outcome(
                    row.message_id, P.MESSAGE_STATUS_FAILED, "no_provider_account", dispatch_state="dead"
                )
                for row, _ in items
            }
        done: dict[str, Outcome] = {}
        last_error: dict[str, str] = {}
        waits: dict[str, float] = {}
        pending = list(items)
        for account in accounts:
            if not pending or self._gate.stopping:
                break
            adapter = self._adapters.get(account.provider)
            breaker = self.breaker(account.account_id)
            if adapter is None or not breaker.allows():
                for row, _ in pending:
                    last_error[row.message_id] = "circuit_open" if adapter else "no_adapter"
                continue
            bucket = self._buckets.get(account.account_id)
            if bucket is None:
                bucket = TokenBucket(account.rate_per_second, max(account.burst, account.rate_per_second, 1))
                self._buckets[account.account_id] = bucket
            granted, wait = bucket.take_many(len(pending))
            for row, _ in pending[granted:]:
                last_error[row.message_id] = "rate_limited"
                waits[row.message_id] = wait
            batch, pending = pending[:granted], pending[granted:]
            if not batch:
                continue
            started = time.perf_counter()
            results = await self._call(adapter, account, [outgoing for _, outgoing in batch])
            elapsed_ms = int((time.perf_counter() - started) * 1000)
            failed_requests: set[int] = set()
            succeeded = False
            for (row, outgoing), result in zip(batch, results, strict=True):
                if isinstance(result, NotSent):  # never left: back to the queue as it was
                    last_error[row.message_id] = "stopping"
                    pending.append((row, outgoing))
                    continue
                outcome = self._outcome(row, account, adapter, result)
                if outcome is None:  # not taken by this account: try the next one
                    failed_requests.add(id(result))
                    last_error[row.message_id] = f"provider_unavailable:{result.code}"
                    pending.append((row, outgoing))
                    continue
                if isinstance(result, OutcomeUnknown):
                    failed_requests.add(id(result))
                else:
                    succeeded = True
                done[row.message_id] = outcome
            if succeeded:
                breaker.success(elapsed_ms)
            for _ in failed_requests:
                breaker.failure(elapsed_ms)
        for row, _ in pending:
            reason = last_error.get(row.message_id, "provider_unavailable")
            if self._gate.stopping and reason in ("stopping", "provider_unavailable"):
                done[row.message_id] = Outcome(
                    row.message_id, None, "stopping", dispatch_state="idle", retry_at=datetime.now(UTC)
                )
                continue
            if reason == "rate_limited" and row.message_id in waits:
                outcome = self._requeue(row, reason, delay=waits[row.message_id])
                outcome.dispatch_state = "idle"
            else:
                outcome = self._requeue(row, reason)
            done[row.message_id] = outcome
        return done

    def _outcome(self, row: sa.Row, account: Account, adapter: Adapter, result: Any) -> Outcome | None:
        """What one provider answer means for one message; None = unavailable, try elsewhere."""
        provider = account.provider
        if isinstance(result, ProviderUnavailable):
            _provider_calls.add(1, {"provider": provider, "outcome": "unavailable"})
            return None
        if isinstance(result, ProviderRejected):
            _provider_calls.add(1, {"provider": provider, "outcome": "rejected"})
            return Outcome(
                row.message_id,
                P.MESSAGE_STATUS_FAILED,
                "provider_rejected",
                provider=provider,
                account_id=account.account_id,
                provider_code=result.code,
            )
        if isinstance(result, ProviderError):  # OutcomeUnknown
            _provider_calls.add(1, {"provider": provider, "outcome": "unknown"})
            if adapter.dedupes:
                # Safe to repeat on the same account: the provider drops a second copy.
                return self._requeue(row, f"outcome_unknown:{result.code}")
            return Outcome(
                row.message_id,
                P.MESSAGE_STATUS_FAILED,
                "outcome_unknown",
                provider=provider,
                account_id=account.account_id,
                provider_code=result.code,
                dispatch_state="dead",
            )
        _provider_calls.add(1, {"provider": provider, "outcome": "sent"})
        since_accept = (
            datetime.now(UTC) - max(row.scheduled_for or row.created_at, row.created_at)
        ).total_seconds()
        _accept_to_call.record(since_accept, {"provider": provider})
        return Outcome(
            row.message_id,
            P.MESSAGE_STATUS_SENT,
            provider=provider,
            account_id=account.account_id,
            provider_message_id=str(result),
            accepted_to_call_ms=since_accept * 1000,
        )

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
            # Back to the queue; a message only rate limited keeps its attempt (it made no call).
            await bulk.update(
                session,
                messages,
                "message_id",
                sorted(
                    (
                        {
                            "message_id": o.message_id,
                            "scheduled_for": o.retry_at,
                            "reason_code": o.reason_code,
                            # Rate limited or stopping: no request was made, so no attempt counts.
                            "attempts": -1 if o.reason_code in ("rate_limited", "stopping") else 0,
                        }
                        for o in requeued
                    ),
                    key=lambda item: str(item["message_id"]),
                ),
                "dispatch_state = 'idle', scheduled_for = u.scheduled_for, "
                "reason_code = CASE WHEN t.status = 2 THEN t.reason_code ELSE u.reason_code END, "
                "updated_at = now(), attempts = t.attempts + u.attempts",
            )
            self.stats.requeued += len(requeued)
        if not changed:
            return
        await bulk.update(
            session,
            messages,
            "message_id",
            sorted(
                (
                    {
                        "message_id": o.message_id,
                        "status": o.status,
                        "dispatch_state": o.dispatch_state,
                        "reason_code": o.reason_code,
                        "provider": o.provider,
                        "account_id": o.account_id,
                        "provider_message_id": o.provider_message_id,
                    }
                    for o in changed
                ),
                key=lambda item: str(item["message_id"]),
            ),
            "status = u.status, status_seq = t.status_seq + 1, dispatch_state = u.dispatch_state, "
            "reason_code = u.reason_code, provider = u.provider, account_id = u.account_id, "
            "provider_message_id = u.provider_message_id, updated_at = now()",
        )
        await bulk.insert(
            session,
            message_status_history,
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
            await bulk.insert(session, inbox_messages, inbox_rows, on_conflict="ON CONFLICT DO NOTHING")
        wecom_tasks = [
            {"message_id": o.message_id}
            for o in changed
            if o.provider == "wecom" and o.status == P.MESSAGE_STATUS_SENT
        ]
        if wecom_tasks:
            # WeCom sends only after the advisor confirms: ask for the outcome later.
            await session.execute(pg_insert(wecom_result_checks).values(wecom_tasks).on_conflict_do_nothing())
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
