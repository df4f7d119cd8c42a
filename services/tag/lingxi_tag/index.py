"""The in-memory audience index: one roaring bitmap per (tag, value), per branch and per advisor.

Bits are ``customers.customer_no`` (a dense identity column), so 10 million customers fit in a few
hundred MB and an AND/OR/NOT over a handful of tags takes milliseconds. The index is rebuilt from
PostgreSQL at start and then follows ``tag_changes`` in sequence order, and
``customer_scope_changes`` for branch/advisor moves of existing customers (new customers are
picked up by their ``customer_no``). Identity values can commit
out of order (a long recompute transaction takes seq 100 while seq 101 commits first), so a gap
seen while reading is re-read for a while until it fills or is known to be a rollback; applying a
change re-reads the customer's *current* value, which makes replays harmless.
"""

from __future__ import annotations

import array
import asyncio
import logging
import struct
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from pyroaring import BitMap
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi_common.errors import PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_tag.audience_expr import And, Compare, Has, InSet, Node, Not

log = logging.getLogger(__name__)

GAP_PATIENCE_SECONDS = 120.0
_REFRESH_BATCH = 20_000


@dataclass
class AudienceIndex:
    sessions: async_sessionmaker[AsyncSession]
    values: dict[str, dict[str, BitMap]] = field(default_factory=lambda: defaultdict(dict))
    branches: dict[str, BitMap] = field(default_factory=dict)
    advisors: dict[str, BitMap] = field(default_factory=dict)
    everyone: BitMap = field(default_factory=BitMap)
    with_advisor: BitMap = field(default_factory=BitMap)
    watermark: int = 0
    scope_watermark: int = 0
    max_customer_no: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _gaps: dict[int, float] = field(default_factory=dict)
    _scope_gaps: dict[int, float] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    # --- building and following -------------------------------------------------------------

    async def rebuild(self) -> None:
        """Load every customer and tag value from PostgreSQL (at start, or to heal)."""
        started = time.perf_counter()
        async with self._lock, self.sessions() as session:
            watermark = int(
                (
                    await session.execute(sa.text("SELECT coalesce(max(seq), 0) FROM tag.tag_changes"))
                ).scalar_one()
            )
            scope_watermark = int(
                (
                    await session.execute(
                        sa.text("SELECT coalesce(max(seq), 0) FROM tag.customer_scope_changes")
                    )
                ).scalar_one()
            )
            # Each (key, members) pair arrives as PostgreSQL's binary int4[] (array_send): numbers
            # go from the server into bitmaps without one Python object per customer, which is
            # what keeps a 10-million-customer rebuild at a minute instead of several.
            branches = await _bitmaps_by_key(
                session,
                "SELECT branch_id, array_send(array_agg(customer_no::int4)) FROM tag.customers "
                "GROUP BY branch_id",
            )
            advisors = await _bitmaps_by_key(
                session,
                "SELECT advisor_id, array_send(array_agg(customer_no::int4)) FROM tag.customers "
                "WHERE advisor_id IS NOT NULL AND advisor_id <> '' GROUP BY advisor_id",
            )
            values: dict[str, dict[str, BitMap]] = defaultdict(dict)
            result = await session.stream(
                sa.text(
                    "SELECT t.tag_code, t.value, array_send(array_agg(c.customer_no::int4)) "
                    "FROM tag.customer_tags t JOIN tag.customers c ON c.customer_id = t.customer_id "
                    "GROUP BY t.tag_code, t.value"
                ).execution_options(yield_per=1)
            )
            async for code, value, members in result:
                values[code][value] = bitmap_from_int4_array(members)
        self.everyone = BitMap.union(*branches.values()) if branches else BitMap()
        self.branches = branches
        self.advisors = advisors
        self.with_advisor = BitMap.union(*self.advisors.values()) if self.advisors else BitMap()
        self.values = values
        self.watermark = watermark
        self.scope_watermark = scope_watermark
        self.max_customer_no = self.everyone.max() if self.everyone else 0
        self._gaps.clear()
        self._scope_gaps.clear()
        for bitmap in (self.everyone, *self.branches.values(), *self.advisors.values()):
            bitmap.run_optimize()
        for by_value in self.values.values():
            for bitmap in by_value.values():
                bitmap.run_optimize()
        self.ready.set()
        log.info(
            "audience index rebuilt",
            extra={
                "customers": len(self.everyone),
                "watermark": watermark,
                "seconds": round(time.perf_counter() - started, 3),
            },
        )

    def _set(self, code: str, no: int, value: str | None) -> None:
        by_value = self.values[code]
        for bitmap in by_value.values():
            bitmap.discard(no)
        if value:
            by_value.setdefault(value, BitMap()).add(no)

    def _add_customer(self, no: int, branch: str, advisor: str | None) -> None:
        self.everyone.add(no)
        self.branches.setdefault(branch, BitMap()).add(no)
        if advisor:
            self.advisors.setdefault(advisor, BitMap()).add(no)
            self.with_advisor.add(no)
        self.max_customer_no = max(self.max_customer_no, no)

    def _move_customer(
        self, no: int, old_branch: str, old_advisor: str | None, branch: str, advisor: str | None
    ) -> None:
        """Take the customer out of the bitmaps of the scope it left, into the current one's."""
        if old_branch != branch and old_branch in self.branches:
            self.branches[old_branch].discard(no)
        if old_advisor and old_advisor != advisor and old_advisor in self.advisors:
            self.advisors[old_advisor].discard(no)
        self._add_customer(no, branch, advisor)
        if not advisor:
            self.with_advisor.discard(no)

    async def _follow_moves(self, session: AsyncSession, now: float) -> int:
        """Apply branch/advisor moves committed since the last call (same gap rules as tags).

        Each move re-reads the customer's *current* scope, so a replayed or late-seen move
        cannot put a customer back where it no longer is.
        """
        self._scope_gaps = {
            seq: since for seq, since in self._scope_gaps.items() if now - since < GAP_PATIENCE_SECONDS
        }
        rows = (
            await session.execute(
                sa.text(
                    "SELECT m.seq, m.old_branch_id, m.old_advisor_id, c.customer_no, c.branch_id, "
                    "c.advisor_id FROM tag.customer_scope_changes m "
                    "JOIN tag.customers c ON c.customer_id = m.customer_id "
                    "WHERE m.seq > :watermark OR m.seq = ANY(:gaps) ORDER BY m.seq LIMIT :limit"
                ),
                {"watermark": self.scope_watermark, "gaps": list(self._scope_gaps), "limit": _REFRESH_BATCH},
            )
        ).all()
        expected = self.scope_watermark + 1
        for row in rows:
            self._scope_gaps.pop(row.seq, None)
            if row.seq > self.scope_watermark:
                for missing in range(expected, row.seq):
                    self._scope_gaps.setdefault(missing, now)
                expected = row.seq + 1
                self.scope_watermark = row.seq
            if row.customer_no > self.max_customer_no:
                continue  # not in the index yet: added with its current scope when it is
            self._move_customer(
                row.customer_no, row.old_branch_id, row.old_advisor_id, row.branch_id, row.advisor_id
            )
        return len(rows)

    async def refresh(self) -> int:
        """Apply tag changes committed since the last call; returns how many were applied."""
        if not self.ready.is_set():
            await self.rebuild()
            return 0
        applied = 0
        async with self._lock, self.sessions() as session:
            for row in (
                await session.execute(
                    sa.text(
                        "SELECT customer_no, branch_id, advisor_id FROM tag.customers "
                        "WHERE customer_no > :no "
                        "ORDER BY customer_no LIMIT 100000"
                    ),
                    {"no": self.max_customer_no},
                )
            ).all():
                self._add_customer(row.customer_no, row.branch_id, row.advisor_id)
            now = time.monotonic()
            applied += await self._follow_moves(session, now)
            self._gaps = {
                seq: since for seq, since in self._gaps.items() if now - since < GAP_PATIENCE_SECONDS
            }
            rows = (
                await session.execute(
                    sa.text(
                        "SELECT tc.seq, tc.tag_code, c.customer_no, ct.value FROM tag.tag_changes tc "
                        "JOIN tag.customers c ON c.customer_id = tc.customer_id "
                        "LEFT JOIN tag.customer_tags ct "
                        "ON ct.customer_id = tc.customer_id AND ct.tag_code = tc.tag_code "
                        "WHERE tc.seq > :watermark OR tc.seq = ANY(:gaps) ORDER BY tc.seq LIMIT :limit"
                    ),
                    {"watermark": self.watermark, "gaps": list(self._gaps), "limit": _REFRESH_BATCH},
                )
            ).all()
            expected = self.watermark + 1
            for row in rows:
                self._gaps.pop(row.seq, None)
                if row.seq > self.watermark:
                    for missing in range(expected, row.seq):
                        self._gaps.setdefault(missing, now)
                    expected = row.seq + 1
                    self.watermark = row.seq
                self._set(row.tag_code, row.customer_no, row.value)
                applied += 1
        return applied

    async def follow(self, interval: float = 0.2) -> None:
        """Keep the index current until cancelled (rebuilding first)."""
        while True:
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database is briefly away: keep serving, retry
                log.warning("audience index refresh failed: %s", error)
            await asyncio.sleep(interval)

    # --- evaluation -------------------------------------------------------------------------

    def scope_of(self, caller: Caller) -> BitMap:
        """Customers the caller may select."""
        if caller.sees_all_customers:
            return self.everyone
        if caller.role is Role.BRANCH_MANAGER and caller.branch_id:
            return self.branches.get(caller.branch_id, BitMap())
        if caller.role is Role.ADVISOR and caller.advisor_id:
            return self.advisors.get(caller.advisor_id, BitMap())
        raise PermissionDenied(f"role {caller.role.value} may not select audiences")

    def has(self, code: str) -> BitMap:
        by_value = self.values.get(code)
        return BitMap.union(*by_value.values()) if by_value else BitMap()

    def compare(self, code: str, op: str, literal: str) -> BitMap:
        by_value = self.values.get(code, {})
        chosen = [bitmap for value, bitmap in by_value.items() if _compare(value, op, literal)]
        return BitMap.union(*chosen) if chosen else BitMap()

    def evaluate(self, node: Node) -> BitMap:
        """The customers (whole population) the expression selects."""
        if isinstance(node, Has):
            return self.has(node.tag)
        if isinstance(node, Compare):
            if node.op == "!=":
                # "tag != x": customers who have the tag with another value.
                return self.has(node.tag) - self.compare(node.tag, "==", node.value)
            return self.compare(node.tag, node.op, node.value)
        if isinstance(node, InSet):
            by_value = self.values.get(node.tag, {})
            chosen = [by_value[value] for value in node.values if value in by_value]
            return BitMap.union(*chosen) if chosen else BitMap()
        if isinstance(node, Not):
            return self.everyone - self.evaluate(node.operand)
        if isinstance(node, And):
            # Smallest first: the intersection shrinks fastest.
            parts = sorted((self.evaluate(operand) for operand in node.operands), key=len)
            result = parts[0].copy()
            for part in parts[1:]:
                result &= part
            return result
        parts = [self.evaluate(operand) for operand in node.operands]
        return BitMap.union(*parts)

    def memory_bytes(self) -> int:
        """Serialized size of every bitmap: a close estimate of the index's memory."""
        return sum(len(bitmap.serialize()) for bitmap in self._all_bitmaps())

    def _all_bitmaps(self) -> list[BitMap]:
        bitmaps = [self.everyone, self.with_advisor, *self.branches.values(), *self.advisors.values()]
        for by_value in self.values.values():
            bitmaps.extend(by_value.values())
        return bitmaps


def _compare(value: str, op: str, literal: str) -> bool:
    try:
        left: float | str = float(value)
        right: float | str = float(literal)
    except ValueError:
        left, right = value, literal
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if isinstance(left, float) != isinstance(right, float):
        return False
    if op == ">":
        return left > right  # type: ignore[operator]
    if op == ">=":
        return left >= right  # type: ignore[operator]
    if op == "<":
        return left < right  # type: ignore[operator]
    return left <= right  # type: ignore[operator]


_INT4_OID = 23


def bitmap_from_int4_array(wire: bytes) -> BitMap:
    """A bitmap from PostgreSQL's binary ``int4[]`` (the output of ``array_send``).

    Layout: ndim, has-nulls flag, element type, then (length, lower bound) per dimension, then
    each element as a 4-byte length and a 4-byte big-endian value.
    """
    ndim, has_nulls, element_type = struct.unpack_from(">iii", wire)
    if ndim == 0:
        return BitMap()
    if ndim != 1 or has_nulls or element_type != _INT4_OID:
        raise ValueError(
            f"expected a one-dimensional int4[] without nulls, got ndim={ndim} type={element_type}"
        )
    (count,) = struct.unpack_from(">i", wire, 12)
    pairs = np.frombuffer(wire, dtype=">u4", offset=20, count=2 * count)
    numbers = pairs[1::2].astype("<u4")
    return BitMap(array.array("I", numbers.tobytes()))


async def _bitmaps_by_key(session: AsyncSession, query: str) -> dict[str, BitMap]:
    rows = (await session.execute(sa.text(query))).all()
    return {key: bitmap_from_int4_array(members) for key, members in rows}
