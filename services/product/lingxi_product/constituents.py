"""Index constituents (成分股): imported lists of an index's stocks and weights by effective date.

They give "products related to stock X" its TRACKS_INDEX_WITH_STOCK relation: an index fund or
ETF whose `tracking_index_code` names an index that contains X. A file (CSV or Parquet) carries one
row per (index, effective date, stock); the list for an (index, date) in a file replaces the stored
list for that pair, and rows whose values are unchanged are not rewritten, so re-importing a file
changes nothing. Row rules, in file order: unknown_code (the index is neither a registered
benchmark nor any product's tracking index), bad_format, non_positive_value / weight_above_one,
duplicate_security; then a list whose accepted weights add up to more than 100% is rejected as a
whole (weights_exceed_one), because storing part of it would misstate the index.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.product.v1 import product_pb2, product_service_pb2
from lingxi_common.errors import InvalidArgument, NotFound
from lingxi_product import catalog
from lingxi_product.convert import from_date, from_decimal
from lingxi_product.models import benchmarks, index_constituents, products

INDEX_COLUMNS = ("index_code", "code", "series_code")
DATE_COLUMNS = ("effective_date", "trade_date", "date")
SECURITY_COLUMNS = ("security_code", "stock_code", "con_code")
WEIGHT_COLUMNS = ("weight", "i_weight")
NAME_COLUMNS = ("security_name", "stock_name", "con_name")
SECTOR_COLUMNS = ("sector_code", "industry_code")
WEIGHT_QUANTUM = Decimal("0.00000001")
TOLERANCE = Decimal("0.0001")  # published weights are rounded; 100.01% is still a whole index


@dataclass(frozen=True, slots=True)
class RawConstituent:
    row_number: int
    index_code: str
    effective_date: str | date
    security_code: str
    weight: str
    security_name: str
    sector_code: str


@dataclass(frozen=True, slots=True)
class Member:
    weight: Decimal
    security_name: str
    sector_code: str


@dataclass(slots=True)
class ScreenedLists:
    """Accepted lists by (index, effective date), and the rejected rows."""

    lists: dict[tuple[str, date], dict[str, Member]] = field(default_factory=dict)
    rejections: list[product_service_pb2.SeriesRejection] = field(default_factory=list)

    @property
    def accepted_rows(self) -> int:
        return sum(len(members) for members in self.lists.values())


def read_rows(content: bytes, fmt: int) -> list[RawConstituent]:
    """Rows of a CSV (UTF-8, header row) or Parquet file; columns matched by name."""
    if fmt == product_service_pb2.SERIES_IMPORT_FORMAT_PARQUET:
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(content))
        records: list[dict[str, Any]] = table.to_pylist()
        names = table.column_names
    elif fmt == product_service_pb2.SERIES_IMPORT_FORMAT_CSV:
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
        records = list(reader)
        names = list(reader.fieldnames or [])
    else:
        raise InvalidArgument("format", "CSV or PARQUET required")

    def pick(options: Sequence[str], required: bool) -> str | None:
        found = next((option for option in options if option in names), None)
        if found is None and required:
            raise InvalidArgument("source_uri", f"file has no column named any of {', '.join(options)}")
        return found

    index_col = pick(INDEX_COLUMNS, True) or ""
    date_col = pick(DATE_COLUMNS, True) or ""
    security_col = pick(SECURITY_COLUMNS, True) or ""
    weight_col = pick(WEIGHT_COLUMNS, True) or ""
    name_col = pick(NAME_COLUMNS, False)
    sector_col = pick(SECTOR_COLUMNS, False)

    def text(record: dict[str, Any], column: str | None) -> str:
        value = record.get(column) if column else None
        return "" if value is None else str(value).strip()

    return [
        RawConstituent(
            row_number=number,
            index_code=text(record, index_col),
            effective_date=record[date_col]
            if isinstance(record.get(date_col), date)
            else text(record, date_col),
            security_code=text(record, security_col),
            weight=text(record, weight_col),
            security_name=text(record, name_col),
            sector_code=text(record, sector_col),
        )
        for number, record in enumerate(records, start=1)
    ]


def _reject(row: RawConstituent, code: str, reason: str) -> product_service_pb2.SeriesRejection:
    return product_service_pb2.SeriesRejection(
        row_number=row.row_number, series_code=row.index_code, reason_code=code, reason=reason
    )


def screen(rows: Sequence[RawConstituent], known_indices: set[str]) -> ScreenedLists:
    result = ScreenedLists()
    rows_of: dict[tuple[str, date], list[RawConstituent]] = {}
    for row in rows:
        if row.index_code not in known_indices:
            result.rejections.append(
                _reject(row, "unknown_code", f"no benchmark or tracked index with code {row.index_code!r}")
            )
            continue
        try:
            day = (
                row.effective_date
                if isinstance(row.effective_date, date)
                else date.fromisoformat(row.effective_date)
            )
            weight = Decimal(row.weight)
            if not weight.is_finite():
                raise InvalidOperation(row.weight)
        except (ValueError, InvalidOperation):
            result.rejections.append(
                _reject(row, "bad_format", "effective_date must be YYYY-MM-DD and weight a plain decimal")
            )
            continue
        if not catalog._CODE.match(row.security_code):
            result.rejections.append(
                _reject(row, "bad_format", "security_code is required: letters, digits, '.', '_', '-'")
            )
            continue
        if weight <= 0:
            result.rejections.append(_reject(row, "non_positive_value", f"weight {weight} must be positive"))
            continue
        if weight > 1:
            result.rejections.append(
                _reject(row, "weight_above_one", f"weight {weight} is a fraction of the index: at most 1")
            )
            continue
        members = result.lists.setdefault((row.index_code, day), {})
        if row.security_code in members:
            result.rejections.append(
                _reject(
                    row, "duplicate_security", f"{row.security_code} listed twice for {row.index_code} {day}"
                )
            )
            continue
        members[row.security_code] = Member(
            weight.quantize(WEIGHT_QUANTUM), row.security_name[:200], row.sector_code[:64]
        )
        rows_of.setdefault((row.index_code, day), []).append(row)
    for key, members in list(result.lists.items()):
        total = sum((m.weight for m in members.values()), Decimal(0))
        if total > 1 + TOLERANCE:
            del result.lists[key]
            result.rejections.extend(
                _reject(row, "weights_exceed_one", f"weights of {key[0]} on {key[1]} add up to {total}")
                for row in rows_of[key]
            )
    result.rejections.sort(key=lambda r: r.row_number)
    return result


async def known_indices(session: AsyncSession) -> set[str]:
    codes = set((await session.execute(sa.select(benchmarks.c.code))).scalars().all())
    tracked = (
        await session.execute(
            sa.select(products.c.tracking_index_code).where(products.c.tracking_index_code != "").distinct()
        )
    ).scalars()
    return codes | set(tracked)


async def apply(session: AsyncSession, lists: dict[tuple[str, date], dict[str, Member]]) -> int:
    """Replace each (index, date) list; returns rows inserted, changed or removed."""
    c = index_constituents.c
    changed = 0
    for (index_code, day), members in lists.items():
        stored = {
            row.security_code: Member(row.weight, row.security_name, row.sector_code)
            for row in (
                await session.execute(
                    sa.select(index_constituents).where(c.index_code == index_code, c.effective_date == day)
                )
            ).all()
        }
        gone = [code for code in stored if code not in members]
        if gone:
            await session.execute(
                index_constituents.delete().where(
                    c.index_code == index_code, c.effective_date == day, c.security_code.in_(gone)
                )
            )
        fresh = [
            {
                "index_code": index_code,
                "effective_date": day,
                "security_code": code,
                "weight": member.weight,
                "security_name": member.security_name,
                "sector_code": member.sector_code,
            }
            for code, member in members.items()
            if stored.get(code) != member
        ]
        if fresh:
            statement = postgresql.insert(index_constituents)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["index_code", "effective_date", "security_code"],
                    set_={
                        "weight": statement.excluded.weight,
                        "security_name": statement.excluded.security_name,
                        "sector_code": statement.excluded.sector_code,
                    },
                ),
                fresh,
            )
        changed += len(gone) + len(fresh)
    return changed


def _in_force(as_of: date) -> Any:
    """(index_code, effective_date) of every index's latest list on or before `as_of`."""
    c = index_constituents.c
    return (
        sa.select(c.index_code, sa.func.max(c.effective_date).label("effective_date"))
        .where(c.effective_date <= as_of)
        .group_by(c.index_code)
        .subquery()
    )


async def indices_containing(session: AsyncSession, security_code: str, as_of: date) -> dict[str, Decimal]:
    """Index code → the stock's weight, over the lists in force on `as_of`."""
    c = index_constituents.c
    current = _in_force(as_of)
    rows = (
        await session.execute(
            sa.select(c.index_code, c.weight)
            .join(
                current,
                sa.and_(current.c.index_code == c.index_code, current.c.effective_date == c.effective_date),
            )
            .where(c.security_code == security_code)
        )
    ).all()
    return {row.index_code: Decimal(row.weight) for row in rows}


async def members_of(
    session: AsyncSession, index_codes: Sequence[str], security_codes: Sequence[str], as_of: date
) -> dict[str, dict[str, Decimal]]:
    """Index → stock → weight, for the given stocks in the lists in force on `as_of`."""
    if not index_codes or not security_codes:
        return {}
    c = index_constituents.c
    current = _in_force(as_of)
    rows = (
        await session.execute(
            sa.select(c.index_code, c.security_code, c.weight)
            .join(
                current,
                sa.and_(current.c.index_code == c.index_code, current.c.effective_date == c.effective_date),
            )
            .where(c.index_code.in_(list(index_codes)), c.security_code.in_(list(security_codes)))
        )
    ).all()
    found: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        found.setdefault(row.index_code, {})[row.security_code] = Decimal(row.weight)
    return found


async def list_constituents(
    session: AsyncSession, index_code: str, as_of: date
) -> tuple[date, list[product_pb2.IndexConstituent]]:
    if not index_code:
        raise InvalidArgument("index_code", "required, e.g. 000300.SH")
    c = index_constituents.c
    day = (
        await session.execute(
            sa.select(sa.func.max(c.effective_date)).where(
                c.index_code == index_code, c.effective_date <= as_of
            )
        )
    ).scalar()
    if day is None:
        raise NotFound("index constituent list", index_code)
    rows = (
        await session.execute(
            sa.select(index_constituents)
            .where(c.index_code == index_code, c.effective_date == day)
            .order_by(c.weight.desc(), c.security_code)
        )
    ).all()
    return day, [
        product_pb2.IndexConstituent(
            index_code=row.index_code,
            security_code=row.security_code,
            security_name=row.security_name,
            weight=from_decimal(Decimal(row.weight), WEIGHT_QUANTUM),
            sector_code=row.sector_code,
            effective_date=from_date(row.effective_date),
        )
        for row in rows
    ]
