"""The customer risk projection held in memory as columns, for batch suitability at audience scale.

PostgreSQL (`customer_risk`) stays the projection of record: the `product-customer-changed`
consumer writes it, whichever replica receives the event. Each replica keeps a columnar copy —
NumPy arrays aligned by position plus a dict from customer id to position — so a batch of a million
customers is a gather and a few vectorised comparisons instead of a million-row query.

The copy is loaded once (COPY, parsed by pyarrow) and then refreshed incrementally: every row
carries the id of the transaction that last wrote it (`written_xid`), and each read remembers the
xmin of its snapshot. A row written by a transaction that read could not see has an id at or above
that xmin, so the next read (`written_xid >= xmin`) picks it up; rows already seen may be read
again, which is harmless because the table, not the copy, enforces version order. A batch calls
`ensure_current` first, so it decides on data at least as fresh as the moment it began. Positions
never move (customers are only ever added), which lets callers cache positions of an immutable
audience snapshot.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from lingxi_common.identity import Caller, Role
from lingxi_product.suitability_rules import CustomerArrays

# date.toordinal() of the expiry day computed by PostgreSQL (0 = no assessment date).
_SELECT = (
    "SELECT customer_id, branch_id, advisor_id, risk_level, "
    "COALESCE(risk_assessment_expires_on - DATE '0001-01-01' + 1, 0) AS expires_ordinal, "
    "professional_investor, active, version FROM product.customer_risk"
)
_XMIN = sa.text("SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint")
_TYPES = {
    "customer_id": pa.string(),
    "branch_id": pa.string(),
    "advisor_id": pa.string(),
    "risk_level": pa.int8(),
    "expires_ordinal": pa.int32(),
    "professional_investor": pa.bool_(),
    "active": pa.bool_(),
    "version": pa.int64(),
}
UNKNOWN = -1


@dataclass(frozen=True, slots=True)
class Audience:
    """The projection's columns for requested customers, aligned with the request order."""

    arrays: CustomerArrays
    versions: npt.NDArray[np.int64]
    branch: npt.NDArray[np.int32]  # code into RiskColumns.branch_names; -1 when unknown
    advisor: npt.NDArray[np.int32]


def _parse(data: bytes) -> pa.Table:
    return pacsv.read_csv(
        io.BytesIO(data),
        convert_options=pacsv.ConvertOptions(
            column_types=_TYPES, true_values=["t"], false_values=["f"], strings_can_be_null=False
        ),
    )


class _Vocabulary:
    """Branch or advisor ids as small integer codes (a scope check compares integers)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.codes: dict[str, int] = {}

    def code(self, name: str) -> int:
        found = self.codes.get(name)
        if found is None:
            found = self.codes[name] = len(self.names)
            self.names.append(name)
        return found

    def encode(self, column: pa.ChunkedArray) -> npt.NDArray[np.int32]:
        encoded = pc.dictionary_encode(column.combine_chunks())
        mapping = np.array([self.code(name) for name in encoded.dictionary.to_pylist()], dtype=np.int32)
        if not len(mapping):
            return np.zeros(0, dtype=np.int32)
        return mapping[encoded.indices.to_numpy(zero_copy_only=False)]


class RiskColumns:
    """One replica's columnar copy of `customer_risk` (see the module docstring)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._lock = asyncio.Lock()
        self._loaded = False
        self._xmin = 0
        self._size = 0
        self.ids: list[str] = []
        self._position: dict[str, int] = {}
        self.branches = _Vocabulary()
        self.advisors = _Vocabulary()
        self._risk = np.zeros(0, dtype=np.int8)
        self._expires = np.zeros(0, dtype=np.int32)
        self._professional = np.zeros(0, dtype=np.bool_)
        self._active = np.zeros(0, dtype=np.bool_)
        self._version = np.zeros(0, dtype=np.int64)
        self._branch = np.zeros(0, dtype=np.int32)
        self._advisor = np.zeros(0, dtype=np.int32)
        self.rows_read = 0  # rows read from PostgreSQL since start (load + refreshes)

    @property
    def size(self) -> int:
        return self._size

    @property
    def loaded(self) -> bool:
        return self._loaded

    async def ensure_current(self) -> None:
        """Load the whole projection the first time, afterwards only the rows written since."""
        async with self._lock:
            since = self._xmin if self._loaded else None
            xmin, data = await self._read(since)
            table = await asyncio.to_thread(_parse, data)
            self._apply(table)
            self._xmin = xmin
            self._loaded = True
            self.rows_read += table.num_rows

    async def _read(self, since: int | None) -> tuple[int, bytes]:
        sink = bytearray()

        async def take(chunk: bytes) -> None:
            sink.extend(chunk)

        query = _SELECT if since is None else f"{_SELECT} WHERE written_xid >= {int(since)}"
        async with self._engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="REPEATABLE READ")
            async with connection.begin():
                # The first statement fixes the snapshot: COPY below reads exactly what it sees.
                xmin = int((await connection.execute(_XMIN)).scalar_one())
                raw = await connection.get_raw_connection()
                driver: Any = raw.driver_connection
                await driver.copy_from_query(query, output=take, format="csv", header=True)
        return xmin, bytes(sink)

    def _grow(self, size: int) -> None:
        if size <= len(self._risk):
            return
        capacity = max(size, 2 * len(self._risk), 1024)
        for name in ("_risk", "_expires", "_professional", "_active", "_version", "_branch", "_advisor"):
            old = getattr(self, name)
            fresh = np.zeros(capacity, dtype=old.dtype)
            fresh[: self._size] = old[: self._size]
            setattr(self, name, fresh)

    def _apply(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        ids: list[str] = table.column("customer_id").to_pylist()
        positions = self.positions_of(ids)
        new = np.flatnonzero(positions == UNKNOWN)
        start = self._size
        if len(new):
            added = [ids[i] for i in new]
            self._position.update(zip(added, range(start, start + len(added)), strict=True))
            self.ids.extend(added)
            positions[new] = np.arange(start, start + len(added))
            self._grow(start + len(added))
            self._size = start + len(added)

        def column(name: str) -> Any:
            return table.column(name).to_numpy(zero_copy_only=False)

        self._risk[positions] = column("risk_level")
        self._expires[positions] = column("expires_ordinal")
        self._professional[positions] = column("professional_investor")
        self._active[positions] = column("active")
        self._version[positions] = column("version")
        self._branch[positions] = self.branches.encode(table.column("branch_id"))
        self._advisor[positions] = self.advisors.encode(table.column("advisor_id"))

    def positions_of(self, ids: Sequence[str]) -> npt.NDArray[np.int64]:
        """Position of each id in the columns, UNKNOWN (-1) for customers not in the projection."""
        return np.fromiter(map(self._position.get, ids, repeat(UNKNOWN)), dtype=np.int64, count=len(ids))

    def gather(self, positions: npt.NDArray[np.int64]) -> Audience:
        """The columns at `positions` (unknown customers: not assessed, active, known=False)."""
        known = positions >= 0
        if self._size == 0:
            size = len(positions)
            return Audience(
                CustomerArrays(
                    risk_level=np.zeros(size, dtype=np.int8),
                    expires_ordinal=np.zeros(size, dtype=np.int32),
                    professional=np.zeros(size, dtype=np.bool_),
                    active=np.ones(size, dtype=np.bool_),
                    known=known,
                ),
                np.zeros(size, dtype=np.int64),
                np.full(size, UNKNOWN, dtype=np.int32),
                np.full(size, UNKNOWN, dtype=np.int32),
            )
        at = np.where(known, positions, 0)
        unknown = ~known
        risk = self._risk[at]
        expires = self._expires[at]
        professional = self._professional[at]
        active = self._active[at]
        versions = self._version[at]
        branch = self._branch[at]
        advisor = self._advisor[at]
        if unknown.any():
            risk[unknown] = 0
            expires[unknown] = 0
            professional[unknown] = False
            active[unknown] = True
            versions[unknown] = 0
            branch[unknown] = UNKNOWN
            advisor[unknown] = UNKNOWN
        return Audience(
            CustomerArrays(
                risk_level=risk,
                expires_ordinal=expires,
                professional=professional,
                active=active,
                known=known,
            ),
            versions,
            branch,
            advisor,
        )

    def first_outside_scope(self, caller: Caller, audience: Audience) -> int | None:
        """Index of the first known customer outside the caller's data scope, if any."""
        if caller.sees_all_customers:
            return None
        known = audience.arrays.known
        if caller.role is Role.BRANCH_MANAGER:
            code = self.branches.codes.get(caller.branch_id or "", -2)
            outside = known & (audience.branch != code)
        elif caller.role is Role.ADVISOR:
            code = self.advisors.codes.get(caller.advisor_id or "", -2)
            outside = known & (audience.advisor != code)
        else:
            outside = known
        hits = np.flatnonzero(outside)
        return int(hits[0]) if len(hits) else None

    def id_at(self, position: int) -> str:
        return self.ids[position]
