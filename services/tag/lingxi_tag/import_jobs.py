"""Imports as background jobs: StartImport queues and returns, GetImport shows progress,
ListImportRejections pages through the rejected rows.

A job runs as a task of the process that accepted it and keeps a lease (``heartbeat_at``, renewed
after every chunk). If that process dies, the job stays RUNNING with an expiring lease; the next
GetImport — from any replica — claims it and runs the file again, which is safe because the
merge rewrites nothing already there. Files are read only from the configured import directory
(``LINGXI_IMPORT_DIR``): a caller can name a file, never an arbitrary path on the server.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import date_pb2, paging_pb2
from lingxi.tag.v1 import tag_service_pb2
from lingxi_common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_tag.bulk_import import ImportFailed, file_sha256, run_import
from lingxi_tag.import_specs import SPECS
from lingxi_tag.models import import_jobs, import_rejections
from lingxi_tag.runtime import TagRuntime

log = logging.getLogger(__name__)

WRITERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
READERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE, Role.COMPLIANCE})
FORMATS = (tag_service_pb2.IMPORT_FORMAT_CSV, tag_service_pb2.IMPORT_FORMAT_PARQUET)
QUEUED = tag_service_pb2.IMPORT_STATE_QUEUED
RUNNING = tag_service_pb2.IMPORT_STATE_RUNNING
DEFAULT_PAGE = 100
MAX_PAGE = 1000


def _require(caller: Caller, roles: frozenset[Role], action: str) -> None:
    if caller.role not in roles:
        raise PermissionDenied(f"role {caller.role.value} may not {action}")


def resolve_source(import_dir: str, source_uri: str) -> Path:
    """The file ``source_uri`` names inside the import directory; refuses anything else."""
    if not import_dir:
        raise FailedPrecondition("imports over the API are not configured (set LINGXI_IMPORT_DIR)")
    if not source_uri:
        raise InvalidArgument("source_uri", "required: a file name inside the import directory")
    text = source_uri.removeprefix("file://")
    if "://" in text:
        raise InvalidArgument(
            "source_uri", "only files in the import directory are supported, not object-store URIs"
        )
    root = Path(import_dir).resolve()
    candidate = Path(text)
    path = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if not path.is_relative_to(root):
        raise InvalidArgument("source_uri", "must name a file inside the import directory")
    if not path.is_file():
        raise InvalidArgument("source_uri", f"no such file in the import directory: {path.relative_to(root)}")
    return path


def _business_date(value: date_pb2.Date) -> dt.date | None:
    if not (value.year or value.month or value.day):
        return None
    try:
        return dt.date(value.year, value.month, value.day)
    except ValueError as error:
        raise InvalidArgument("business_date", f"not a valid date ({error})") from error


def job_proto(row: Any) -> tag_service_pb2.ImportJob:
    m = row._mapping
    job = tag_service_pb2.ImportJob(
        job_id=m["job_id"],
        kind=m["kind"],
        format=m["format"],
        source_uri=m["source_uri"],
        state=m["state"],
        content_sha256=m["content_sha256"],
        rows_total=m["rows_total"],
        rows_done=m["rows_done"],
        rows_rejected=m["rows_rejected"],
        rows_changed=m["rows_changed"],
        error=m["error"],
        dry_run=m["dry_run"],
    )
    job.started_at.FromDatetime(m["started_at"])
    if m["finished_at"] is not None:
        job.finished_at.FromDatetime(m["finished_at"])
    if m["business_date"] is not None:
        day = m["business_date"]
        job.business_date.CopyFrom(date_pb2.Date(year=day.year, month=day.month, day=day.day))
    return job


class ImportRunner:
    """Runs import jobs as tasks of this process and resumes jobs whose lease expired."""

    def __init__(self, runtime: TagRuntime) -> None:
        self._runtime = runtime
        self._tasks: dict[str, asyncio.Task[None]] = {}
        settings = runtime.ctx.settings
        self.import_dir = str(getattr(settings, "import_dir", ""))
        self.lease = float(getattr(settings, "import_lease_seconds", 120.0))

    @property
    def _sessions(self) -> Any:
        return self._runtime.ctx.sessions

    async def start(self, caller: Caller, request: tag_service_pb2.StartImportRequest) -> Any:
        """Queue a job (or return the one that already covers this file) and start running it."""
        _require(caller, WRITERS, "start imports")
        if request.kind not in SPECS:
            names = ", ".join(
                tag_service_pb2.ImportKind.Name(kind).removeprefix("IMPORT_KIND_") for kind in SPECS
            )
            raise InvalidArgument("kind", f"one of {names}")
        if request.format not in FORMATS:
            raise InvalidArgument("format", "CSV or PARQUET")
        business_date = _business_date(request.business_date)
        path = resolve_source(self.import_dir, request.source_uri)
        digest = await asyncio.to_thread(file_sha256, path)
        async with self._sessions() as session, session.begin():
            if not request.dry_run:
                existing = (
                    await session.execute(
                        sa.select(import_jobs)
                        .where(
                            import_jobs.c.content_sha256 == digest,
                            import_jobs.c.kind == request.kind,
                            import_jobs.c.state.in_(
                                [
                                    QUEUED,
                                    RUNNING,
                                    tag_service_pb2.IMPORT_STATE_SUCCEEDED,
                                    tag_service_pb2.IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS,
                                ]
                            ),
                            import_jobs.c.dry_run.is_(False),
                        )
                        .order_by(import_jobs.c.started_at)
                        .limit(1)
                    )
                ).first()
                if existing is not None:
                    return existing  # the same file again: idempotent
            row = (
                await session.execute(
                    import_jobs.insert()
                    .values(
                        job_id=f"imp_{uuid.uuid4().hex[:16]}",
                        kind=request.kind,
                        format=request.format,
                        source_uri=str(path),
                        state=QUEUED,
                        content_sha256=digest,
                        business_date=business_date,
                        dry_run=request.dry_run,
                        requested_by=caller.subject,
                    )
                    .returning(*import_jobs.c)
                )
            ).one()
        self.launch(row.job_id)
        return row

    async def get(self, caller: Caller, job_id: str) -> Any:
        _require(caller, READERS, "read imports")
        row = await self._load(job_id)
        if row.state in (QUEUED, RUNNING) and job_id not in self._tasks and self._lease_expired(row):
            log.warning("import %s lost its process; resuming it here", job_id)
            self.launch(job_id)
        return row

    def _lease_expired(self, row: Any) -> bool:
        seen = row.heartbeat_at or row.started_at
        return bool(dt.datetime.now(dt.UTC) - seen > dt.timedelta(seconds=self.lease))

    async def _load(self, job_id: str) -> Any:
        async with self._sessions() as session:
            row = (
                await session.execute(sa.select(import_jobs).where(import_jobs.c.job_id == job_id))
            ).first()
        if row is None:
            raise NotFound("import job", job_id)
        return row

    def launch(self, job_id: str) -> None:
        if job_id in self._tasks:
            return
        task = asyncio.create_task(self._run(job_id), name=f"import-{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda _task: self._tasks.pop(job_id, None))

    async def _claim(self, job_id: str) -> Any:
        """Take the job unless another process holds a live lease on it."""
        async with self._sessions() as session, session.begin():
            return (
                await session.execute(
                    import_jobs.update()
                    .where(
                        import_jobs.c.job_id == job_id,
                        sa.or_(
                            import_jobs.c.state == QUEUED,
                            sa.and_(
                                import_jobs.c.state == RUNNING,
                                sa.func.coalesce(import_jobs.c.heartbeat_at, import_jobs.c.started_at)
                                < sa.func.now() - sa.func.make_interval(0, 0, 0, 0, 0, 0, self.lease),
                            ),
                        ),
                    )
                    .values(state=RUNNING, heartbeat_at=sa.func.now())
                    .returning(*import_jobs.c)
                )
            ).first()

    async def _run(self, job_id: str) -> None:
        job = await self._claim(job_id)
        if job is None:
            return
        try:
            await run_import(
                self._runtime.ctx.engine,
                self._runtime.cipher,
                Path(job.source_uri),
                kind=job.kind,
                file_format=job.format,
                dry_run=job.dry_run,
                business_date=job.business_date,
                job_id=job_id,
            )
        except (ImportFailed, OSError) as error:
            log.warning("import %s failed: %s", job_id, error)
            await self._fail(job_id, str(error))
        except Exception as error:
            log.exception("import %s failed", job_id)
            await self._fail(job_id, f"{type(error).__name__}: {error}")

    async def _fail(self, job_id: str, message: str) -> None:
        """A job that failed before the import could record it (e.g. its file vanished) is marked
        FAILED here, so that polls do not resume it forever."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                import_jobs.update()
                .where(import_jobs.c.job_id == job_id, import_jobs.c.state == RUNNING)
                .values(
                    state=tag_service_pb2.IMPORT_STATE_FAILED, error=message[:2000], finished_at=sa.func.now()
                )
            )

    async def wait(self) -> None:
        """For tests and shutdown: until every import of this process has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)


async def list_rejections(
    session: AsyncSession, caller: Caller, request: tag_service_pb2.ListImportRejectionsRequest
) -> tag_service_pb2.ListImportRejectionsResponse:
    _require(caller, READERS, "read imports")
    job = (
        await session.execute(
            sa.select(import_jobs.c.rows_rejected).where(import_jobs.c.job_id == request.job_id)
        )
    ).first()
    if job is None:
        raise NotFound("import job", request.job_id)
    if request.page.page_size < 0:
        raise InvalidArgument("page.page_size", "must not be negative")
    size = min(request.page.page_size or DEFAULT_PAGE, MAX_PAGE)
    after = 0
    if request.page.page_token:
        try:
            after = int(base64.urlsafe_b64decode(request.page.page_token.encode()).decode())
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidArgument("page.page_token", "not a token from a previous page") from error
    rows = (
        await session.execute(
            sa.select(import_rejections)
            .where(import_rejections.c.job_id == request.job_id, import_rejections.c.row_number > after)
            .order_by(import_rejections.c.row_number)
            .limit(size + 1)
        )
    ).all()
    page = rows[:size]
    token = base64.urlsafe_b64encode(str(page[-1].row_number).encode()).decode() if len(rows) > size else ""
    return tag_service_pb2.ListImportRejectionsResponse(
        rejections=[
            tag_service_pb2.ImportRejection(
                row_number=row.row_number, column=row.column_name, reason=row.reason, raw=row.raw
            )
            for row in page
        ],
        page=paging_pb2.PageResponse(next_page_token=token, total_size=job.rows_rejected),
    )
