"""Bulk import of nightly warehouse extracts (CSV or Parquet) with PostgreSQL COPY.

Flow per file: hash it (a file already imported successfully is not applied again), read it with
pyarrow (all columns as text, so a bad value is a row rejection, not a crash), validate each row
(rejections recorded with row number, column and reason, PII masked), COPY the good rows into a
temporary staging table, and merge them with one ``INSERT … ON CONFLICT DO UPDATE … WHERE
changed`` — so re-running a file, or a file overlapping yesterday's, rewrites nothing that did not
change. PII (phone) is encrypted and blind-indexed before it leaves the process. Progress is
written to ``import_jobs`` after every chunk; afterwards a recompute of all tags is queued.

Kinds: CUSTOMERS, ACCOUNTS, HOLDINGS and EXTERNAL_ASSETS (the warehouse's per-customer metrics: external
market value, trade-history analytics; see ``customer_metrics``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from lingxi.tag.v1 import tag_service_pb2
from lingxi_common.pii import PiiCipher, mask_phone

CHUNK_ROWS = 50_000
MAX_REJECTIONS_STORED = 100_000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")
_RISK = {"C1": 1, "C2": 2, "C3": 3, "C4": 4, "C5": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_BOOL = {
    "true": True,
    "1": True,
    "t": True,
    "y": True,
    "yes": True,
    "false": False,
    "0": False,
    "f": False,
    "n": False,
    "no": False,
    "": False,
}
_ACCOUNT_TYPES = {"cash": 1, "margin": 2, "fund": 3, "1": 1, "2": 2, "3": 3}


class RowRejected(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


def _text(row: dict[str, Any], column: str, *, required: bool = False) -> str:
    value = row.get(column)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise RowRejected(column, "required")
    return text


def _ident(row: dict[str, Any], column: str, *, required: bool = True) -> str | None:
    text = _text(row, column, required=required)
    if not text:
        return None
    if not _ID.match(text):
        raise RowRejected(column, "1-64 letters, digits, '_', '.', '-'")
    return text


def _date(row: dict[str, Any], column: str) -> dt.date | None:
    text = _text(row, column)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as error:
        raise RowRejected(column, f"not a date (YYYY-MM-DD): {text!r}") from error


def _decimal(row: dict[str, Any], column: str, *, default: Decimal | None = Decimal(0)) -> Decimal | None:
    text = _text(row, column)
    if not text:
        return default
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise RowRejected(column, f"not a number: {text!r}") from error
    if not value.is_finite() or abs(value) >= Decimal("1e17"):
        raise RowRejected(column, "out of range")
    return value


def _bool(row: dict[str, Any], column: str) -> bool:
    text = _text(row, column).lower()
    if text not in _BOOL:
        raise RowRejected(column, f"not a boolean: {text!r}")
    return _BOOL[text]


@dataclass(frozen=True)
class Target:
    """How one kind of extract maps onto a table."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    convert: Callable[[dict[str, Any], PiiCipher], tuple[Any, ...]]
    required_columns: tuple[str, ...]


def _customer(row: dict[str, Any], cipher: PiiCipher) -> tuple[Any, ...]:
    risk_text = _text(row, "risk_level").upper()
    if risk_text and risk_text not in _RISK:
        raise RowRejected("risk_level", "C1..C5")
    phone = _text(row, "phone")
    if phone and not _PHONE.match(phone):
        raise RowRejected("phone", "an 11-digit mainland mobile number")
    return (
        _ident(row, "customer_id"),
        _ident(row, "branch_id"),
        _ident(row, "advisor_id", required=False),
        _RISK.get(risk_text),
        _date(row, "risk_assessment_expires_on"),
        _bool(row, "professional_investor"),
        _date(row, "opened_on"),
        _text(row, "age_band")[:16] or None,
        _text(row, "city")[:64] or None,
        cipher.encrypt(phone, context="customer.phone") if phone else None,
        cipher.blind_index(phone, context="phone") if phone else None,
    )


def _account(row: dict[str, Any], cipher: PiiCipher) -> tuple[Any, ...]:
    kind = _text(row, "account_type", required=True).lower()
    if kind not in _ACCOUNT_TYPES:
        raise RowRejected("account_type", "cash, margin or fund")
    return (
        _ident(row, "account_id"),
        _ident(row, "customer_id"),
        _ACCOUNT_TYPES[kind],
        _decimal(row, "total_assets"),
        _decimal(row, "cash_balance"),
        _decimal(row, "stock_market_value"),
        _decimal(row, "fund_market_value"),
        _decimal(row, "liabilities"),
        _decimal(row, "maintenance_ratio", default=None),
        _date(row, "contract_expires_on"),
    )


def _metrics(row: dict[str, Any], cipher: PiiCipher) -> tuple[Any, ...]:
    trades = _text(row, "trades_90d") or "0"
    if not trades.isdigit():
        raise RowRejected("trades_90d", "a whole number")
    return (
        _ident(row, "customer_id"),
        _decimal(row, "external_market_value"),
        int(trades),
        _decimal(row, "stock_pick_alpha", default=None),
        _decimal(row, "timing_score", default=None),
        _decimal(row, "avg_holding_days", default=None),
        _decimal(row, "value_trade_share", default=None),
        _decimal(row, "technical_trade_share", default=None),
        _decimal(row, "theme_trade_share", default=None),
        _decimal(row, "event_trade_share", default=None),
        _date(row, "last_trade_on"),
        _date(row, "last_login_on"),
        _bool(row, "has_advisory_service"),
        _bool(row, "wealth_product_holder"),
        _decimal(row, "stock_mv_peak_12m"),
    )


def _holding(row: dict[str, Any], cipher: PiiCipher) -> tuple[Any, ...]:
    security_type = _text(row, "security_type") or "1"
    if not security_type.isdigit():
        raise RowRejected("security_type", "a SecurityType number")
    return (
        _ident(row, "account_id"),
        _ident(row, "security_code"),
        _ident(row, "customer_id"),
        int(security_type),
        _decimal(row, "quantity"),
        _decimal(row, "cost"),
        _decimal(row, "market_value"),
        _decimal(row, "unrealized_pnl"),
        _decimal(row, "unrealized_pnl_ratio", default=None),
        _text(row, "sector_code")[:32] or None,
    )


TARGETS: dict[int, Target] = {
    tag_service_pb2.IMPORT_KIND_HOLDINGS: Target(
        "holdings",
        ("account_id", "security_code"),
        (
            "account_id",
            "security_code",
            "customer_id",
            "security_type",
            "quantity",
            "cost",
            "market_value",
            "unrealized_pnl",
            "unrealized_pnl_ratio",
            "sector_code",
        ),
        _holding,
        ("account_id", "security_code", "customer_id"),
    ),
    tag_service_pb2.IMPORT_KIND_CUSTOMERS: Target(
        "customers",
        ("customer_id",),
        (
            "customer_id",
            "branch_id",
            "advisor_id",
            "risk_level",
            "risk_assessment_expires_on",
            "professional_investor",
            "opened_on",
            "age_band",
            "city",
            "phone_enc",
            "phone_index",
        ),
        _customer,
        ("customer_id", "branch_id"),
    ),
    tag_service_pb2.IMPORT_KIND_ACCOUNTS: Target(
        "accounts",
        ("account_id",),
        (
            "account_id",
            "customer_id",
            "account_type",
            "total_assets",
            "cash_balance",
            "stock_market_value",
            "fund_market_value",
            "liabilities",
            "maintenance_ratio",
            "contract_expires_on",
        ),
        _account,
        ("account_id", "customer_id", "account_type"),
    ),
    tag_service_pb2.IMPORT_KIND_EXTERNAL_ASSETS: Target(
        "customer_metrics",
        ("customer_id",),
        (
            "customer_id",
            "external_market_value",
            "trades_90d",
            "stock_pick_alpha",
            "timing_score",
            "avg_holding_days",
            "value_trade_share",
            "technical_trade_share",
            "theme_trade_share",
            "event_trade_share",
            "last_trade_on",
            "last_login_on",
            "has_advisory_service",
            "wealth_product_holder",
            "stock_mv_peak_12m",
        ),
        _metrics,
        ("customer_id",),
    ),
}


@dataclass
class ImportResult:
    job_id: str
    rows_total: int = 0
    rows_done: int = 0
    rows_rejected: int = 0
    seconds: float = 0.0
    already_imported: bool = False
    rejections: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows_done / self.seconds if self.seconds else 0.0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(path: Path, file_format: int) -> pa.Table:
    """The whole extract with every column as text (so bad values become row rejections)."""
    if file_format == tag_service_pb2.IMPORT_FORMAT_PARQUET:
        table = pq.read_table(path)
        return table.cast(pa.schema([pa.field(name, pa.string()) for name in table.column_names]))
    header = path.open("r", encoding="utf-8").readline().strip().split(",")
    return pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
        ),
    )


def _rows(table: pa.Table) -> Iterator[tuple[int, dict[str, Any]]]:
    names = table.column_names
    for batch in table.to_batches(CHUNK_ROWS):
        columns = [batch.column(index).to_pylist() for index in range(len(names))]
        for offset, values in enumerate(zip(*columns, strict=True)):
            yield offset, dict(zip(names, values, strict=True))


def _masked_raw(row: dict[str, Any]) -> str:
    return ",".join(
        mask_phone(str(value)) if key == "phone" and value else "" if value is None else str(value)
        for key, value in row.items()
    )[:1000]


async def run_import(
    engine: AsyncEngine,
    cipher: PiiCipher,
    path: Path,
    *,
    kind: int,
    file_format: int,
    dry_run: bool = False,
    business_date: dt.date | None = None,
    job_id: str | None = None,
    progress: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import one file; returns the counts (rejections are also stored with the job)."""
    target = TARGETS.get(kind)
    if target is None:
        raise ValueError(f"import kind {kind} is not supported")
    started = time.perf_counter()
    digest = file_sha256(path)
    result = ImportResult(job_id=job_id or f"imp_{uuid.uuid4().hex[:16]}")
    async with engine.begin() as conn:
        previous = (
            await conn.execute(
                sa.text(
                    "SELECT job_id, rows_total, rows_done, rows_rejected FROM tag.import_jobs "
                    "WHERE content_sha256 = :sha AND kind = :kind AND state IN (3, 4) AND NOT dry_run LIMIT 1"
                ),
                {"sha": digest, "kind": kind},
            )
        ).first()
        if previous is not None and not dry_run:
            return ImportResult(
                job_id=previous.job_id,
                rows_total=previous.rows_total,
                rows_done=previous.rows_done,
                rows_rejected=previous.rows_rejected,
                already_imported=True,
            )
        await conn.execute(
            sa.text(
                "INSERT INTO tag.import_jobs (job_id, kind, format, source_uri, state, content_sha256, business_date, dry_run) "  # noqa: E501
                "VALUES (:job, :kind, :format, :uri, 2, :sha, :day, :dry)"
            ),
            {
                "job": result.job_id,
                "kind": kind,
                "format": file_format,
                "uri": str(path),
                "sha": digest,
                "day": business_date,
                "dry": dry_run,
            },
        )
    table = read_table(path, file_format)
    missing = [column for column in target.required_columns if column not in table.column_names]
    if missing:
        async with engine.begin() as conn:
            await conn.execute(
                sa.text(
                    "UPDATE tag.import_jobs SET state = 5, error = :e, finished_at = now() WHERE job_id = :job"  # noqa: E501
                ),
                {"e": f"missing column(s): {', '.join(missing)}", "job": result.job_id},
            )
        raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
    result.rows_total = table.num_rows
    columns = ", ".join(target.columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in target.columns if c not in target.key)
    # Ciphertexts differ on every encryption (random nonce): compare PII by its blind index.
    changed = " OR ".join(
        f"t.{c} IS DISTINCT FROM excluded.{c}"
        for c in target.columns
        if c not in target.key and not c.endswith("_enc")
    )
    # Identifiers come from the fixed TARGETS table above, never from the file or the caller.
    merge = (
        f"INSERT INTO tag.{target.table} AS t ({columns}) SELECT {columns} FROM stage "  # noqa: S608
        f"ON CONFLICT ({', '.join(target.key)}) DO UPDATE SET {updates}"
        + (", version = t.version + 1, updated_at = now()" if target.table == "customers" else "")
        + f" WHERE {changed}"
    )
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.execute(
            f"CREATE TEMP TABLE stage (LIKE tag.{target.table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        if target.table == "customers":
            await driver.execute("ALTER TABLE stage DROP COLUMN customer_no")
        good: list[tuple[Any, ...]] = []
        seen: set[tuple[Any, ...]] = set()
        row_number = 0

        async def flush() -> None:
            if good and not dry_run:
                async with driver.transaction():
                    await driver.copy_records_to_table("stage", records=good, columns=list(target.columns))
                    await driver.execute(merge)
            result.rows_done += len(good)
            good.clear()
            await driver.execute(
                "UPDATE tag.import_jobs SET rows_total = $1, rows_done = $2, rows_rejected = $3 WHERE job_id = $4",  # noqa: E501
                result.rows_total,
                result.rows_done,
                result.rows_rejected,
                result.job_id,
            )
            if progress is not None:
                progress(result)

        for _offset, row in _rows(table):
            row_number += 1
            try:
                record = target.convert(row, cipher)
            except RowRejected as error:
                result.rows_rejected += 1
                if len(result.rejections) < MAX_REJECTIONS_STORED:
                    result.rejections.append((row_number, error.column, error.reason, _masked_raw(row)))
                continue
            key = tuple(record[target.columns.index(k)] for k in target.key)
            if key in seen:
                result.rows_rejected += 1
                result.rejections.append(
                    (row_number, target.key[0], "duplicate key in the file", _masked_raw(row))
                )
                continue
            seen.add(key)
            good.append(record)
            if len(good) >= CHUNK_ROWS:
                await flush()
        await flush()
        if result.rejections:
            await driver.copy_records_to_table(
                "import_rejections",
                schema_name="tag",
                records=[
                    (result.job_id, n, column, reason, raw_text)
                    for n, column, reason, raw_text in result.rejections
                ],
                columns=["job_id", "row_number", "column_name", "reason", "raw"],
            )
        state = (
            tag_service_pb2.IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS
            if result.rows_rejected
            else tag_service_pb2.IMPORT_STATE_SUCCEEDED
        )
        await driver.execute(
            "UPDATE tag.import_jobs SET state = $1, finished_at = now() WHERE job_id = $2",
            state,
            result.job_id,
        )
        if not dry_run and result.rows_done:
            # Tags follow the new data: one recompute of every tag (keyed, so repeated imports
            # on one day share it until it has run).
            await driver.execute(
                "INSERT INTO tag.recompute_jobs (job_id, state, business_date, customers_total) "
                "VALUES ($1, 1, $2, (SELECT count(*) FROM tag.customers)) ON CONFLICT DO NOTHING",
                f"import-{result.job_id}",
                business_date or dt.date.today(),
            )
        await driver.execute("DROP TABLE IF EXISTS stage")
    result.seconds = time.perf_counter() - started
    return result
