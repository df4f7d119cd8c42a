"""Imports as background jobs over real gRPC and PostgreSQL: progress, rejected-row report,
idempotent re-runs, dry runs, the announced customer changes, resuming a job whose process died,
the audience index following moves made by an import, and refused input."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from lingxi.common.v1 import date_pb2, paging_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_tag.main import DEFINITION
from lingxi_tag.models import outbox
from lingxi_tag.runtime import runtime_for

pytestmark = pytest.mark.integration

HQ = Caller(subject="u-hq", role=Role.HQ_OPERATOR)
CSV = tag_service_pb2.IMPORT_FORMAT_CSV
CUSTOMERS = tag_service_pb2.IMPORT_KIND_CUSTOMERS
DONE = (
    tag_service_pb2.IMPORT_STATE_SUCCEEDED,
    tag_service_pb2.IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS,
    tag_service_pb2.IMPORT_STATE_FAILED,
)
HEADER = "customer_id,branch_id,advisor_id,risk_level,opened_on,phone\n"


@pytest.fixture
async def tag(database_url: str, restartable_nats: Any, tmp_path: Path) -> AsyncIterator[ServiceRunner]:
    async with running_service(
        DEFINITION,
        database_url=database_url,
        nats_url=restartable_nats.url,
        import_dir=str(tmp_path),
        import_lease_seconds=1.0,
        index_refresh_seconds=0.05,
    ) as runner:
        yield runner


def api(runner: ServiceRunner, caller: Caller = HQ) -> tag_service_pb2_grpc.TagServiceStub:
    return tag_service_pb2_grpc.TagServiceStub(channel_to(runner, caller))


async def finished(runner: ServiceRunner, job_id: str, timeout: float = 30.0) -> tag_service_pb2.ImportJob:
    deadline = time.monotonic() + timeout
    while True:
        job = (await api(runner).GetImport(tag_service_pb2.GetImportRequest(job_id=job_id))).job
        if job.state in DONE:
            return job
        assert time.monotonic() < deadline, f"import {job_id} still {job.state}"
        await asyncio.sleep(0.05)


async def start(runner: ServiceRunner, name: str, **extra: Any) -> tag_service_pb2.ImportJob:
    request = tag_service_pb2.StartImportRequest(
        kind=extra.pop("kind", CUSTOMERS), format=CSV, source_uri=name, **extra
    )
    return (await api(runner).StartImport(request)).job


async def customer_events(runner: ServiceRunner) -> list[tag_events_pb2.CustomerChanged]:
    async with runner.context.engine.connect() as connection:
        rows = (
            await connection.execute(
                sa.select(outbox.c.payload)
                .where(outbox.c.subject == "lingxi.tag.customer.changed")
                .order_by(outbox.c.seq)
            )
        ).all()
    return [tag_events_pb2.CustomerChanged.FromString(row.payload) for row in rows]


async def test_import_job_reports_progress_rejections_and_announces_changes(
    tag: ServiceRunner, tmp_path: Path
) -> None:
    (tmp_path / "day1.csv").write_text(
        HEADER
        + "C1,B01,A01,C3,2020-01-02,13812345678\n"
        + "C2,B01,,C9,2020-01-02,\n"
        + "C3,B02,A02,C2,2021-02-30,\n"
        + "C4,B02,A02,C1,2021-05-06,12345\n"
        + "C5,B03,,,,13900000000\n",
        encoding="utf-8",
    )
    job = await start(tag, "day1.csv", business_date=date_pb2.Date(year=2026, month=11, day=22))
    assert job.job_id and job.state in (
        tag_service_pb2.IMPORT_STATE_QUEUED,
        tag_service_pb2.IMPORT_STATE_RUNNING,
    )
    done = await finished(tag, job.job_id)
    assert done.state == tag_service_pb2.IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS
    assert (done.rows_total, done.rows_done, done.rows_rejected, done.rows_changed) == (5, 2, 3, 2)
    assert done.business_date.day == 22 and done.content_sha256 and done.HasField("finished_at")
    page = await api(tag).ListImportRejections(
        tag_service_pb2.ListImportRejectionsRequest(
            job_id=job.job_id, page=paging_pb2.PageRequest(page_size=2)
        )
    )
    rest = await api(tag).ListImportRejections(
        tag_service_pb2.ListImportRejectionsRequest(
            job_id=job.job_id, page=paging_pb2.PageRequest(page_token=page.page.next_page_token)
        )
    )
    rejections = [*page.rejections, *rest.rejections]
    assert [(r.row_number, r.column) for r in rejections] == [
        (2, "risk_level"),
        (3, "opened_on"),
        (4, "phone"),
    ]
    assert "2021-02-30" in rejections[1].reason and page.page.total_size == 3
    assert "12345" not in rejections[2].raw  # PII masked in the report
    created = await customer_events(tag)
    assert sorted((e.customer_id, e.kind, e.version) for e in created) == [
        ("C1", tag_events_pb2.CHANGE_KIND_CREATED, 1),
        ("C5", tag_events_pb2.CHANGE_KIND_CREATED, 1),
    ]
    assert created[0].risk_level in (0, 3) and "13812345678" not in str(created)
    assert all(e.meta.producer == "tag" and e.meta.correlation_id == f"import:{job.job_id}" for e in created)

    # The same file again is the same job; a changed extract only touches and announces what changed.
    again = await start(tag, "day1.csv")
    assert again.job_id == job.job_id
    (tmp_path / "day2.csv").write_text(
        HEADER + "C1,B09,A01,C3,2020-01-02,13812345678\n" + "C5,B03,,,,13900000000\n", encoding="utf-8"
    )
    second = await finished(tag, (await start(tag, "day2.csv")).job_id)
    assert (second.rows_done, second.rows_changed, second.rows_rejected) == (2, 1, 0)
    assert second.state == tag_service_pb2.IMPORT_STATE_SUCCEEDED
    updated = (await customer_events(tag))[2:]
    assert [(e.customer_id, e.kind, list(e.changed_fields), e.version, e.branch_id) for e in updated] == [
        ("C1", tag_events_pb2.CHANGE_KIND_UPDATED, ["branch_id"], 2, "B09")
    ]
    # ... and the audience index moves C1 to its new branch without a restart.
    index = runtime_for(tag.context).index
    deadline = time.monotonic() + 20
    while "B09" not in index.branches or len(index.branches["B09"]) != 1:
        assert time.monotonic() < deadline, "index did not follow the move"
        await index.refresh()
        await asyncio.sleep(0.05)
    assert len(index.branches.get("B01", [])) == 0


async def test_dry_run_reports_without_writing_and_orphans_are_rejected(
    tag: ServiceRunner, tmp_path: Path
) -> None:
    (tmp_path / "c.csv").write_text(HEADER + "C1,B01,A01,C3,,\nC2,B01,,bad,,\n", encoding="utf-8")
    dry = await finished(tag, (await start(tag, "c.csv", dry_run=True)).job_id)
    assert (dry.rows_done, dry.rows_rejected, dry.rows_changed) == (1, 1, 0) and dry.dry_run
    async with tag.context.engine.connect() as connection:
        assert (await connection.execute(sa.text("SELECT count(*) FROM tag.customers"))).scalar_one() == 0
    await finished(tag, (await start(tag, "c.csv")).job_id)
    (tmp_path / "accounts.csv").write_text(
        "account_id,customer_id,account_type,total_assets,maintenance_ratio\n"
        "F1,C1,cash,1000.5,\n"
        "F2,NOPE,margin,10,1.5\n"
        "F3,C1,margin,10,123456789\n"
        "F4,C1,savings,10,\n",
        encoding="utf-8",
    )
    accounts = await finished(
        tag, (await start(tag, "accounts.csv", kind=tag_service_pb2.IMPORT_KIND_ACCOUNTS)).job_id
    )
    assert (accounts.rows_done, accounts.rows_rejected) == (1, 3)
    report = await api(tag).ListImportRejections(
        tag_service_pb2.ListImportRejectionsRequest(job_id=accounts.job_id)
    )
    assert [(r.row_number, r.column, r.reason) for r in report.rejections] == [
        (2, "customer_id", "unknown customer"),
        (3, "maintenance_ratio", "out of range for numeric(12,4)"),
        (4, "account_type", "one of cash, margin, fund: 'savings'"),
    ]


async def test_a_job_whose_process_died_is_resumed_by_the_next_poll(
    tag: ServiceRunner, tmp_path: Path
) -> None:
    path = tmp_path / "late.csv"
    path.write_text(HEADER + "C7,B01,A01,C3,,\n", encoding="utf-8")
    async with tag.context.engine.begin() as connection:  # what a crashed replica leaves behind
        await connection.execute(
            sa.text(
                "INSERT INTO tag.import_jobs "
                "(job_id, kind, format, source_uri, state, content_sha256, heartbeat_at) "
                "VALUES ('imp_orphan', 1, 1, :uri, 2, '', now() - interval '1 hour')"
            ),
            {"uri": str(path)},
        )
    done = await finished(tag, "imp_orphan")
    assert done.state == tag_service_pb2.IMPORT_STATE_SUCCEEDED and done.rows_changed == 1
    # A resumed job whose file has gone fails once, with the reason, instead of being retried forever.
    async with tag.context.engine.begin() as connection:
        await connection.execute(
            sa.text(
                "INSERT INTO tag.import_jobs "
                "(job_id, kind, format, source_uri, state, content_sha256, heartbeat_at) "
                "VALUES ('imp_gone', 1, 1, :uri, 2, '', now() - interval '1 hour')"
            ),
            {"uri": str(tmp_path / "deleted.csv")},
        )
    gone = await finished(tag, "imp_gone")
    assert gone.state == tag_service_pb2.IMPORT_STATE_FAILED and "deleted.csv" in gone.error


async def test_refused_imports_name_the_field(tag: ServiceRunner, tmp_path: Path) -> None:
    (tmp_path / "ok.csv").write_text(HEADER, encoding="utf-8")
    (tmp_path.parent / "outside.csv").write_text(HEADER, encoding="utf-8")
    cases = [
        (tag_service_pb2.StartImportRequest(format=CSV, source_uri="ok.csv"), "kind"),
        (tag_service_pb2.StartImportRequest(kind=CUSTOMERS, source_uri="ok.csv"), "format"),
        (
            tag_service_pb2.StartImportRequest(kind=CUSTOMERS, format=CSV, source_uri="../outside.csv"),
            "source_uri",
        ),
        (
            tag_service_pb2.StartImportRequest(kind=CUSTOMERS, format=CSV, source_uri="missing.csv"),
            "source_uri",
        ),
        (
            tag_service_pb2.StartImportRequest(kind=CUSTOMERS, format=CSV, source_uri="s3://bucket/x.csv"),
            "source_uri",
        ),
        (
            tag_service_pb2.StartImportRequest(
                kind=CUSTOMERS,
                format=CSV,
                source_uri="ok.csv",
                business_date=date_pb2.Date(year=2026, month=13, day=1),
            ),
            "business_date",
        ),
    ]
    for request, field in cases:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await api(tag).StartImport(request)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, field
        assert refused.value.details().startswith(f"{field}:")
    advisor = Caller(subject="a", role=Role.ADVISOR, advisor_id="A01")
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await api(tag, advisor).StartImport(cases[0][0])
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await api(tag).GetImport(tag_service_pb2.GetImportRequest(job_id="imp_nope"))
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    (tmp_path / "nocolumn.csv").write_text("customer_id,city\nC1,上海\n", encoding="utf-8")
    failed = await finished(tag, (await start(tag, "nocolumn.csv")).job_id)
    assert failed.state == tag_service_pb2.IMPORT_STATE_FAILED and "branch_id" in failed.error
