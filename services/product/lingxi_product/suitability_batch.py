"""Batch suitability: one product against an audience (an id list or a tag-service snapshot).

The path is built for a million customers in well under a second once the audience is known:
the customer risk projection is read from this replica's in-memory columns (`risk_columns`, made
current before every batch), the rules run vectorised (`decide_many`, the same rules as `decide`),
and the audit is one record with compressed per-customer inputs and outcomes (`batch_audit`), so
every customer's decision can still be replayed. Snapshot members come from the tag service;
snapshots are immutable, so a replica keeps the members it resolved (as positions in its columns,
plus the encoded id list, and a compressed copy in `snapshot_members` for other replicas and
restarts), and a second batch over the same snapshot skips the tag service. Reading a large
snapshot outlasts an RPC, so it runs in the background: a call that would wait too long answers
UNAVAILABLE with the progress, and its retry finds the members.
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import time
import uuid
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.common.v1 import date_pb2
from lingxi.product.v1 import suitability_service_pb2
from lingxi_common.db import transaction
from lingxi_common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_product import batch_audit, catalog
from lingxi_product.convert import from_date, money
from lingxi_product.models import snapshot_members, suitability_batch_results, suitability_batches
from lingxi_product.risk_columns import UNKNOWN, RiskColumns
from lingxi_product.snapshots import FetchProgress, SnapshotSource, TagServiceUnavailable
from lingxi_product.suitability import (
    business_date,
    parse_id,
    product_facts,
    product_from_json,
    product_json,
    resolve_purpose,
)
from lingxi_product.suitability_rules import (
    ALLOW_LEVEL,
    ALLOW_PROFESSIONAL,
    ALLOW_REASONS,
    DENY_UNKNOWN,
    RULE_VERSION,
    Outcome,
    ProductFacts,
    decide,
    decide_many,
    explain,
)

log = logging.getLogger(__name__)
S = suitability_service_pb2
MAX_IDS = 100_000
MAX_INLINE = 10_000
MAX_MISMATCHES = 100
CACHED_MEMBERS = 5_000_000


@dataclass
class ResolvedAudience:
    """An audience as positions in the columns, with its id list already encoded for the audit."""

    size: int
    positions: npt.NDArray[np.int64]
    unknown: dict[int, str]  # index in the audience → id, for members the projection lacked
    ids_blob: bytes
    # Data scopes (see `scope_key`) the tag service has let read this snapshot; "" = every customer.
    readers: set[str] = field(default_factory=set)

    def refresh_unknown(self, columns: RiskColumns) -> None:
        """Members that reached the projection since the audience was resolved get their position."""
        if not self.unknown:
            return
        indexes = list(self.unknown)
        found = columns.positions_of([self.unknown[i] for i in indexes])
        for index, position in zip(indexes, found.tolist(), strict=True):
            if position != UNKNOWN:
                self.positions[index] = position
                del self.unknown[index]


def scope_key(caller: Caller) -> str:
    """The data scope a snapshot read is made under: "" for roles that see every customer."""
    if caller.sees_all_customers:
        return ""
    return f"{caller.role.value}:{caller.branch_id or ''}:{caller.advisor_id or ''}"


def resolve(columns: RiskColumns, ids: list[str], blob: bytes | None = None) -> ResolvedAudience:
    positions = columns.positions_of(ids)
    unknown = {int(i): ids[i] for i in np.flatnonzero(positions == UNKNOWN)}
    if blob is None:
        try:
            blob = batch_audit.encode_ids(ids)
        except ValueError as error:
            raise InvalidArgument("customers.customer_ids", str(error)) from error
    return ResolvedAudience(len(ids), positions, unknown, blob)


@dataclass
class _DecodedBatch:
    """A stored batch decoded once per replica for paging: per side (allowed / denied), the
    customers' indexes sorted by id, and those ids (for the keyset search)."""

    stored: batch_audit.StoredBatch
    sorted_index: dict[bool, list[int]] = field(default_factory=dict)
    sorted_ids: dict[bool, list[str]] = field(default_factory=dict)

    def side(self, denied: bool) -> tuple[list[int], list[str]]:
        if denied not in self.sorted_index:
            stored = self.stored
            wanted: list[int] = np.flatnonzero(~stored.allowed if denied else stored.allowed).tolist()
            wanted.sort(key=stored.ids.__getitem__)
            self.sorted_index[denied] = wanted
            self.sorted_ids[denied] = [stored.ids[i] for i in wanted]
        return self.sorted_index[denied], self.sorted_ids[denied]


class BatchSuitability:
    """Per-replica state of batch suitability: the columns, the snapshot cache, decoded batches."""

    def __init__(
        self,
        columns: RiskColumns,
        snapshots: SnapshotSource,
        sessions: async_sessionmaker[AsyncSession] | None = None,
        *,
        snapshot_wait: float = 20.0,
    ) -> None:
        self.columns = columns
        self.snapshots = snapshots
        self._sessions = sessions
        self._snapshot_wait = snapshot_wait
        self._audiences: OrderedDict[str, ResolvedAudience] = OrderedDict()
        self._reading: dict[tuple[str, str], tuple[asyncio.Task[ResolvedAudience], FetchProgress]] = {}
        self._failed: dict[tuple[str, str], Exception] = {}
        self._decoded: OrderedDict[uuid.UUID, _DecodedBatch] = OrderedDict()

    # ---- audiences ----
    #
    # Members are kept per snapshot (they do not depend on who reads them); who may use them is
    # the tag service's decision: a read made as the caller, or `authorize` (GetAudienceSnapshot
    # as the caller) before members read under another scope are handed out. Reads in flight and
    # failed reads are kept per (snapshot, scope), since a scoped read can fail where "" succeeds.

    def forget_cached_audiences(self) -> None:
        """Drop this replica's resolved snapshots (as after a restart); the stored copies remain."""
        self._audiences.clear()

    def is_resolved(self, snapshot_id: str) -> bool:
        """Whether this replica holds the snapshot's members in memory."""
        return snapshot_id in self._audiences

    def _remember(self, snapshot_id: str, audience: ResolvedAudience) -> ResolvedAudience:
        held = self._audiences.get(snapshot_id)
        if held is not None:  # two reads of one snapshot under different scopes: same members
            held.readers |= audience.readers
            audience = held
        self._audiences[snapshot_id] = audience
        self._audiences.move_to_end(snapshot_id)
        while len(self._audiences) > 1 and sum(a.size for a in self._audiences.values()) > CACHED_MEMBERS:
            self._audiences.popitem(last=False)
        return audience

    async def _admit(self, audience: ResolvedAudience, snapshot_id: str, scope: str) -> ResolvedAudience:
        """The audience, once the tag service has agreed the caller's scope may read the snapshot."""
        if scope and scope not in audience.readers:
            await self.snapshots.authorize(snapshot_id)
            audience.readers.add(scope)
        return audience

    async def _snapshot_audience(
        self, session: AsyncSession, caller: Caller, snapshot_id: str, *, wait: float | None
    ) -> ResolvedAudience:
        """The snapshot's members as positions: from this replica's memory, this service's stored
        copy, or the tag service. Reading from the tag service runs in the background; a call
        that would outlast `wait` answers UNAVAILABLE (retry), and the read goes on, so the retry
        finds the members here. `wait=None` waits for the read to end (the announcement consumer)."""
        scope = scope_key(caller)
        cached = self._audiences.get(snapshot_id)
        if cached is not None:
            self._audiences.move_to_end(snapshot_id)
            cached.refresh_unknown(self.columns)
            return await self._admit(cached, snapshot_id, scope)
        stored = (
            await session.execute(
                sa.select(
                    snapshot_members.c.scope, snapshot_members.c.member_count, snapshot_members.c.customer_ids
                )
                .where(snapshot_members.c.snapshot_id == snapshot_id)
                .order_by((snapshot_members.c.scope == scope).desc())
                .limit(1)
            )
        ).first()
        if stored is not None:
            audience = await asyncio.to_thread(self._resolve_stored, stored.customer_ids, stored.member_count)
            audience.readers.add(stored.scope)
            return await self._admit(self._remember(snapshot_id, audience), snapshot_id, scope)
        everyone = self._reading.get((snapshot_id, ""))
        if everyone is not None and scope:
            # Members already being read for every scope: this caller needs only the permission.
            await self.snapshots.authorize(snapshot_id)
            key = (snapshot_id, "")
        else:
            key = (snapshot_id, scope)
        reading = self._reading.get(key)
        failed = self._failed.pop(key, None)
        if reading is None and failed is not None:
            raise failed  # a read that ended while nobody waited: its caller's retry gets the answer
        if reading is None:
            progress = FetchProgress()
            task = asyncio.create_task(
                self._read_snapshot(key, progress), name=f"snapshot-members:{snapshot_id}"
            )
            task.add_done_callback(lambda done: self._read_finished(key, done))
            reading = self._reading[key] = (task, progress)
        task, progress = reading
        try:
            audience = await asyncio.wait_for(asyncio.shield(task), timeout=wait)
        except TimeoutError:
            raise TagServiceUnavailable(
                f"still reading the members of snapshot {snapshot_id!r} from the tag service "
                f"({progress.read:,} of {progress.total or '?'} so far); retry shortly"
            ) from None
        except Exception:
            self._failed.pop(key, None)  # this caller got the error; a retry reads again
            raise
        audience.readers.add(scope)
        return audience

    def _resolve_stored(self, blob: bytes, size: int) -> ResolvedAudience:
        return resolve(self.columns, batch_audit.decode_ids(blob, size), blob)

    async def _read_snapshot(self, key: tuple[str, str], progress: FetchProgress) -> ResolvedAudience:
        members = await self.snapshots.members(key[0], progress)
        if not members:
            raise FailedPrecondition(f"audience snapshot {key[0]!r} has no members")
        audience = await asyncio.to_thread(resolve, self.columns, members)
        audience.readers.add(key[1])
        if self._sessions is not None:
            async with transaction(self._sessions) as session:
                insert = postgresql.insert(snapshot_members).values(
                    snapshot_id=key[0],
                    scope=key[1],
                    member_count=audience.size,
                    customer_ids=audience.ids_blob,
                )
                await session.execute(insert.on_conflict_do_nothing())
        return self._remember(key[0], audience)

    def _read_finished(self, key: tuple[str, str], task: asyncio.Task[ResolvedAudience]) -> None:
        self._reading.pop(key, None)
        error = None if task.cancelled() else task.exception()
        if isinstance(error, Exception):
            log.info("reading snapshot %s members failed: %s", key[0], error)
            self._failed[key] = error
            while len(self._failed) > 100:
                self._failed.pop(next(iter(self._failed)))

    async def preread(self, session: AsyncSession, snapshot_id: str) -> int:
        """Resolve an announced snapshot's members ahead of its first batch, as this service
        (which sees every customer, so any caller the tag service admits can use them).
        Returns the member count."""
        await self.columns.ensure_current()
        audience = await self._snapshot_audience(session, Caller.system("product"), snapshot_id, wait=None)
        return audience.size

    # ---- CheckBatch ----

    async def check_batch(
        self,
        session: AsyncSession,
        caller: Caller,
        request: suitability_service_pb2.CheckBatchRequest,
        *,
        on: date | None = None,
    ) -> suitability_service_pb2.CheckBatchResponse:
        started = time.perf_counter()
        if caller.role in (Role.PARTNER, Role.SRE, Role.CUSTOMER):
            raise PermissionDenied(f"role {caller.role.value} may not run batch suitability checks")
        if not request.product_id:
            raise InvalidArgument("product_id", "required")
        target = request.WhichOneof("target")
        if target == "snapshot_id" and not request.snapshot_id:
            raise InvalidArgument("snapshot_id", "required")
        if target != "snapshot_id" and (target != "customers" or not request.customers.customer_ids):
            raise InvalidArgument("customers", "a non-empty customer id list (or a snapshot id) is required")
        if target == "customers" and len(request.customers.customer_ids) > MAX_IDS:
            raise InvalidArgument("customers.customer_ids", f"at most {MAX_IDS:,} ids per call")
        purpose = resolve_purpose(request.purpose)
        if purpose == S.SUITABILITY_PURPOSE_SELL:
            raise InvalidArgument("purpose", "a sale is checked one customer at a time, with its amount")
        if not 0 <= request.inline_limit <= MAX_INLINE:
            raise InvalidArgument("inline_limit", f"between 0 and {MAX_INLINE}")
        product = product_facts(await catalog.load_row(session, request.product_id))

        await self.columns.ensure_current()
        if target == "snapshot_id":
            audience = await self._snapshot_audience(
                session, caller, request.snapshot_id, wait=self._snapshot_wait
            )
            reference: dict[str, Any] = {"snapshot_id": request.snapshot_id, "members": audience.size}
        else:
            ids = list(dict.fromkeys(request.customers.customer_ids))
            if any(not cid for cid in ids):
                raise InvalidArgument("customers.customer_ids", "empty customer id")
            audience = resolve(self.columns, ids)
            reference = {"customer_ids": audience.size}
        gathered = self.columns.gather(audience.positions)
        outside = self.columns.first_outside_scope(caller, gathered)
        if outside is not None:
            who = self.columns.id_at(int(audience.positions[outside]))
            raise PermissionDenied(f"customer {who!r} is outside your data scope")

        day = on or business_date()
        allowed, masks = decide_many(gathered.arrays, product, on=day)
        order = list(masks)
        stacked = batch_audit.stack(masks, order, audience.size)
        inputs_blob, outcomes_blob = await asyncio.gather(
            asyncio.to_thread(batch_audit.encode_inputs, gathered.arrays, gathered.versions),
            asyncio.to_thread(batch_audit.encode_outcomes, stacked),
        )
        snapshot = product_json(product)
        counts = {reason: int(np.count_nonzero(mask)) for reason, mask in masks.items()}
        allowed_count = int(np.count_nonzero(allowed))
        batch_id = uuid.uuid4()
        await session.execute(
            suitability_batches.insert().values(
                batch_id=batch_id,
                product_id=product.product_id,
                rule_version=RULE_VERSION,
                purpose=purpose,
                product_snapshot=snapshot,
                evaluated_on=day,
                evaluated=audience.size,
                allowed=allowed_count,
                denied=audience.size - allowed_count,
                denied_by_reason={str(reason): count for reason, count in counts.items() if count},
                input_fingerprint=batch_audit.fingerprint(
                    (audience.ids_blob, inputs_blob, outcomes_blob), snapshot, RULE_VERSION, purpose, day
                ),
                requested_by=caller.subject,
                audience=reference,
                payload_format=batch_audit.FORMAT,
                reason_order=order,
                customer_ids=audience.ids_blob,
                customer_inputs=inputs_blob,
                outcomes=outcomes_blob,
            )
        )
        inline: list[str] = []
        if allowed_count <= request.inline_limit:
            inline = [self.columns.id_at(int(p)) for p in audience.positions[allowed]]
        elapsed = time.perf_counter() - started
        log.info(
            "batch suitability decided",
            extra={"batch_id": str(batch_id), "evaluated": audience.size, "ms": round(elapsed * 1000)},
        )
        return S.CheckBatchResponse(
            batch_id=str(batch_id),
            evaluated=audience.size,
            allowed=allowed_count,
            denied=audience.size - allowed_count,
            denied_by_reason=[
                S.ReasonCount(reason=reason, count=count) for reason, count in sorted(counts.items()) if count
            ],
            allowed_customer_ids=inline,
            rule_version=RULE_VERSION,
            elapsed_ms=int(elapsed * 1000),
            snapshot_id=request.snapshot_id if target == "snapshot_id" else "",
        )

    # ---- reading batches back ----

    async def _batch_row(self, session: AsyncSession, batch_id: str) -> Any:
        key = parse_id(batch_id, "batch_id")
        row = (
            await session.execute(sa.select(suitability_batches).where(suitability_batches.c.batch_id == key))
        ).first()
        if row is None:
            raise NotFound("suitability batch", batch_id)
        return row

    def _decoded_batch(self, row: Any) -> _DecodedBatch:
        cached = self._decoded.get(row.batch_id)
        if cached is None:
            cached = _DecodedBatch(batch_audit.decode(row))
            self._decoded[row.batch_id] = cached
            while len(self._decoded) > 4:
                self._decoded.popitem(last=False)
        self._decoded.move_to_end(row.batch_id)
        return cached

    async def list_results(
        self, session: AsyncSession, batch_id: str, denied: bool, after: str | None, limit: int
    ) -> list[suitability_service_pb2.BatchCheckResult]:
        row = await self._batch_row(session, batch_id)
        if not row.payload_format:
            return await _legacy_results(session, row.batch_id, denied, after, limit)
        decoded = await asyncio.to_thread(self._decoded_batch, row)
        indexes, ids = await asyncio.to_thread(decoded.side, denied)
        start = bisect.bisect_right(ids, after) if after else 0
        return [
            S.BatchCheckResult(
                customer_id=ids[i],
                allowed=not denied,
                reasons=decoded.stored.reasons_of(indexes[i]) if denied else [],
            )
            for i in range(start, min(start + limit, len(ids)))
        ]

    async def replay(
        self, session: AsyncSession, caller: Caller, batch_id: str, customer_id: str
    ) -> suitability_service_pb2.ReplayBatchResponse:
        if caller.role not in (Role.COMPLIANCE, Role.HQ_OPERATOR, Role.SERVICE):
            raise PermissionDenied(f"role {caller.role.value} may not replay batch decisions")
        row = await self._batch_row(session, batch_id)
        if not row.payload_format:
            raise FailedPrecondition(
                "batch stored before per-customer inputs were recorded; only its results can be listed"
            )
        # An audit reads what is stored now, never this replica's decoded copy.
        try:
            stored = await asyncio.to_thread(batch_audit.decode, row)
        except (batch_audit.CorruptPayload, zlib.error, UnicodeDecodeError) as error:
            raise FailedPrecondition(f"the stored batch cannot be decoded: {error}") from error
        product = product_from_json(row.product_snapshot)
        intact = (
            batch_audit.fingerprint(
                (row.customer_ids, row.customer_inputs, row.outcomes),
                row.product_snapshot,
                row.rule_version,
                row.purpose,
                row.evaluated_on,
            )
            == row.input_fingerprint
        )
        try:
            _, masks = decide_many(stored.arrays, product, on=row.evaluated_on, rule_version=row.rule_version)
        except ValueError as error:
            raise FailedPrecondition(str(error)) from error
        size = len(stored.ids)
        mismatch = np.zeros(size, dtype=np.bool_)
        for position, reason in enumerate(stored.reason_order):
            mismatch |= masks.get(reason, np.zeros(size, dtype=np.bool_)) != stored.outcomes[position]
        for reason, mask in masks.items():
            if reason not in stored.reason_order:
                mismatch |= mask
        response = S.ReplayBatchResponse(
            batch_id=str(row.batch_id),
            rule_version=row.rule_version,
            purpose=row.purpose,
            product=_product_snapshot(product),
            evaluated_on=from_date(row.evaluated_on) or date_pb2.Date(),
            snapshot_id=(row.audience or {}).get("snapshot_id", ""),
            evaluated=size,
            reproduced=size - int(np.count_nonzero(mismatch)),
            mismatched_customer_ids=[stored.ids[i] for i in np.flatnonzero(mismatch)[:MAX_MISMATCHES]],
            inputs_intact=intact,
        )
        if customer_id:
            response.customer.CopyFrom(_replay_customer(stored, product, row, customer_id))
        return response


def _product_snapshot(product: ProductFacts) -> suitability_service_pb2.ProductSnapshot:
    return S.ProductSnapshot(
        product_id=product.product_id,
        risk_rating=product.risk_rating,
        status=product.status,
        min_investment=money(product.min_investment),
        product_version=product.version,
    )


def _replay_customer(
    stored: batch_audit.StoredBatch, product: ProductFacts, row: Any, customer_id: str
) -> suitability_service_pb2.BatchCustomerReplay:
    """One customer's stored batch outcome next to the scalar rules' answer on the same inputs."""
    try:
        index = stored.ids.index(customer_id)
    except ValueError as error:
        raise NotFound(f"customer in batch {row.batch_id}", customer_id) from error
    customer = stored.customer(index)
    known = bool(stored.arrays.known[index])
    stored_denials = stored.reasons_of(index)
    stored_allowed = not stored_denials
    if known:
        outcome = decide(
            customer, product, on=row.evaluated_on, purpose=row.purpose, rule_version=row.rule_version
        )
    else:
        outcome = Outcome(False, (DENY_UNKNOWN,))
    allow_reason = ALLOW_PROFESSIONAL if customer.professional else ALLOW_LEVEL
    stored_reasons = stored_denials or [allow_reason]
    replayed_denials = sorted(r for r in outcome.reasons if r not in ALLOW_REASONS)
    snapshot = S.CustomerRiskSnapshot(
        customer_id=customer_id,
        risk_level=customer.risk_level,
        risk_assessment_expires_on=from_date(customer.expires_on),
        professional_investor=customer.professional,
        customer_version=customer.version,
        active=customer.active,
    )
    return S.BatchCustomerReplay(
        customer=snapshot,
        customer_known=known,
        allowed=stored_allowed,
        reasons=stored_reasons,
        replayed_allowed=outcome.allowed,
        replayed_reasons=list(outcome.reasons),
        reproduced=outcome.allowed == stored_allowed and replayed_denials == sorted(stored_denials),
        explanation=explain(customer, product, Outcome(stored_allowed, tuple(stored_reasons)))
        if known
        else "客户不存在",
    )


async def _legacy_results(
    session: AsyncSession, batch_id: uuid.UUID, denied: bool, after: str | None, limit: int
) -> list[suitability_service_pb2.BatchCheckResult]:
    """Batches stored before the compact record kept one row per customer."""
    r = suitability_batch_results.c
    statement = sa.select(suitability_batch_results).where(r.batch_id == batch_id, r.allowed.is_(not denied))
    if after:
        statement = statement.where(r.customer_id > after)
    rows = (await session.execute(statement.order_by(r.customer_id).limit(limit))).all()
    return [S.BatchCheckResult(customer_id=x.customer_id, allowed=x.allowed, reasons=x.reasons) for x in rows]
