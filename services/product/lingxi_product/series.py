"""NAV and index-close series: validated, idempotent upserts from files or inline points.

Bad rows never sink a file: each is rejected with a reason code (non_positive_value,
duplicate_date, out_of_order_date, unknown_code, bad_format) and every good row is kept.
Re-importing the same file changes nothing and announces nothing (upserts compare values), so an
operator can retry an import safely. Gaps (more than 5 business days between points) are flagged
per series, never filled. New NAV points update the product's latest NAV, publish one
NavUpdated per product and queue a metrics recompute through the outbox.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import analytics_pb2, product_service_pb2
from lingxi_common.errors import InvalidArgument, NotFound
from lingxi_common.outbox import emit
from lingxi_product import catalog
from lingxi_product.convert import event_meta, from_date, from_decimal, timestamp, to_date
from lingxi_product.metrics import gap_starts
from lingxi_product.models import (
    benchmarks,
    outbox,
    products,
    series_import_rejections,
    series_imports,
    series_points,
)

NAV = analytics_pb2.SERIES_KIND_NAV
INDEX = analytics_pb2.SERIES_KIND_INDEX_CLOSE
CONSTITUENTS = analytics_pb2.SERIES_KIND_INDEX_CONSTITUENTS
CODE_COLUMNS = ("series_code", "product_code", "code", "index_code")
DATE_COLUMNS = ("trade_date", "date", "nav_date")
VALUE_COLUMNS = ("value", "nav", "unit_nav", "close")
ACCUMULATED_COLUMNS = ("accumulated_value", "accumulated_nav", "acc_nav")
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawRow:
    row_number: int  # 1-based data row in the file; 0 for inline points
    point_index: int
    code: str
    trade_date: str | date
    value: str
    accumulated_value: str


@dataclass(frozen=True, slots=True)
class Point:
    trade_date: date
    value: Decimal
    accumulated_value: Decimal | None


@dataclass(slots=True)
class Screened:
    """Rows that passed, by series id, and the ones refused with their reasons."""

    accepted: dict[str, list[Point]] = field(default_factory=dict)
    rejections: list[product_service_pb2.SeriesRejection] = field(default_factory=list)


def _reject(row: RawRow, code: str, reason: str) -> product_service_pb2.SeriesRejection:
    return product_service_pb2.SeriesRejection(
        row_number=row.row_number,
        point_index=row.point_index,
        series_code=row.code,
        reason_code=code,
        reason=reason,
    )


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation(text)
    return number


def screen(rows: Iterable[RawRow], code_to_id: dict[str, str]) -> Screened:
    """Apply the row rules in file order. Dates must strictly increase within a series."""
    result = Screened()
    last_date: dict[str, date] = {}
    seen: dict[str, set[date]] = defaultdict(set)
    for row in rows:
        series_id = code_to_id.get(row.code.strip())
        if series_id is None:
            result.rejections.append(
                _reject(row, "unknown_code", f"no product or benchmark with code {row.code!r}")
            )
            continue
        try:
            day = (
                row.trade_date
                if isinstance(row.trade_date, date)
                else date.fromisoformat(row.trade_date.strip())
            )
            value = _number(row.value)
            accumulated = _number(row.accumulated_value)
        except (ValueError, InvalidOperation):
            result.rejections.append(
                _reject(row, "bad_format", "trade_date must be YYYY-MM-DD and values plain decimals")
            )
            continue
        if value is None:
            result.rejections.append(_reject(row, "bad_format", "value is required"))
            continue
        if value <= 0 or (accumulated is not None and accumulated <= 0):
            result.rejections.append(_reject(row, "non_positive_value", f"value {value} must be positive"))
            continue
        if day in seen[series_id]:
            result.rejections.append(_reject(row, "duplicate_date", f"{day} already given for {row.code}"))
            continue
        if series_id in last_date and day < last_date[series_id]:
            result.rejections.append(
                _reject(row, "out_of_order_date", f"{day} comes after {last_date[series_id]} in the file")
            )
            continue
        seen[series_id].add(day)
        last_date[series_id] = day
        result.accepted.setdefault(series_id, []).append(Point(day, value, accumulated))
    return result


def read_rows(content: bytes, fmt: int) -> list[RawRow]:
    """Rows of a CSV (UTF-8, header row) or Parquet file; column names are matched loosely."""
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
        for option in options:
            if option in names:
                return option
        if required:
            raise InvalidArgument("source_uri", f"file has no column named any of {', '.join(options)}")
        return None

    code_col = pick(CODE_COLUMNS, True) or ""
    date_col = pick(DATE_COLUMNS, True) or ""
    value_col = pick(VALUE_COLUMNS, True) or ""
    acc_col = pick(ACCUMULATED_COLUMNS, False)

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return [
        RawRow(
            row_number=index,
            point_index=0,
            code=text(record.get(code_col)),
            trade_date=record[date_col]
            if isinstance(record.get(date_col), date)
            else text(record.get(date_col)),
            value=text(record.get(value_col)),
            accumulated_value=text(record.get(acc_col)) if acc_col else "",
        )
        for index, record in enumerate(records, start=1)
    ]


async def code_map(session: AsyncSession, kind: int) -> dict[str, str]:
    """Code in files → series id: product code or id → product id (NAV); index code (closes)."""
    if kind == NAV:
        rows = (await session.execute(sa.select(products.c.product_id, products.c.product_code))).all()
        mapping = {row.product_code: row.product_id for row in rows}
        mapping.update({row.product_id: row.product_id for row in rows})
        return mapping
    if kind == INDEX:
        codes = (await session.execute(sa.select(benchmarks.c.code))).scalars().all()
        return {code: code for code in codes}
    raise InvalidArgument("kind", "SERIES_KIND_NAV or SERIES_KIND_INDEX_CLOSE required")


@dataclass(slots=True)
class Applied:
    points_written: int = 0
    series_with_gaps: int = 0
    changed_series: dict[str, int] = field(default_factory=dict)


async def apply(session: AsyncSession, kind: int, screened: Screened, *, correlation_id: str = "") -> Applied:
    """Upsert accepted points; only rows whose values differ are written (and announced)."""
    applied = Applied()
    for series_id, points in screened.accepted.items():
        stored_before = (
            await session.execute(
                sa.select(sa.func.max(series_points.c.trade_date)).where(
                    series_points.c.kind == kind,
                    series_points.c.series_code == series_id,
                    series_points.c.trade_date < points[0].trade_date,
                )
            )
        ).scalar()
        dates = np.array(
            ([np.datetime64(stored_before, "D")] if stored_before else [])
            + [np.datetime64(p.trade_date, "D") for p in points]
        )
        if gap_starts(dates):
            applied.series_with_gaps += 1
        changed = 0
        for start in range(0, len(points), 5000):
            chunk = points[start : start + 5000]
            statement = postgresql.insert(series_points).values(
                [
                    {
                        "kind": kind,
                        "series_code": series_id,
                        "trade_date": p.trade_date,
                        "value": p.value,
                        "accumulated_value": p.accumulated_value,
                    }
                    for p in chunk
                ]
            )
            upsert = statement.on_conflict_do_update(
                index_elements=["kind", "series_code", "trade_date"],
                set_={
                    "value": statement.excluded.value,
                    "accumulated_value": statement.excluded.accumulated_value,
                },
                where=sa.or_(
                    series_points.c.value != statement.excluded.value,
                    series_points.c.accumulated_value.is_distinct_from(statement.excluded.accumulated_value),
                ),
            ).returning(series_points.c.trade_date)
            changed += len((await session.execute(upsert)).all())
        applied.points_written += changed
        if changed:
            applied.changed_series[series_id] = changed
    if kind == NAV:
        for product_id, count in applied.changed_series.items():
            await _announce_nav(session, product_id, count, correlation_id)
        if applied.changed_series:
            await emit(
                session,
                outbox,
                product_events_pb2.RecomputeMetricsCommand(
                    meta=event_meta(correlation_id),
                    product_ids=sorted(applied.changed_series),
                    reason="nav_updated",
                ),
            )
    return applied


async def _announce_nav(
    session: AsyncSession, product_id: str, points_added: int, correlation_id: str
) -> None:
    latest = (
        await session.execute(
            sa.select(series_points.c.trade_date, series_points.c.value, series_points.c.accumulated_value)
            .where(series_points.c.kind == NAV, series_points.c.series_code == product_id)
            .order_by(series_points.c.trade_date.desc())
            .limit(2)
        )
    ).all()
    row = (
        await session.execute(
            products.update()
            .where(products.c.product_id == product_id)
            .values(latest_nav=latest[0].value, latest_nav_date=latest[0].trade_date)
            .returning(products)
        )
    ).one()
    event = product_events_pb2.NavUpdated(
        meta=event_meta(correlation_id),
        product=catalog.facts(row),
        trade_date=from_date(latest[0].trade_date),
        nav=from_decimal(latest[0].value, Decimal("0.000001")),
        points_added=points_added,
    )
    if latest[0].accumulated_value is not None:
        event.accumulated_nav.value = str(latest[0].accumulated_value)
    if len(latest) == 2:
        base = latest[1].accumulated_value or latest[1].value
        now = latest[0].accumulated_value or latest[0].value
        event.daily_return.value = str((now / base - 1).quantize(Decimal("0.00000001")))
    await emit(session, outbox, event)


def source_path(uri: str) -> Path:
    """The local file behind `source_uri`, checked before a job is queued (INVALID_ARGUMENT)."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        raise InvalidArgument("source_uri", "only local files (a path or file://) can be imported")
    path = Path(parsed.path if parsed.scheme == "file" else uri)
    if not path.is_file():
        raise InvalidArgument("source_uri", f"no readable file at {uri!r}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidArgument("source_uri", f"file larger than {MAX_FILE_BYTES} bytes; split it")
    return path


async def start_import(
    session: AsyncSession,
    kind: int,
    fmt: int,
    source_uri: str,
    *,
    dry_run: bool = False,
    correlation_id: str = "",
) -> product_service_pb2.SeriesImportJob:
    """Validate the request and queue the job; `import_jobs.ImportWorker` runs it in the background."""
    if kind not in (NAV, INDEX, CONSTITUENTS):
        raise InvalidArgument(
            "kind", "SERIES_KIND_NAV, SERIES_KIND_INDEX_CLOSE or SERIES_KIND_INDEX_CONSTITUENTS required"
        )
    if not source_uri:
        raise InvalidArgument("source_uri", "required")
    if fmt == product_service_pb2.SERIES_IMPORT_FORMAT_UNSPECIFIED:
        fmt = (
            product_service_pb2.SERIES_IMPORT_FORMAT_PARQUET
            if source_uri.lower().endswith(".parquet")
            else product_service_pb2.SERIES_IMPORT_FORMAT_CSV
        )
    if fmt not in (
        product_service_pb2.SERIES_IMPORT_FORMAT_CSV,
        product_service_pb2.SERIES_IMPORT_FORMAT_PARQUET,
    ):
        raise InvalidArgument("format", "CSV or PARQUET required")
    source_path(source_uri)
    row = (
        await session.execute(
            series_imports.insert()
            .values(
                job_id=uuid.uuid4(),
                kind=kind,
                format=fmt,
                source_uri=source_uri,
                dry_run=dry_run,
                state=product_service_pb2.SERIES_IMPORT_STATE_QUEUED,
                content_sha256="",
                rows_total=0,
                rows_done=0,
                rows_rejected=0,
                series_with_gaps=0,
                error="",
                correlation_id=correlation_id,
            )
            .returning(series_imports)
        )
    ).one()
    return job_to_proto(row._mapping)


def job_to_proto(m: Any) -> product_service_pb2.SeriesImportJob:
    return product_service_pb2.SeriesImportJob(
        job_id=str(m["job_id"]),
        kind=m["kind"],
        format=m["format"],
        source_uri=m["source_uri"],
        state=m["state"],
        content_sha256=m["content_sha256"],
        rows_total=m["rows_total"],
        rows_done=m["rows_done"],
        rows_rejected=m["rows_rejected"],
        series_with_gaps=m["series_with_gaps"],
        error=m["error"],
        created_at=timestamp(m.get("created_at")),
        started_at=timestamp(m.get("started_at")),
        finished_at=timestamp(m.get("finished_at")),
        dry_run=bool(m.get("dry_run")),
    )


def _job_uuid(job_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(job_id)
    except ValueError as error:
        raise InvalidArgument("job_id", "not a job id") from error


async def get_job(session: AsyncSession, job_id: str) -> product_service_pb2.SeriesImportJob:
    row = (
        await session.execute(sa.select(series_imports).where(series_imports.c.job_id == _job_uuid(job_id)))
    ).first()
    if row is None:
        raise NotFound("series import", job_id)
    return job_to_proto(row._mapping)


async def list_rejections(
    session: AsyncSession, job_id: str, after_row: int, limit: int
) -> list[product_service_pb2.SeriesRejection]:
    await get_job(session, job_id)
    rows = (
        await session.execute(
            sa.select(series_import_rejections)
            .where(
                series_import_rejections.c.job_id == _job_uuid(job_id),
                series_import_rejections.c.row_number > after_row,
            )
            .order_by(series_import_rejections.c.row_number)
            .limit(limit)
        )
    ).all()
    return [
        product_service_pb2.SeriesRejection(
            row_number=r.row_number, series_code=r.series_code, reason_code=r.reason_code, reason=r.reason
        )
        for r in rows
    ]


async def upsert_inline(
    session: AsyncSession, kind: int, series_code: str, points: Sequence[Any], *, correlation_id: str = ""
) -> tuple[int, list[product_service_pb2.SeriesRejection]]:
    """UpsertSeriesPoints: small corrections through the same rules as a file."""
    if not series_code:
        raise InvalidArgument("series_code", "required")
    if len(points) > 10_000:
        raise InvalidArgument("points", "at most 10,000 points inline; use StartSeriesImport for more")
    rows = []
    for index, point in enumerate(points):
        try:
            day = to_date(point.trade_date, f"points[{index}].trade_date")
        except InvalidArgument:
            day = None
        rows.append(
            RawRow(0, index, series_code, day or "", point.value.value, point.accumulated_value.value)
        )
    screened = screen(rows, await code_map(session, kind))
    applied = await apply(session, kind, screened, correlation_id=correlation_id)
    return applied.points_written, screened.rejections


async def get_series(
    session: AsyncSession, kind: int, series_code: str, start: date | None, end: date | None
) -> tuple[list[Any], list[date]]:
    statement = sa.select(series_points).where(
        series_points.c.kind == kind, series_points.c.series_code == series_code
    )
    if start:
        statement = statement.where(series_points.c.trade_date >= start)
    if end:
        statement = statement.where(series_points.c.trade_date <= end)
    rows = (await session.execute(statement.order_by(series_points.c.trade_date))).all()
    gaps = gap_starts(np.array([r.trade_date for r in rows], dtype="datetime64[D]")) if rows else []
    return list(rows), gaps


async def upsert_benchmark(session: AsyncSession, code: str, name: str, category: int) -> None:
    if not catalog._CODE.match(code):
        raise InvalidArgument("benchmark.code", "required: letters, digits, '_', '.', '-'")
    if not name.strip():
        raise InvalidArgument("benchmark.name", "required")
    statement = postgresql.insert(benchmarks).values(
        code=code, name=name.strip(), default_for_category=category
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["code"], set_={"name": statement.excluded.name, "default_for_category": category}
        )
    )
