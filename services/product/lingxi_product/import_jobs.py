"""Series imports as background jobs: StartSeriesImport queues, this worker runs.

A large NAV file can take minutes; no RPC should wait for it. StartSeriesImport only validates the
request and inserts a QUEUED job. The worker (one per replica, a BackgroundJob) claims the oldest
queued job with `FOR UPDATE SKIP LOCKED`, so two replicas never run the same job, and works in
short transactions: read and parse the file off the event loop, screen the rows, then apply the
accepted points a chunk of series at a time, recording progress (`rows_done`) and a heartbeat with
each chunk. A job whose heartbeat stops (its process died) is claimed again after
`import_stale_seconds` and rerun from the start, which is safe because applying is idempotent
(unchanged points are not rewritten or announced) and the rejected-row report is rewritten whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
import sqlalchemy as sa

from lingxi.product.v1 import product_service_pb2
from lingxi_common.db import transaction
from lingxi_common.errors import InvalidArgument
from lingxi_common.service import ServiceContext
from lingxi_product import constituents, series
from lingxi_product.metrics import gap_starts
from lingxi_product.models import series_import_rejections, series_imports

log = logging.getLogger(__name__)
PS = product_service_pb2
CHUNK_POINTS = 200_000  # accepted points applied per transaction
REJECTION_BATCH = 5_000


class ImportWorker:
    """Claims queued (or abandoned) series imports and runs them, one at a time per replica."""

    name = "product-series-imports"

    def __init__(self, ctx: ServiceContext, wakeup: asyncio.Event, *, poll: float, stale: float) -> None:
        self._ctx = ctx
        self._wakeup = wakeup
        self._poll = poll
        self._stale = stale

    async def run(self) -> None:
        while True:
            try:
                while await self.run_one():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:  # PostgreSQL away: try again on the next round
                log.warning("series import worker round failed", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=self._poll)
            self._wakeup.clear()

    async def _claim(self) -> Any | None:
        j = series_imports.c
        waiting = (
            sa.select(j.job_id)
            .where(
                sa.or_(
                    j.state == PS.SERIES_IMPORT_STATE_QUEUED,
                    sa.and_(
                        j.state == PS.SERIES_IMPORT_STATE_RUNNING,
                        j.heartbeat_at < sa.func.now() - sa.func.make_interval(0, 0, 0, 0, 0, 0, self._stale),
                    ),
                )
            )
            .order_by(j.created_at)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        async with transaction(self._ctx.sessions) as session:
            return (
                await session.execute(
                    series_imports.update()
                    .where(j.job_id == waiting)
                    .values(
                        state=PS.SERIES_IMPORT_STATE_RUNNING,
                        started_at=sa.func.now(),
                        heartbeat_at=sa.func.now(),
                        attempts=j.attempts + 1,
                    )
                    .returning(series_imports)
                )
            ).first()

    async def run_one(self) -> bool:
        """Run the next waiting job, if any; True when one was run."""
        job = await self._claim()
        if job is None:
            return False
        beat = asyncio.create_task(self._heartbeat(job.job_id))
        try:
            await run_job(self._ctx, job, self._progress(job.job_id))
        except Exception as error:
            message = (
                error.message if isinstance(error, InvalidArgument) else f"{type(error).__name__}: {error}"
            )
            if not isinstance(error, InvalidArgument):
                log.exception("series import %s failed", job.job_id)
            await self._finish(job.job_id, state=PS.SERIES_IMPORT_STATE_FAILED, error=message[:1000])
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
        return True

    async def _heartbeat(self, job_id: uuid.UUID) -> None:
        """Parsing a big file is one long step: keep the claim alive while it runs."""
        while True:
            await asyncio.sleep(max(self._stale / 4, 0.5))
            async with transaction(self._ctx.sessions) as session:
                await session.execute(
                    series_imports.update()
                    .where(series_imports.c.job_id == job_id)
                    .values(heartbeat_at=sa.func.now())
                )

    def _progress(self, job_id: uuid.UUID) -> Callable[..., Awaitable[None]]:
        async def report(session: Any, **values: Any) -> None:
            await session.execute(
                series_imports.update()
                .where(series_imports.c.job_id == job_id)
                .values(heartbeat_at=sa.func.now(), **values)
            )

        return report

    async def _finish(self, job_id: uuid.UUID, **values: Any) -> None:
        async with transaction(self._ctx.sessions) as session:
            await session.execute(
                series_imports.update()
                .where(series_imports.c.job_id == job_id)
                .values(finished_at=sa.func.now(), heartbeat_at=sa.func.now(), **values)
            )


def _read(path: Any) -> tuple[bytes, str]:
    content: bytes = path.read_bytes()
    return content, hashlib.sha256(content).hexdigest()


async def run_job(ctx: ServiceContext, job: Any, progress: Callable[..., Awaitable[None]]) -> None:
    """Read, screen and apply one import; the job row ends SUCCEEDED(_WITH_REJECTIONS)."""
    path = series.source_path(job.source_uri)
    content, digest = await asyncio.to_thread(_read, path)
    if job.kind == series.CONSTITUENTS:
        raw_lists = await asyncio.to_thread(constituents.read_rows, content, job.format)
        rows_total = len(raw_lists)
        async with transaction(ctx.sessions) as session:
            await progress(session, content_sha256=digest, rows_total=rows_total)
            known = await constituents.known_indices(session)
        lists = await asyncio.to_thread(constituents.screen, raw_lists, known)
        rejections = lists.rejections
        accepted, gaps = lists.accepted_rows, 0
        if not job.dry_run:
            async with transaction(ctx.sessions) as session:
                await constituents.apply(session, lists.lists)
                await progress(session, rows_done=accepted)
    else:
        raw = await asyncio.to_thread(series.read_rows, content, job.format)
        rows_total = len(raw)
        async with transaction(ctx.sessions) as session:
            await progress(session, content_sha256=digest, rows_total=rows_total)
            codes = await series.code_map(session, job.kind)
        screened = await asyncio.to_thread(series.screen, raw, codes)
        del raw
        rejections = screened.rejections
        accepted = sum(len(points) for points in screened.accepted.values())
        gaps = 0
        if job.dry_run:
            gaps = sum(
                1
                for points in screened.accepted.values()
                if gap_starts(np.array([p.trade_date for p in points], dtype="datetime64[D]"))
            )
        else:
            done = 0
            for chunk in _chunks(screened.accepted):
                async with transaction(ctx.sessions) as session:
                    applied = await series.apply(
                        session, job.kind, series.Screened(accepted=chunk), correlation_id=job.correlation_id
                    )
                    gaps += applied.series_with_gaps
                    done += sum(len(points) for points in chunk.values())
                    await progress(session, rows_done=done, series_with_gaps=gaps)
    async with transaction(ctx.sessions) as session:
        await session.execute(
            series_import_rejections.delete().where(series_import_rejections.c.job_id == job.job_id)
        )
        for start in range(0, len(rejections), REJECTION_BATCH):
            await session.execute(
                series_import_rejections.insert(),
                [
                    {
                        "job_id": job.job_id,
                        "row_number": r.row_number,
                        "series_code": r.series_code,
                        "reason_code": r.reason_code,
                        "reason": r.reason,
                    }
                    for r in rejections[start : start + REJECTION_BATCH]
                ],
            )
        await progress(
            session,
            state=PS.SERIES_IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS
            if rejections
            else PS.SERIES_IMPORT_STATE_SUCCEEDED,
            rows_done=accepted,
            rows_rejected=len(rejections),
            series_with_gaps=gaps,
            finished_at=sa.func.now(),
        )


def _chunks(accepted: dict[str, list[series.Point]]) -> list[dict[str, list[series.Point]]]:
    """Whole series grouped so each transaction applies about CHUNK_POINTS points."""
    chunks: list[dict[str, list[series.Point]]] = []
    current: dict[str, list[series.Point]] = {}
    size = 0
    for series_id, points in accepted.items():
        current[series_id] = points
        size += len(points)
        if size >= CHUNK_POINTS:
            chunks.append(current)
            current, size = {}, 0
    if current:
        chunks.append(current)
    return chunks
