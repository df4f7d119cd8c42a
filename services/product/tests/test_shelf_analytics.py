"""NAV import → metrics → evaluation → tags → selection → related products, over real services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import grpc
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from product_testkit import (
    HQ,
    a_fund,
    nav_path,
    outbox_events,
    product_service,
    products_api,
    run_import,
    write_csv,
)

from lingxi.common.v1 import date_pb2
from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import analytics_pb2, product_pb2, product_service_pb2
from lingxi_common.errors import field_violations
from lingxi_common.service import ServiceRunner

pytestmark = pytest.mark.integration
PS = product_service_pb2
START = date(2024, 11, 1)
DAYS = 540  # a bit over two years of business days


@pytest.fixture
async def svc(database_url: str, restartable_nats) -> AsyncIterator[ServiceRunner]:
    async with product_service(database_url, restartable_nats.url) as runner:
        yield runner


async def shelf(svc: ServiceRunner, tmp_path: Path) -> dict[str, list[tuple[date, str]]]:
    api = products_api(svc)
    await api.UpsertBenchmark(
        PS.UpsertBenchmarkRequest(
            benchmark=analytics_pb2.Benchmark(
                code="000300.SH", name="沪深300", default_for_category=product_pb2.FUND_CATEGORY_INDEX
            )
        )
    )
    paths = {
        "510001": nav_path(START, DAYS, drift=0.0008, wiggle=0.02),
        "510002": nav_path(START, DAYS, drift=0.0003, wiggle=0.03),
        "510003": nav_path(START, DAYS, drift=-0.0002, wiggle=0.05),
    }
    for code in paths:
        await api.CreateProduct(PS.CreateProductRequest(product=a_fund(code)))
    index = nav_path(START, DAYS, drift=0.0002, wiggle=0.01, base=3800.0)
    index_csv = tmp_path / "index.csv"
    index_csv.write_text(
        "code,date,close\n" + "".join(f"000300.SH,{day},{value}\n" for day, value in index), encoding="utf-8"
    )
    job = await run_import(
        api,
        PS.StartSeriesImportRequest(kind=analytics_pb2.SERIES_KIND_INDEX_CLOSE, source_uri=str(index_csv)),
    )
    assert job.rows_rejected == 0 and job.rows_done == DAYS
    return paths


async def test_import_rejects_bad_rows_keeps_good_ones_and_is_idempotent(
    svc: ServiceRunner, tmp_path: Path
) -> None:
    paths = await shelf(svc, tmp_path)
    rows = [(code, day, value) for code, points in paths.items() for day, value in points]
    # Leave a hole of 10 business days in 510003 (a gap to flag, not a rejection).
    rows = [r for r in rows if not (r[0] == "510003" and date(2025, 3, 3) <= r[1] <= date(2025, 3, 14))]
    bad = [
        ("510001", "2026-12-01", "0"),  # non-positive
        ("510001", paths["510001"][5][0], "1.0"),  # duplicate date
        ("510002", "2020-01-02", "1.0"),  # out of order (after later dates in the file)
        ("999999", "2025-01-02", "1.0"),  # unknown code
        ("510002", "2025-13-45", "1.0"),  # bad date
        ("510002", "2026-12-02", "abc"),  # bad value
    ]
    csv_path = write_csv(tmp_path / "nav.csv", rows + bad)
    api = products_api(svc)
    first = await run_import(
        api, PS.StartSeriesImportRequest(kind=analytics_pb2.SERIES_KIND_NAV, source_uri=str(csv_path))
    )
    assert first.state == PS.SERIES_IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS
    assert first.rows_total == len(rows) + 6 and first.rows_rejected == 6 and first.rows_done == len(rows)
    assert first.series_with_gaps == 1
    rejected = await api.ListSeriesImportRejections(PS.ListSeriesImportRejectionsRequest(job_id=first.job_id))
    assert [r.reason_code for r in rejected.rejections] == [
        "non_positive_value",
        "duplicate_date",
        "out_of_order_date",
        "unknown_code",
        "bad_format",
        "bad_format",
    ]
    assert (
        rejected.rejections[0].row_number == len(rows) + 1 and rejected.rejections[3].series_code == "999999"
    )
    navs = [product_events_pb2.NavUpdated.FromString(p) for p in await outbox_events(svc, "NavUpdated")]
    assert sorted((e.product.product_code, e.points_added) for e in navs) == [
        ("510001", DAYS),
        ("510002", DAYS),
        ("510003", DAYS - 10),
    ]
    last = next(e for e in navs if e.product.product_code == "510001")
    assert last.nav.value == str(Decimal(paths["510001"][-1][1]).quantize(Decimal("0.000001")))
    again = await run_import(
        api, PS.StartSeriesImportRequest(kind=analytics_pb2.SERIES_KIND_NAV, source_uri=str(csv_path))
    )
    assert again.rows_rejected == 6 and again.content_sha256 == first.content_sha256
    assert len(await outbox_events(svc, "NavUpdated")) == 3  # nothing changed, nothing announced
    series = await api.GetSeries(
        PS.GetSeriesRequest(kind=analytics_pb2.SERIES_KIND_NAV, series_code="F510003")
    )
    assert len(series.points) == DAYS - 10 and [(g.year, g.month, g.day) for g in series.gaps] == [
        (2025, 2, 28)
    ]
    product = await api.GetProduct(PS.GetProductRequest(product_id="F510001"))
    assert product.product.latest_nav.value == str(
        Decimal(paths["510001"][-1][1]).quantize(Decimal("0.000001"))
    )


async def test_parquet_import_and_inline_points(svc: ServiceRunner, tmp_path: Path) -> None:
    await shelf(svc, tmp_path)
    table = pa.table(
        {
            "product_code": ["510001", "510001", "510001"],
            "trade_date": [date(2025, 1, 2), date(2025, 1, 3), date(2025, 1, 6)],
            "unit_nav": ["1.0000", "1.0100", "-1"],
            "accumulated_nav": ["1.2000", "1.2100", "1.3"],
        }
    )
    path = tmp_path / "nav.parquet"
    pq.write_table(table, path)
    job = await run_import(
        products_api(svc),
        PS.StartSeriesImportRequest(kind=analytics_pb2.SERIES_KIND_NAV, source_uri=str(path)),
    )
    assert job.format == PS.SERIES_IMPORT_FORMAT_PARQUET and job.rows_done == 2 and job.rows_rejected == 1
    inline = await products_api(svc).UpsertSeriesPoints(
        PS.UpsertSeriesPointsRequest(
            kind=analytics_pb2.SERIES_KIND_NAV,
            series_code="510001",
            points=[
                analytics_pb2.SeriesPoint(
                    trade_date=date_pb2.Date(year=2025, month=1, day=7), value={"value": "1.02"}
                ),
                analytics_pb2.SeriesPoint(
                    trade_date=date_pb2.Date(year=2025, month=1, day=8), value={"value": "0"}
                ),
            ],
        )
    )
    assert inline.upserted == 1 and [(r.point_index, r.reason_code) for r in inline.rejections] == [
        (1, "non_positive_value")
    ]
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await products_api(svc).StartSeriesImport(
            PS.StartSeriesImportRequest(
                kind=analytics_pb2.SERIES_KIND_NAV, source_uri=str(tmp_path / "none.csv")
            )
        )
    assert [f for f, _ in field_violations(missing.value)] == ["source_uri"]


async def test_metrics_evaluation_tags_selection_and_relations(svc: ServiceRunner, tmp_path: Path) -> None:
    paths = await shelf(svc, tmp_path)
    rows = [(code, day, value) for code, points in paths.items() for day, value in points]
    api = products_api(svc)
    await run_import(
        api,
        PS.StartSeriesImportRequest(
            kind=analytics_pb2.SERIES_KIND_NAV, source_uri=str(write_csv(tmp_path / "n.csv", rows))
        ),
    )
    # The import queued a RecomputeMetricsCommand; the service's own consumer executes it.
    for _ in range(100):
        metrics = await api.GetProductMetrics(PS.GetProductMetricsRequest(product_id="F510001"))
        if metrics.metrics:
            break
        await asyncio.sleep(0.1)
    windows = {m.window: m for m in metrics.metrics}
    assert set(windows) == {1, 2, 3, 4, 6, 7}  # 3Y needs more history than two years
    one_year = windows[analytics_pb2.METRIC_WINDOW_1Y]
    as_of = paths["510001"][-1][0]
    base = [v for day, v in paths["510001"] if day <= date(as_of.year - 1, as_of.month, as_of.day)][-1]
    expected = Decimal(paths["510001"][-1][1]) / Decimal(base) - 1
    assert abs(Decimal(one_year.cumulative_return.value) - expected) < Decimal("0.00000002")
    assert one_year.benchmark_code == "000300.SH" and one_year.excess_return.value
    assert Decimal(one_year.max_drawdown.value) > 0 and one_year.drawdown_peak_on.year > 0
    recomputed = await api.RecomputeMetrics(PS.RecomputeMetricsRequest())
    assert recomputed.products == 3

    ranking = await api.ListFundRankings(PS.ListFundRankingsRequest(category=product_pb2.FUND_CATEGORY_INDEX))
    assert ranking.evaluations[0].product_id == "F510001"
    assert [e.rank for e in ranking.evaluations] == [1, 2, 3]
    assert [e.top_quantile for e in ranking.evaluations] == [True, False, False]
    evaluation = await api.GetFundEvaluation(PS.GetFundEvaluationRequest(product_id="F510001"))
    assert [c.name for c in evaluation.evaluation.components] == [
        "return",
        "risk",
        "drawdown",
        "consistency",
        "cost",
    ]
    assert evaluation.evaluation.components[0].weight.value == "0.3"

    tags = {
        t.code: t for t in (await api.ListProductTags(PS.ListProductTagsRequest(product_id="F510001"))).tags
    }
    assert (
        tags["risk"].value == "R3"
        and tags["category"].value == "index"
        and tags["sector"].value == "FOOD_BEV"
    )
    assert tags["perf_quantile"].value == "top50"  # rank 1 of 3 = 33rd percentile
    assert tags["style"].value == "passive"
    await api.SetProductTag(
        PS.SetProductTagRequest(product_id="F510002", code="perf_quantile", value="top20")
    )
    await api.SetProductTag(PS.SetProductTagRequest(product_id="F510002", code="theme", value="consumption"))
    overridden = {
        t.code: t for t in (await api.ListProductTags(PS.ListProductTagsRequest(product_id="F510002"))).tags
    }
    assert (
        overridden["perf_quantile"].value == "top20"
        and overridden["perf_quantile"].source == analytics_pb2.TAG_SOURCE_MANUAL
    )

    selected = await api.SelectProducts(
        PS.SelectProductsRequest(
            expression='category == "index" && risk <= 3 && (top_quantile || perf_quantile == "top20")'
        )
    )
    assert [p.product_id for p in selected.products] == ["F510001", "F510002"]
    themed = await api.SelectProducts(PS.SelectProductsRequest(expression='tags["theme"] == "consumption"'))
    assert [p.product_id for p in themed.products] == ["F510002"]
    for expression in ("risk <=", 'nonexistent_var == "x"', "risk + 1"):
        with pytest.raises(grpc.aio.AioRpcError) as bad:
            await api.SelectProducts(PS.SelectProductsRequest(expression=expression))
        assert [f for f, _ in field_violations(bad.value)] == ["expression"]
    await api.RemoveProductTag(PS.RemoveProductTagRequest(product_id="F510002", code="perf_quantile"))
    restored = {
        t.code: t for t in (await api.ListProductTags(PS.ListProductTagsRequest(product_id="F510002"))).tags
    }
    assert restored["perf_quantile"].source == analytics_pb2.TAG_SOURCE_COMPUTED

    related = await api.ListRelatedProducts(PS.ListRelatedProductsRequest(security_code="600519.SH"))
    assert [r.product.product_id for r in related.products] == ["F510001", "F510002", "F510003"]
    assert (
        related.products[0].relation == PS.RELATION_KIND_HOLDS_STOCK
        and related.products[0].weight.value == "0.12"
    )
    top_only = await api.ListRelatedProducts(
        PS.ListRelatedProductsRequest(security_code="600519.SH", top_quantile_only=True)
    )
    assert [r.product.product_id for r in top_only.products] == ["F510001"]

    updated = [
        product_events_pb2.EvaluationUpdated.FromString(p)
        for p in await outbox_events(svc, "EvaluationUpdated")
    ]
    assert updated[0].funds_ranked == 3 and list(updated[0].entered_top_product_ids) == ["F510001"]


async def test_evaluation_model_versions(svc: ServiceRunner) -> None:
    api = products_api(svc)
    active = (await api.GetEvaluationModel(PS.GetEvaluationModelRequest())).model
    assert active.version == 1 and active.active and active.return_weight.value == "0.3"
    model = analytics_pb2.EvaluationModel(
        window=analytics_pb2.METRIC_WINDOW_1Y, min_history_months=6, description="重风险"
    )
    for name, weight in (
        ("return", "0.2"),
        ("risk", "0.3"),
        ("drawdown", "0.3"),
        ("consistency", "0.1"),
        ("cost", "0.2"),
    ):
        getattr(model, f"{name}_weight").value = weight
    model.top_quantile.value = "0.1"
    with pytest.raises(grpc.aio.AioRpcError) as bad:
        await api.UpdateEvaluationModel(PS.UpdateEvaluationModelRequest(model=model, activate=True))
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "sum to 1" in (bad.value.details() or "")
    model.cost_weight.value = "0.1"
    saved = (
        await api.UpdateEvaluationModel(PS.UpdateEvaluationModelRequest(model=model, activate=True))
    ).model
    assert saved.version == 2 and saved.active and saved.created_by.subject == HQ.subject
    assert (await api.GetEvaluationModel(PS.GetEvaluationModelRequest())).model.version == 2
    assert not (await api.GetEvaluationModel(PS.GetEvaluationModelRequest(version=1))).model.active
