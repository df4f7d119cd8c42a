"""Series imports as background jobs, and index constituents with the TRACKS_INDEX relation."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa
from product_testkit import (
    a_fund,
    d,
    finished_import,
    nav_path,
    product_service,
    products_api,
    run_import,
    write_csv,
)

from lingxi.product.v1 import analytics_pb2, product_pb2, product_service_pb2
from lingxi_common.errors import field_violations
from lingxi_common.service import ServiceRunner
from lingxi_product.models import index_constituents, series_imports, series_points

pytestmark = pytest.mark.integration
PS = product_service_pb2
CONSTITUENTS = analytics_pb2.SERIES_KIND_INDEX_CONSTITUENTS


@pytest.fixture
async def svc(database_url: str, restartable_nats) -> AsyncIterator[ServiceRunner]:
    async with product_service(
        database_url, restartable_nats.url, import_poll_seconds=0.1, import_stale_seconds=5
    ) as runner:
        yield runner


async def test_start_answers_at_once_and_the_job_reports_progress(svc: ServiceRunner, tmp_path: Path) -> None:
    api = products_api(svc)
    await api.CreateProduct(PS.CreateProductRequest(product=a_fund("510001")))
    rows = [
        ("510001", day, value) for day, value in nav_path(date(2025, 1, 2), 300, drift=0.0005, wiggle=0.02)
    ]
    started = (
        await api.StartSeriesImport(
            PS.StartSeriesImportRequest(
                kind=analytics_pb2.SERIES_KIND_NAV, source_uri=str(write_csv(tmp_path / "nav.csv", rows))
            )
        )
    ).job
    assert started.state == PS.SERIES_IMPORT_STATE_QUEUED and started.rows_done == 0
    assert started.created_at.seconds > 0 and not started.HasField("finished_at")
    job = await finished_import(api, started.job_id)
    assert job.state == PS.SERIES_IMPORT_STATE_SUCCEEDED and (job.rows_total, job.rows_done) == (300, 300)
    assert job.started_at.seconds > 0 and job.finished_at.ToDatetime() >= job.started_at.ToDatetime()
    assert len(job.content_sha256) == 64
    dry = await run_import(
        api,
        PS.StartSeriesImportRequest(
            kind=analytics_pb2.SERIES_KIND_NAV,
            source_uri=str(
                write_csv(tmp_path / "more.csv", [("510001", "2026-06-01", "1.5"), ("X", "2026-06-01", "1")])
            ),
            dry_run=True,
        ),
    )
    assert dry.dry_run and (dry.rows_done, dry.rows_rejected) == (1, 1)
    async with svc.context.engine.connect() as connection:
        stored = (
            await connection.execute(sa.select(sa.func.count()).select_from(series_points))
        ).scalar_one()
    assert stored == 300  # the dry run wrote nothing


async def test_a_file_that_cannot_be_read_fails_the_job_with_the_reason(
    svc: ServiceRunner, tmp_path: Path
) -> None:
    path = tmp_path / "no_value.csv"
    path.write_text("product_code,trade_date\n510001,2025-01-02\n", encoding="utf-8")
    job = await run_import(
        products_api(svc),
        PS.StartSeriesImportRequest(kind=analytics_pb2.SERIES_KIND_NAV, source_uri=str(path)),
    )
    assert job.state == PS.SERIES_IMPORT_STATE_FAILED and "no column named any of value" in job.error
    with pytest.raises(grpc.aio.AioRpcError) as bad_kind:
        await products_api(svc).StartSeriesImport(PS.StartSeriesImportRequest(source_uri=str(path)))
    assert [f for f, _ in field_violations(bad_kind.value)] == ["kind"]


async def test_an_abandoned_job_is_taken_over(svc: ServiceRunner, tmp_path: Path) -> None:
    """A job left RUNNING by a process that died is claimed again once its heartbeat is stale."""
    await products_api(svc).CreateProduct(PS.CreateProductRequest(product=a_fund("510001")))
    path = write_csv(
        tmp_path / "nav.csv", [("510001", "2025-01-02", "1.0"), ("510001", "2025-01-03", "1.01")]
    )
    job_id = uuid.uuid4()
    async with svc.context.engine.begin() as connection:
        await connection.execute(
            series_imports.insert().values(
                job_id=job_id,
                kind=analytics_pb2.SERIES_KIND_NAV,
                format=PS.SERIES_IMPORT_FORMAT_CSV,
                source_uri=str(path),
                dry_run=False,
                state=PS.SERIES_IMPORT_STATE_RUNNING,
                content_sha256="",
                rows_total=0,
                rows_done=0,
                rows_rejected=0,
                series_with_gaps=0,
                error="",
                attempts=1,
                heartbeat_at=sa.func.now() - timedelta(minutes=10),
            )
        )
    job = await finished_import(products_api(svc), str(job_id))
    assert job.state == PS.SERIES_IMPORT_STATE_SUCCEEDED and job.rows_done == 2
    async with svc.context.engine.connect() as connection:
        attempts = (
            await connection.execute(
                sa.select(series_imports.c.attempts).where(series_imports.c.job_id == job_id)
            )
        ).scalar_one()
    assert attempts == 2


CONSTITUENT_ROWS = [
    "000300.SH,2026-06-01,600519.SH,贵州茅台,0.0500,FOOD_BEV",
    "000300.SH,2026-06-01,601318.SH,中国平安,0.0300,INSURANCE",
    "000300.SH,2026-06-01,600036.SH,招商银行,0,BANK",  # non-positive
    "000300.SH,2026-06-01,600000.SH,浦发银行,1.5,BANK",  # above one
    "000300.SH,2026-06-01,600519.SH,贵州茅台,0.0500,FOOD_BEV",  # duplicate
    "999999.XX,2026-06-01,600519.SH,贵州茅台,0.05,FOOD_BEV",  # unknown index
    "000300.SH,2026-13-01,600519.SH,贵州茅台,0.05,FOOD_BEV",  # bad date
    "000905.SH,2026-06-01,600519.SH,贵州茅台,0.7,FOOD_BEV",  # these two add up to 120%
    "000905.SH,2026-06-01,000858.SZ,五粮液,0.5,FOOD_BEV",
]


def constituent_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(
        "index_code,effective_date,security_code,security_name,weight,sector_code\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


async def test_index_constituents_import_and_the_tracks_index_relation(
    svc: ServiceRunner, tmp_path: Path
) -> None:
    api = products_api(svc)
    for code, name in (("000300.SH", "沪深300"), ("000905.SH", "中证500")):
        await api.UpsertBenchmark(
            PS.UpsertBenchmarkRequest(benchmark=analytics_pb2.Benchmark(code=code, name=name))
        )
    # An index fund tracking CSI 300 without the stock among its reported top holdings...
    tracker = a_fund(
        "510300",
        name="沪深300ETF",
        fund_category=product_pb2.FUND_CATEGORY_ETF,
        tracking_index_code="000300.SH",
        top_holdings=[],
        sector_exposures=[],
    )
    await api.CreateProduct(PS.CreateProductRequest(product=tracker))
    # ...and an active fund that holds it directly.
    await api.CreateProduct(PS.CreateProductRequest(product=a_fund("163001", tracking_index_code="")))
    path = constituent_csv(tmp_path / "members.csv", CONSTITUENT_ROWS)
    job = await run_import(api, PS.StartSeriesImportRequest(kind=CONSTITUENTS, source_uri=str(path)))
    assert job.state == PS.SERIES_IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS
    assert (job.rows_total, job.rows_done, job.rows_rejected) == (9, 2, 7)
    rejected = await api.ListSeriesImportRejections(PS.ListSeriesImportRejectionsRequest(job_id=job.job_id))
    assert [(r.row_number, r.reason_code) for r in rejected.rejections] == [
        (3, "non_positive_value"),
        (4, "weight_above_one"),
        (5, "duplicate_security"),
        (6, "unknown_code"),
        (7, "bad_format"),
        (8, "weights_exceed_one"),
        (9, "weights_exceed_one"),
    ]
    listed = await api.ListIndexConstituents(PS.ListIndexConstituentsRequest(index_code="000300.SH"))
    assert [(c.security_code, c.weight.value) for c in listed.constituents] == [
        ("600519.SH", "0.05000000"),
        ("601318.SH", "0.03000000"),
    ]
    assert (listed.effective_date.year, listed.effective_date.month) == (2026, 6)

    related = await api.ListRelatedProducts(PS.ListRelatedProductsRequest(security_code="600519.SH"))
    kinds = {p.product.product_id: (p.relation, p.weight.value) for p in related.products}
    assert kinds == {
        "F510300": (PS.RELATION_KIND_TRACKS_INDEX_WITH_STOCK, "0.05000000"),
        "F163001": (PS.RELATION_KIND_HOLDS_STOCK, "0.12"),
    }
    only_tracks = await api.ListRelatedProducts(
        PS.ListRelatedProductsRequest(
            security_code="601318.SH", relations=[PS.RELATION_KIND_TRACKS_INDEX_WITH_STOCK]
        )
    )
    assert [p.product.product_id for p in only_tracks.products] == ["F510300"]

    # Importing the same file again changes nothing.
    async with svc.context.engine.connect() as connection:
        before = (await connection.execute(sa.select(index_constituents).order_by("security_code"))).all()
    await run_import(api, PS.StartSeriesImportRequest(kind=CONSTITUENTS, source_uri=str(path)))
    async with svc.context.engine.connect() as connection:
        after = (await connection.execute(sa.select(index_constituents).order_by("security_code"))).all()
    assert before == after and len(after) == 2

    # A later list in which the stock left the index ends the relation from its effective date.
    later = constituent_csv(
        tmp_path / "later.csv", ["000300.SH,2026-09-01,601318.SH,中国平安,0.0400,INSURANCE"]
    )
    await run_import(api, PS.StartSeriesImportRequest(kind=CONSTITUENTS, source_uri=str(later)))
    now = await api.ListRelatedProducts(PS.ListRelatedProductsRequest(security_code="600519.SH"))
    assert [p.product.product_id for p in now.products] == ["F163001"]
    earlier = await api.ListIndexConstituents(
        PS.ListIndexConstituentsRequest(index_code="000300.SH", as_of=d(date(2026, 7, 1)))
    )
    assert len(earlier.constituents) == 2
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await api.ListIndexConstituents(PS.ListIndexConstituentsRequest(index_code="000905.SH"))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
