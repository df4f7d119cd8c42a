"""Returns-based fund style: hand-made series whose answer is known, and the computed tag."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pytest
from product_testkit import a_fund, d, product_service, products_api

from lingxi.common.v1 import decimal_pb2
from lingxi.product.v1 import analytics_pb2, product_pb2, product_service_pb2
from lingxi_common.service import ServiceRunner
from lingxi_product.fund_style import STYLE_INDICES, StyleAnalyzer, constrained_weights

PS = product_service_pb2
DAYS = 300


def _market(seed: int = 5) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Business days and style index daily returns sharing a market factor (as real ones do)."""
    rng = np.random.default_rng(seed)
    dates = np.busday_offset(np.datetime64("2024-01-02"), np.arange(DAYS), roll="forward")
    market = rng.normal(0.0003, 0.010, DAYS)
    returns = {
        "value": market + rng.normal(0, 0.006, DAYS),
        "growth": market + rng.normal(0, 0.006, DAYS),
        "small_cap": market + rng.normal(0, 0.008, DAYS),
    }
    return dates, returns


def _levels(returns: np.ndarray, base: float = 1.0) -> np.ndarray:
    return base * np.concatenate([[1.0], np.cumprod(1 + returns)])


def _analyzer(dates: np.ndarray, returns: dict[str, np.ndarray]) -> StyleAnalyzer:
    all_dates = np.concatenate([[dates[0] - np.timedelta64(1, "D")], dates])
    return StyleAnalyzer(
        {code: (all_dates, _levels(returns[style], 1000.0)) for style, code in STYLE_INDICES}
    )


def _fund(dates: np.ndarray, returns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([[dates[0] - np.timedelta64(1, "D")], dates]), _levels(returns)


def test_exact_mixture_is_recovered() -> None:
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.normal(0, 0.01, (200, 3)), np.zeros(200)])
    truth = np.array([0.5, 0.0, 0.3, 0.2])
    assert np.allclose(constrained_weights(x, x @ truth), truth, atol=1e-9)


@pytest.mark.parametrize(
    ("mix", "expected"),
    [
        ({"value": 0.8}, "value"),  # 0.8 × value index + noise → value (the rest is cash)
        ({"growth": 0.9, "value": 0.05}, "growth"),
        ({"small_cap": 0.7, "growth": 0.2}, "small_cap"),
        ({"value": 0.45, "growth": 0.45}, "blend"),
    ],
)
def test_style_of_a_fund_built_from_the_indices(mix: dict[str, float], expected: str) -> None:
    dates, returns = _market()
    noise = np.random.default_rng(2).normal(0, 0.002, DAYS)
    fund = sum(weight * returns[style] for style, weight in mix.items()) + noise
    fit = _analyzer(dates, returns).fit(*_fund(dates, fund))
    assert fit is not None and fit.style == expected
    for style, weight in mix.items():
        assert abs(fit.weights[style] - weight) < 0.08
    assert abs(fit.weights["cash"] - (1 - sum(mix.values()))) < 0.08 and fit.r2 > 0.9


def test_no_style_when_the_indices_do_not_explain_the_fund() -> None:
    dates, returns = _market()
    unrelated = np.random.default_rng(3).normal(0.0002, 0.012, DAYS)
    fit = _analyzer(dates, returns).fit(*_fund(dates, unrelated))
    assert fit is not None and fit.style == "" and fit.r2 < 0.6
    short = _analyzer(dates, returns).fit(*_fund(dates[:30], returns["value"][:30]))
    assert short is None  # too little history
    assert StyleAnalyzer({}).fit(*_fund(dates, returns["value"])) is None  # no style indices


@pytest.fixture
async def svc(database_url: str, restartable_nats) -> AsyncIterator[ServiceRunner]:
    async with product_service(database_url, restartable_nats.url) as runner:
        yield runner


def _points(dates: np.ndarray, levels: np.ndarray) -> list[analytics_pb2.SeriesPoint]:
    return [
        analytics_pb2.SeriesPoint(
            trade_date=d(day.astype(object)), value=decimal_pb2.Decimal(value=f"{value:.6f}")
        )
        for day, value in zip(dates, levels, strict=True)
    ]


async def test_computed_style_tag_and_operator_override(svc: ServiceRunner) -> None:
    api = products_api(svc)
    dates, returns = _market()
    all_dates = np.concatenate([[dates[0] - np.timedelta64(1, "D")], dates])
    for style, code in STYLE_INDICES:
        await api.UpsertBenchmark(
            PS.UpsertBenchmarkRequest(benchmark=analytics_pb2.Benchmark(code=code, name=f"{style} index"))
        )
        stored = await api.UpsertSeriesPoints(
            PS.UpsertSeriesPointsRequest(
                kind=analytics_pb2.SERIES_KIND_INDEX_CLOSE,
                series_code=code,
                points=_points(all_dates, _levels(returns[style], 1000.0)),
            )
        )
        assert not stored.rejections
    noise = np.random.default_rng(4).normal(0, 0.002, DAYS)
    plan = {
        "600001": (product_pb2.FUND_CATEGORY_STOCK, 0.8 * returns["value"] + noise),
        "600002": (product_pb2.FUND_CATEGORY_HYBRID, 0.6 * returns["growth"] + noise),
        "600003": (product_pb2.FUND_CATEGORY_INDEX, 0.95 * returns["value"] + noise),
    }
    for code, (category, fund) in plan.items():
        await api.CreateProduct(PS.CreateProductRequest(product=a_fund(code, fund_category=category)))
        await api.UpsertSeriesPoints(
            PS.UpsertSeriesPointsRequest(
                kind=analytics_pb2.SERIES_KIND_NAV,
                series_code=f"F{code}",
                points=_points(all_dates, _levels(fund)),
            )
        )
    await api.RecomputeMetrics(PS.RecomputeMetricsRequest())

    async def style_of(product_id: str) -> analytics_pb2.ProductTag:
        tags = (await api.ListProductTags(PS.ListProductTagsRequest(product_id=product_id))).tags
        return {t.code: t for t in tags}["style"]

    assert (await style_of("F600001")).value == "value"
    assert (await style_of("F600002")).value == "growth"
    assert (await style_of("F600003")).value == "passive"  # index funds keep their category's style
    # A recompute of one product keeps the others' analysed style.
    await api.RecomputeMetrics(PS.RecomputeMetricsRequest(product_ids=["F600003"]))
    assert (await style_of("F600001")).value == "value"
    # The operator's word wins over the computed style, and the computed one returns when removed.
    await api.SetProductTag(PS.SetProductTagRequest(product_id="F600001", code="style", value="growth"))
    manual = await style_of("F600001")
    assert manual.value == "growth" and manual.source == analytics_pb2.TAG_SOURCE_MANUAL
    await api.RecomputeMetrics(PS.RecomputeMetricsRequest())
    assert (await style_of("F600001")).value == "growth"
    await api.RemoveProductTag(PS.RemoveProductTagRequest(product_id="F600001", code="style"))
    computed = await style_of("F600001")
    assert computed.value == "value" and computed.source == analytics_pb2.TAG_SOURCE_COMPUTED
