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

import asyncpg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from lingxi.tag.v1 import tag_service_pb2
from lingxi_common.pii import PiiCipher
from lingxi_tag.import_merge import ChunkMerger, ChunkOutcome
from lingxi_tag.import_specs import SPECS
from lingxi_tag.import_stage import encode_chunk
from lingxi_tag.import_validate import ROW_NUMBER, Rejection, Validated, masked_raw, validate

log = logging.getLogger(__name__)

CHUNK_ROWS = 25_000
MERGE_CONNECTIONS = 2
MAX_REJECTIONS_STORED = 100_000

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


def read_table(path: Path, file_format: int) -> pa.Table:
    """The whole extract with every column as text (so bad values become row rejections)."""
    try:
        if file_format == tag_service_pb2.IMPORT_FORMAT_PARQUET:
            table = pq.read_table(path)
            return table.cast(pa.schema([pa.field(name, pa.string()) for name in table.column_names]))
        names = pacsv.open_csv(path).schema.names
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, OSError) as error:
        raise ImportFailed(
            f"{path.name}: not a readable {_format_name(file_format)} file ({error})"
        ) from error


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
) -> ImportResult:
    """Import one file; returns the counts (rejections are also stored with the job).

    With ``job_id`` of a job queued by StartImport, that job is run (again, if it was interrupted).
    """
    spec = SPECS.get(kind)
    if spec is None:
        raise ImportFailed(f"import kind {kind} is not supported")
    started = time.perf_counter()
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
        table = await asyncio.to_thread(read_table, path, file_format)
        result.timed("read", began)
        missing = [column for column in spec.required if column not in table.column_names]
        if missing:
            raise ImportFailed(f"{path.name}: missing column(s) {', '.join(missing)}")
        began = time.perf_counter()
        validated = await asyncio.to_thread(validate, table, spec)
        result.timed("validate", began)
        result.rows_total = validated.rows_total
        result.rows_rejected = len(validated.rejections)
        await _store_rejections(engine, job_id, validated.rejections[:MAX_REJECTIONS_STORED])
        await _update_job(engine, job_id, rows_total=result.rows_total, rows_rejected=result.rows_rejected)
        orphans = await _merge_all(
            engine,
            cipher,
            validated,
            spec_kind=kind,
            job_id=job_id,
            dry_run=dry_run,
            result=result,
            progress=progress,
        )
        if orphans:
            stored = min(len(orphans), max(0, MAX_REJECTIONS_STORED - len(validated.rejections)))
            await _store_rejections(engine, job_id, _orphan_rejections(table, validated, orphans[:stored]))
        result.rows_rejected += len(orphans)
        result.rejections = [(r.row_number, r.column, r.reason, r.raw) for r in validated.rejections] + [
            (number, column, reason, "") for number, column, reason in orphans
        ]
        await _update_job(
            engine,
            job_id,
            state=WITH_REJECTIONS if result.rows_rejected else SUCCEEDED,
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
    if not dry_run and result.rows_changed and queue_recompute:
        await queue_recompute_after_import(engine, job_id, business_date or dt.date.today())
    result.seconds = time.perf_counter() - started
    return result


async def _merge_all(
    engine: AsyncEngine,
    cipher: PiiCipher,
    validated: Validated,
    *,
    spec_kind: int,
    job_id: str,
    dry_run: bool,
    result: ImportResult,
    progress: Callable[[ImportResult], None] | None,
) -> list[tuple[int, str, str]]:
    """Prepare chunks on this thread while MERGE_CONNECTIONS connections merge earlier ones."""
    merger = ChunkMerger(SPECS[spec_kind], validated.columns, job_id)
    rows = validated.rows
    queue: asyncio.Queue[tuple[int, bytes] | None] = asyncio.Queue(maxsize=MERGE_CONNECTIONS)
    orphans: list[tuple[int, str, str]] = []

    pii = [column.name for column in validated.columns if column.pii]

    async def produce() -> None:
        async with _raw(engine) as lookup:
            # Stored blind indexes let unchanged PII skip encryption. Worth a query per chunk
            # only while the file repeats stored customers; a first load stops asking at once.
            probing = bool(pii) and merger.spec.table == "customers"
            for start in range(0, rows.num_rows, CHUNK_ROWS):
                piece = rows.slice(start, CHUNK_ROWS)
                stored = await _stored_pii(lookup, piece, pii) if probing else None
                probing = probing and stored is not None and len(stored) >= piece.num_rows // 10
                began = time.perf_counter()
                data = await asyncio.to_thread(encode_chunk, piece, validated.columns, cipher, stored)
                result.timed("encode", began)
                await queue.put((piece.num_rows, data))
        for _ in range(MERGE_CONNECTIONS):
            await queue.put(None)

    async def consume() -> None:
        async with _raw(engine) as connection:
            await merger.prepare(connection)
            try:
                while (item := await queue.get()) is not None:
                    count, data = item
                    began = time.perf_counter()
                    outcome: ChunkOutcome = await merger.merge(connection, data, dry_run=dry_run)
                    result.timed("merge", began)
                    orphans.extend(outcome.orphans)
                    result.rows_done += count - len(outcome.orphans)
                    result.rows_changed += outcome.changed
                    result.rows_created += outcome.created
                    result.events += outcome.changed if merger.spec.table == "customers" else 0
                    await _update_job(
                        engine,
                        job_id,
                        rows_done=result.rows_done,
                        rows_rejected=result.rows_rejected + len(orphans),
                        rows_changed=result.rows_changed,
                    )
                    if progress is not None:
                        progress(result)
            finally:
                await merger.drop(connection)

    workers = [asyncio.create_task(consume()) for _ in range(MERGE_CONNECTIONS)]
    producer = asyncio.create_task(produce())
    try:
        await asyncio.gather(producer, *workers)
    except BaseException:
        for task in (producer, *workers):
            task.cancel()
        await asyncio.gather(producer, *workers, return_exceptions=True)
        raise
    orphans.sort()
    return orphans


async def _stored_pii(
    connection: asyncpg.Connection, piece: pa.Table, pii: list[str]
) -> dict[str, dict[str, str | None]]:
    """customer id → PII column → blind index stored now, for the customers of one chunk."""
    columns = ", ".join(f"{name}_index" for name in pii)
    rows = await connection.fetch(
        f"SELECT customer_id, {columns} FROM tag.customers WHERE customer_id = ANY($1::text[])",  # noqa: S608
        piece.column("customer_id").to_pylist(),
    )
    return {row["customer_id"]: {name: row[f"{name}_index"] for name in pii} for row in rows}


def _orphan_rejections(
    table: pa.Table, validated: Validated, orphans: list[tuple[int, str, str]]
) -> list[Rejection]:
    if not orphans:
        return []
    checks = {column.name: column.check for column in validated.columns}
    originals = table.take(pa.array([number - 1 for number, _, _ in orphans], pa.int64())).to_pylist()
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
    "read_table",
    "run_import",
]
