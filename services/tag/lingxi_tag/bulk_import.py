"""Bulk import of nightly warehouse extracts (CSV or Parquet) with PostgreSQL COPY.

Flow per file: hash it (a file already imported successfully is not applied again), read it with
Arrow (every column as text, so a bad value is a row rejection, not a crash), validate it column
by column (``import_validate``), then per chunk: seal PII (``import_stage``), COPY into a staging
table and merge set-based (``import_merge``). Two connections merge alternate chunks while the
next chunk is being prepared, so PostgreSQL's work and Python's overlap on a multi-core machine.

Each chunk commits on its own; a failure leaves the committed chunks in place and marks the job
FAILED, and running the file again finishes the work without rewriting what is already there.
Progress (rows done, rejected, changed) and a lease heartbeat are written after every chunk;
rejections (row number, column, reason, PII-masked row) go to ``import_rejections``. Afterwards a
recompute of all tags is queued unless one is already waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from lingxi.tag.v1 import tag_service_pb2
from lingxi_common.pii import PiiCipher
from lingxi_tag.import_merge import ChunkMerger, ChunkOutcome, close_missing, forget_seen, remember_seen
from lingxi_tag.import_read import (
    BLOCK_ROWS,
    CSV_BLOCK_BYTES,
    Extract,
    KeyLedger,
    UnreadableFile,
    open_extract,
)
from lingxi_tag.import_specs import SPECS, Column, ExtractSpec
from lingxi_tag.import_stage import seal, to_csv
from lingxi_tag.import_validate import ROW_NUMBER, Rejection, Validated, masked_raw, validate

log = logging.getLogger(__name__)

CHUNK_ROWS = 25_000
MERGE_CONNECTIONS = 2
MAX_REJECTIONS_STORED = 100_000
BEIJING = ZoneInfo("Asia/Shanghai")

RUNNING = tag_service_pb2.IMPORT_STATE_RUNNING
SUCCEEDED = tag_service_pb2.IMPORT_STATE_SUCCEEDED
WITH_REJECTIONS = tag_service_pb2.IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS
FAILED = tag_service_pb2.IMPORT_STATE_FAILED


class ImportFailed(ValueError):
    """The file as a whole cannot be imported (unreadable, required columns missing)."""


@dataclass
class ImportResult:
    job_id: str
    rows_total: int = 0
    rows_done: int = 0
    rows_rejected: int = 0
    rows_changed: int = 0
    rows_created: int = 0
    events: int = 0
    # Positions a full holdings / fund-position extract no longer listed, closed after it.
    closed: int = 0
    seconds: float = 0.0
    already_imported: bool = False
    rejections: list[tuple[int, str, str, str]] = field(default_factory=list)
    # Seconds spent per phase (read, validate, encode = PII + CSV, merge = COPY + SQL, summed over
    # chunks and connections): where an import's time goes, for the benchmark.
    phases: dict[str, float] = field(default_factory=dict)

    def timed(self, phase: str, began: float) -> None:
        self.phases[phase] = self.phases.get(phase, 0.0) + time.perf_counter() - began

    @property
    def rows_per_second(self) -> float:
        return self.rows_done / self.seconds if self.seconds else 0.0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _format_name(file_format: int) -> str:
    return "Parquet" if file_format == tag_service_pb2.IMPORT_FORMAT_PARQUET else "CSV"


@contextlib.asynccontextmanager
async def _raw(engine: AsyncEngine) -> AsyncIterator[asyncpg.Connection]:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        yield raw.driver_connection


async def _find_previous(engine: AsyncEngine, digest: str, kind: int) -> Any:
    async with engine.connect() as conn:
        return (
            await conn.execute(
                sa.text(
                    "SELECT job_id, rows_total, rows_done, rows_rejected, rows_changed FROM tag.import_jobs "
                    "WHERE content_sha256 = :sha AND kind = :kind AND state IN (3, 4) AND NOT dry_run "
                    "ORDER BY finished_at LIMIT 1"
                ),
                {"sha": digest, "kind": kind},
            )
        ).first()


async def _update_job(engine: AsyncEngine, job_id: str, **values: Any) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(f"UPDATE tag.import_jobs SET {assignments}, heartbeat_at = now() WHERE job_id = :job"),  # noqa: S608
            {**values, "job": job_id},
        )


async def _store_rejections(engine: AsyncEngine, job_id: str, rejections: list[Rejection]) -> None:
    if not rejections:
        return
    async with _raw(engine) as driver:
        await driver.copy_records_to_table(
            "import_rejections",
            schema_name="tag",
            records=[(job_id, r.row_number, r.column, r.reason, r.raw) for r in rejections],
            columns=["job_id", "row_number", "column_name", "reason", "raw"],
        )


async def queue_recompute_after_import(engine: AsyncEngine, job_id: str, business_date: dt.date) -> None:
    """Tags follow the new data: one recompute of every tag, unless one is already waiting."""
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO tag.recompute_jobs (job_id, state, business_date, customers_total) "
                "SELECT :job, 1, :day, (SELECT count(*) FROM tag.customers) "
                "WHERE NOT EXISTS (SELECT 1 FROM tag.recompute_jobs WHERE state = 1 AND tag_codes = '{}') "
                "ON CONFLICT DO NOTHING"
            ),
            {"job": f"import-{job_id}", "day": business_date},
        )


async def _start_job(
    engine: AsyncEngine,
    *,
    job_id: str | None,
    kind: int,
    file_format: int,
    path: Path,
    digest: str,
    business_date: dt.date | None,
    dry_run: bool,
) -> str:
    """Mark a queued job RUNNING (StartImport made it) or create a RUNNING one; returns its id."""
    async with engine.begin() as conn:
        if job_id is not None:
            found = (
                await conn.execute(
                    sa.text(
                        "UPDATE tag.import_jobs SET state = 2, content_sha256 = :sha, heartbeat_at = now(), "
                        "error = '', finished_at = NULL, rows_done = 0, rows_rejected = 0, rows_changed = 0 "
                        "WHERE job_id = :job RETURNING job_id"
                    ),
                    {"sha": digest, "job": job_id},
                )
            ).first()
            if found is not None:
                await conn.execute(
                    sa.text("DELETE FROM tag.import_rejections WHERE job_id = :job"), {"job": job_id}
                )
                return job_id
        new_id = job_id or f"imp_{uuid.uuid4().hex[:16]}"
        await conn.execute(
            sa.text(
                "INSERT INTO tag.import_jobs (job_id, kind, format, source_uri, state, content_sha256, "
                "business_date, dry_run, heartbeat_at) "
                "VALUES (:job, :kind, :format, :uri, 2, :sha, :day, :dry, now())"
            ),
            {
                "job": new_id,
                "kind": kind,
                "format": file_format,
                "uri": str(path),
                "sha": digest,
                "day": business_date,
                "dry": dry_run,
            },
        )
        return new_id


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
    queue_recompute: bool = True,
    chunk_rows: int = CHUNK_ROWS,
    block_rows: int = BLOCK_ROWS,
    csv_block_bytes: int = CSV_BLOCK_BYTES,
) -> ImportResult:
    """Import one file; returns the counts (rejections are also stored with the job).

    With ``job_id`` of a job queued by StartImport, that job is run (again, if it was interrupted).
    """
    spec = SPECS.get(kind)
    if spec is None:
        raise ImportFailed(f"import kind {kind} is not supported")
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC)
    digest = await asyncio.to_thread(file_sha256, path)
    if job_id is None and not dry_run:
        previous = await _find_previous(engine, digest, kind)
        if previous is not None:
            return ImportResult(
                job_id=previous.job_id,
                rows_total=previous.rows_total,
                rows_done=previous.rows_done,
                rows_rejected=previous.rows_rejected,
                rows_changed=previous.rows_changed,
                already_imported=True,
                seconds=time.perf_counter() - started,
            )
    job_id = await _start_job(
        engine,
        job_id=job_id,
        kind=kind,
        file_format=file_format,
        path=path,
        digest=digest,
        business_date=business_date,
        dry_run=dry_run,
    )
    result = ImportResult(job_id=job_id)
    try:
        began = time.perf_counter()
        try:
            extract = await asyncio.to_thread(
                open_extract, path, file_format, block_rows=block_rows, csv_block_bytes=csv_block_bytes
            )
        except UnreadableFile as error:
            raise ImportFailed(
                f"{path.name}: not a readable {_format_name(file_format)} file ({error})"
            ) from error
        result.timed("read", began)
        missing = [column for column in spec.required if column not in extract.columns]
        if missing:
            raise ImportFailed(f"{path.name}: missing column(s) {', '.join(missing)}")
        if extract.rows_total is not None:
            result.rows_total = extract.rows_total
            await _update_job(engine, job_id, rows_total=result.rows_total)
        pipeline = _Pipeline(engine, cipher, spec, job_id, dry_run, result, progress, chunk_rows)
        if spec.closes and not dry_run:
            async with _raw(engine) as connection:
                await forget_seen(connection, job_id)
        await pipeline.run(extract, path, file_format)
        if spec.closes and not dry_run:
            async with _raw(engine) as connection:
                result.closed = await close_missing(
                    connection, spec, job_id, _extract_as_of(business_date, started_at)
                )
            result.rows_changed += result.closed
        await _update_job(
            engine,
            job_id,
            state=WITH_REJECTIONS if result.rows_rejected else SUCCEEDED,
            rows_total=result.rows_total,
            rows_done=result.rows_done,
            rows_rejected=result.rows_rejected,
            rows_changed=result.rows_changed,
            finished_at=dt.datetime.now(dt.UTC),
        )
    except asyncio.CancelledError:
        raise  # the job keeps RUNNING; its lease expires and a later poll resumes it
    except Exception as error:
        log.exception("import %s failed", job_id)
        with contextlib.suppress(Exception):
            await _update_job(
                engine, job_id, state=FAILED, error=str(error)[:2000], finished_at=dt.datetime.now(dt.UTC)
            )
        raise
    result.rejections.sort()
    if not dry_run and result.rows_changed and queue_recompute:
        await queue_recompute_after_import(engine, job_id, business_date or dt.date.today())
    result.seconds = time.perf_counter() - started
    return result


def _extract_as_of(business_date: dt.date | None, started_at: dt.datetime) -> dt.datetime:
    """When a full extract without an ``as_of`` column was taken: the end of its business day
    (Beijing), else when the import started."""
    if business_date is None:
        return started_at
    return dt.datetime.combine(business_date + dt.timedelta(days=1), dt.time(), BEIJING)


@dataclass
class _Chunk:
    """One slice of a block on its way to a merging connection."""

    rows: int
    sealed: pa.Table  # row_number + staged columns, PII sealed
    raw: pa.Table  # the block as read (for rejection reports)
    first_row: int  # row number of the block's first row
    stage_csv: bytes | None = None  # COPY input of the staging table
    fresh: tuple[bytes, bytes] | None = None  # all new customers: (table COPY input, outbox COPY)


class _Pipeline:
    """Read and validate blocks and seal chunks on this side while MERGE_CONNECTIONS connections
    merge earlier chunks: PostgreSQL's work and Python's overlap on a multi-core machine."""

    def __init__(
        self,
        engine: AsyncEngine,
        cipher: PiiCipher,
        spec: ExtractSpec,
        job_id: str,
        dry_run: bool,
        result: ImportResult,
        progress: Callable[[ImportResult], None] | None,
        chunk_rows: int,
    ) -> None:
        self.engine, self.cipher, self.spec, self.job_id = engine, cipher, spec, job_id
        self.dry_run, self.result, self.progress, self.chunk_rows = dry_run, result, progress, chunk_rows
        self.merger: ChunkMerger | None = None
        self.stored_rejections = 0
        # Whether the next customer chunks are predicted to be all new (COPY straight in).
        self.fresh = False

    async def run(self, extract: Extract, path: Path, file_format: int) -> None:
        queue: asyncio.Queue[_Chunk | None] = asyncio.Queue(maxsize=MERGE_CONNECTIONS)
        ready = asyncio.Event()
        workers = [asyncio.create_task(self._consume(queue, ready)) for _ in range(MERGE_CONNECTIONS)]
        producer = asyncio.create_task(self._produce(extract, queue, ready))
        try:
            await asyncio.gather(producer, *workers)
        except BaseException:
            for task in (producer, *workers):
                task.cancel()
            await asyncio.gather(producer, *workers, return_exceptions=True)
            raise

    async def _produce(
        self, extract: Extract, queue: asyncio.Queue[_Chunk | None], ready: asyncio.Event
    ) -> None:
        result, spec = self.result, self.spec
        ledger = KeyLedger(spec.key)
        first_row = 1
        try:
            async with _raw(self.engine) as lookup:
                blocks = iter(extract.blocks)
                while True:
                    began = time.perf_counter()
                    block = await asyncio.to_thread(next, blocks, None)
                    result.timed("read", began)
                    if block is None:
                        break
                    began = time.perf_counter()
                    validated = await asyncio.to_thread(
                        validate, block, spec, first_row=first_row, ledger=ledger
                    )
                    result.timed("validate", began)
                    if self.merger is None:
                        self.merger = ChunkMerger(spec, validated.columns, self.job_id)
                        ready.set()
                    if extract.rows_total is None:
                        result.rows_total += validated.rows_total
                    result.rows_rejected += len(validated.rejections)
                    await self._store(validated.rejections)
                    if validated.rejected_keys is not None and not self.dry_run:
                        await remember_seen(lookup, self.job_id, validated.rejected_keys)
                    await self._chunks(lookup, validated, block, first_row, queue)
                    first_row += block.num_rows
        finally:
            if self.merger is None:
                ready.set()
            for _ in range(MERGE_CONNECTIONS):
                await queue.put(None)

    async def _chunks(
        self,
        lookup: asyncpg.Connection,
        validated: Validated,
        block: pa.Table,
        first_row: int,
        queue: asyncio.Queue[_Chunk | None],
    ) -> None:
        merger = self.merger
        assert merger is not None
        rows = validated.rows
        pii = [column.name for column in validated.columns if column.pii]
        customers = merger.spec.table == "customers"
        for start in range(0, rows.num_rows, self.chunk_rows):
            piece = rows.slice(start, self.chunk_rows)
            stored = None
            if customers and not self.fresh:
                # Stored blind indexes let unchanged PII skip encryption; no stored row at all
                # means a first load: later chunks are COPYed straight in until one hits an id.
                stored = await _stored_pii(lookup, piece, pii)
                self.fresh = not stored and not self.dry_run
            fresh = self.fresh
            began = time.perf_counter()
            chunk = await asyncio.to_thread(
                self._encode, piece, validated.columns, stored or None, block, first_row, fresh
            )
            self.result.timed("encode", began)
            await queue.put(chunk)

    def _encode(
        self,
        piece: pa.Table,
        columns: tuple[Column, ...],
        stored: dict[str, dict[str, str | None]] | None,
        block: pa.Table,
        first_row: int,
        fresh: bool,
    ) -> _Chunk:
        merger = self.merger
        assert merger is not None
        sealed = seal(piece, columns, self.cipher, stored)
        chunk = _Chunk(piece.num_rows, sealed, block, first_row)
        if fresh:
            events = merger.events_copy(new_customers(piece))
            chunk.fresh = (to_csv(sealed.select(merger.targets)), events)
        else:
            chunk.stage_csv = to_csv(sealed.select(merger.stage_columns))
        return chunk

    async def _consume(self, queue: asyncio.Queue[_Chunk | None], ready: asyncio.Event) -> None:
        await ready.wait()
        merger, result = self.merger, self.result
        if merger is None:
            while await queue.get() is not None:
                pass
            return
        async with _raw(self.engine) as connection:
            await merger.prepare(connection)
            try:
                while (chunk := await queue.get()) is not None:
                    began = time.perf_counter()
                    outcome = await self._apply(connection, merger, chunk)
                    result.timed("merge", began)
                    if outcome.orphans:
                        result.rows_rejected += len(outcome.orphans)
                        await self._store(_orphan_rejections(chunk, merger.columns, outcome.orphans))
                    result.rows_done += chunk.rows - len(outcome.orphans)
                    result.rows_changed += outcome.changed
                    result.rows_created += outcome.created
                    result.events += outcome.events
                    await _update_job(
                        self.engine,
                        self.job_id,
                        rows_total=result.rows_total,
                        rows_done=result.rows_done,
                        rows_rejected=result.rows_rejected,
                        rows_changed=result.rows_changed,
                    )
                    if self.progress is not None:
                        self.progress(result)
            finally:
                await merger.drop(connection)

    async def _apply(
        self, connection: asyncpg.Connection, merger: ChunkMerger, chunk: _Chunk
    ) -> ChunkOutcome:
        if chunk.fresh is not None:
            rows, events = chunk.fresh
            if await merger.insert_fresh(connection, rows, events, chunk.rows):
                return ChunkOutcome(changed=chunk.rows, created=chunk.rows, events=chunk.rows)
            self.fresh = False  # some ids exist after all: merge, and probe the next chunks again
            chunk.stage_csv = await asyncio.to_thread(to_csv, chunk.sealed.select(merger.stage_columns))
        assert chunk.stage_csv is not None
        return await merger.merge(connection, chunk.stage_csv, dry_run=self.dry_run)

    async def _store(self, rejections: list[Rejection]) -> None:
        """Rejections go to the job as they are found (the first MAX_REJECTIONS_STORED of them)."""
        room = MAX_REJECTIONS_STORED - self.stored_rejections
        kept = rejections[: max(room, 0)]
        self.stored_rejections += len(kept)
        self.result.rejections.extend((r.row_number, r.column, r.reason, r.raw) for r in kept)
        await _store_rejections(self.engine, self.job_id, kept)


def new_customers(piece: pa.Table) -> pa.Table:
    """What the merge would return for a chunk of customers that are all new (version 1; columns
    the file lacks take the table's defaults)."""
    count = piece.num_rows
    names = piece.column_names

    def text(name: str) -> pa.Array:
        return piece.column(name) if name in names else pa.nulls(count, pa.string())

    return pa.table(
        {
            "customer_id": piece.column("customer_id"),
            "branch_id": piece.column("branch_id"),
            "advisor_id": text("advisor_id"),
            "version": pa.array(np.ones(count, np.int64)),
            "risk_level": pc.cast(text("risk_level"), pa.int16()),
            "risk_assessment_expires_on": pc.cast(text("risk_assessment_expires_on"), pa.date32()),
            "professional_investor": pc.fill_null(pc.cast(text("professional_investor"), pa.bool_()), False),
            "status": pc.fill_null(pc.cast(text("status"), pa.int16()), 1),
            "created": pa.array(np.ones(count, bool)),
            "changed": pa.nulls(count, pa.string()),
        }
    )


async def _stored_pii(
    connection: asyncpg.Connection, piece: pa.Table, pii: list[str]
) -> dict[str, dict[str, str | None]]:
    """customer id → PII column → blind index stored now, for the customers of one chunk."""
    columns = "".join(f", {name}_index" for name in pii)
    rows = await connection.fetch(
        f"SELECT customer_id{columns} FROM tag.customers WHERE customer_id = ANY($1::text[])",  # noqa: S608
        piece.column("customer_id").to_pylist(),
    )
    return {row["customer_id"]: {name: row[f"{name}_index"] for name in pii} for row in rows}


def _orphan_rejections(
    chunk: _Chunk, columns: tuple[Column, ...], orphans: list[tuple[int, str, str]]
) -> list[Rejection]:
    checks = {column.name: column.check for column in columns}
    positions = pa.array([number - chunk.first_row for number, _, _ in orphans], pa.int64())
    originals = chunk.raw.take(positions).to_pylist()
    return [
        Rejection(number, column, reason, masked_raw(row, checks))
        for (number, column, reason), row in zip(orphans, originals, strict=True)
    ]


__all__ = [
    "CHUNK_ROWS",
    "ROW_NUMBER",
    "ImportFailed",
    "ImportResult",
    "file_sha256",
    "queue_recompute_after_import",
    "run_import",
]
