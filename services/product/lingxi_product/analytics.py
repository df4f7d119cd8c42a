"""The recompute pipeline: NAV → metrics → fund evaluation → computed tags.

Runs for a NAV import (the RecomputeMetricsCommand queued by the import), for the RPC, and daily.
Series are read as float arrays in one query per kind (array_agg), computed with NumPy and written
back as NUMERIC in one statement per batch, which is what keeps a 10k-fund recompute within a
minute. Evaluation always re-ranks every fund, because a rank is relative to the category.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import analytics_pb2, product_pb2
from lingxi_common.errors import InvalidArgument, NotFound
from lingxi_common.identity import Caller
from lingxi_common.outbox import emit
from lingxi_product import catalog, evaluation, fund_style, product_tags
from lingxi_product.convert import event_meta, from_date, from_decimal, quantize, timestamp, to_decimal
from lingxi_product.metrics import WindowMetrics, compute_all
from lingxi_product.models import (
    METRIC_VALUES,
    benchmarks,
    evaluation_models,
    fund_evaluations,
    outbox,
    product_metrics,
    products,
    series_points,
)

NAV = analytics_pb2.SERIES_KIND_NAV
INDEX = analytics_pb2.SERIES_KIND_INDEX_CLOSE
EPOCH = np.datetime64("1970-01-01", "D")
RECOMPUTE_LOCK_KEY = 0x50524D43  # "PRMC"


@dataclass(frozen=True, slots=True)
class RecomputeResult:
    products: int
    metrics_rows: int
    funds_ranked: int
    tag_changes: int
    seconds: float


async def load_series(
    session: AsyncSession, kind: int, codes: Sequence[str] | None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """series code → (dates, values) as NumPy arrays; accumulated NAV when every point has one."""
    sp = series_points.c
    statement = (
        sa.select(
            sp.series_code,
            sa.text("array_agg(trade_date - DATE '1970-01-01' ORDER BY trade_date) AS days"),
            sa.text(
                "CASE WHEN bool_and(accumulated_value IS NOT NULL) "
                "THEN array_agg(accumulated_value::float8 ORDER BY trade_date) "
                "ELSE array_agg(value::float8 ORDER BY trade_date) END AS vals"
            ),
        )
        .where(sp.kind == kind)
        .group_by(sp.series_code)
    )
    if codes is not None:
        statement = statement.where(sp.series_code.in_(list(codes)))
    result = {}
    for row in (await session.execute(statement)).all():
        dates = EPOCH + np.array(row.days, dtype=np.int64).astype("timedelta64[D]")
        result[row.series_code] = (dates, np.array(row.vals, dtype=np.float64))
    return result


def _metric_row(product_id: str, m: WindowMetrics) -> dict[str, Any]:
    row: dict[str, Any] = {name: quantize(getattr(m, name)) for name in METRIC_VALUES}
    row.update(
        product_id=product_id,
        window=m.window,
        as_of=m.as_of,
        start_date=m.start_date,
        drawdown_peak_on=m.drawdown_peak_on,
        drawdown_trough_on=m.drawdown_trough_on,
        drawdown_recovered_on=m.drawdown_recovered_on,
        benchmark_code=m.benchmark_code,
        observations=m.observations,
        gaps=m.gaps,
    )
    return row


async def recompute(
    session: AsyncSession,
    product_ids: Sequence[str] | None = None,
    *,
    risk_free_rate: float,
    today: date | None = None,
    correlation_id: str = "",
) -> RecomputeResult:
    """Metrics for the given products (all when None), then evaluation and tags for everyone."""
    started = time.perf_counter()
    # One recompute at a time: the command consumer, the RPC and the daily job may overlap, and
    # each replaces whole products' metric rows.
    await session.execute(sa.select(sa.func.pg_advisory_xact_lock(RECOMPUTE_LOCK_KEY)))
    statement = sa.select(
        products.c.product_id, products.c.fund_category, products.c.benchmark_code, products.c.product_type
    )
    if product_ids is not None:
        statement = statement.where(products.c.product_id.in_(list(product_ids)))
    shelf = (await session.execute(statement)).all()
    defaults = {
        row.default_for_category: row.code
        for row in (await session.execute(sa.select(benchmarks))).all()
        if row.default_for_category
    }
    ids = [row.product_id for row in shelf]
    navs = await load_series(session, NAV, None if product_ids is None else ids)
    bench_codes = {row.benchmark_code or defaults.get(row.fund_category, "") for row in shelf} - {""}
    bench_series = await load_series(session, INDEX, sorted(bench_codes)) if bench_codes else {}
    rows: list[dict[str, Any]] = []
    for product in shelf:
        series = navs.get(product.product_id)
        if series is None:
            continue
        code = product.benchmark_code or defaults.get(product.fund_category, "")
        bench = bench_series.get(code)
        for window_metrics in compute_all(
            series[0],
            series[1],
            risk_free_rate=risk_free_rate,
            benchmark_dates=bench[0] if bench else None,
            benchmark_values=bench[1] if bench else None,
            benchmark_code=code,
        ):
            rows.append(_metric_row(product.product_id, window_metrics))
    await session.execute(product_metrics.delete().where(product_metrics.c.product_id.in_(ids)))
    for start in range(0, len(rows), 2000):
        await session.execute(product_metrics.insert(), rows[start : start + 2000])
    styles = await _fund_styles(session, shelf, navs)
    ranked = await rerank(session, today=today, correlation_id=correlation_id)
    tag_changes = await product_tags.recompute_computed_tags(
        session, correlation_id=correlation_id, styles=styles
    )
    return RecomputeResult(len(shelf), len(rows), ranked, tag_changes, time.perf_counter() - started)


async def _fund_styles(
    session: AsyncSession, shelf: Sequence[Any], navs: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[str, str] | None:
    """Returns-based style of the equity and hybrid funds recomputed now (None: no style indices)."""
    analyzer = fund_style.StyleAnalyzer(
        await load_series(session, INDEX, [code for _, code in fund_style.STYLE_INDICES])
    )
    if not analyzer.ready:
        return None
    styles: dict[str, str] = {}
    for product in shelf:
        series = navs.get(product.product_id)
        if product.fund_category in fund_style.ANALYSED_CATEGORIES and series is not None:
            fit = analyzer.fit(series[0], series[1])
            styles[product.product_id] = fit.style if fit is not None else ""
    return styles


# ---- evaluation model -------------------------------------------------------------------------


def model_from_row(row: Any) -> evaluation.Model:
    return evaluation.Model(
        version=row.version,
        weights={name: row._mapping[f"{name}_weight"] for name in evaluation.COMPONENTS},
        window=row.window,
        top_quantile=row.top_quantile,
        min_history_months=row.min_history_months,
    )


def model_to_proto(row: Any) -> analytics_pb2.EvaluationModel:
    message = analytics_pb2.EvaluationModel(
        version=row.version,
        window=row.window,
        top_quantile=from_decimal(row.top_quantile, Decimal("0.0001")),
        min_history_months=row.min_history_months,
        description=row.description,
        active=row.active,
        created_at=timestamp(row.created_at),
        created_by=common_customer_pb2.Actor(subject=row.created_by),
    )
    for name in evaluation.COMPONENTS:
        getattr(message, f"{name}_weight").value = str(row._mapping[f"{name}_weight"].normalize())
    return message


async def get_model(session: AsyncSession, version: int = 0) -> Any:
    statement = sa.select(evaluation_models)
    statement = (
        statement.where(evaluation_models.c.version == version)
        if version
        else statement.where(evaluation_models.c.active)
    )
    row = (await session.execute(statement)).first()
    if row is None:
        raise NotFound("evaluation model", str(version or "active"))
    return row


async def save_model(
    session: AsyncSession,
    caller: Caller,
    model: analytics_pb2.EvaluationModel,
    activate: bool,
) -> Any:
    catalog.require_writer(caller)
    weights = {
        name: to_decimal(getattr(model, f"{name}_weight"), f"model.{name}_weight")
        for name in evaluation.COMPONENTS
    }
    top = to_decimal(model.top_quantile, "model.top_quantile")
    evaluation.validate_model(weights, top, model.min_history_months)
    window = model.window or analytics_pb2.METRIC_WINDOW_1Y
    if window not in analytics_pb2.MetricWindow.values():
        raise InvalidArgument("model.window", f"unknown window {window}")
    await session.execute(sa.text("LOCK TABLE product.evaluation_models IN EXCLUSIVE MODE"))
    version = (
        int(
            (
                await session.execute(
                    sa.select(sa.func.coalesce(sa.func.max(evaluation_models.c.version), 0))
                )
            ).scalar_one()
        )
        + 1
    )
    if activate:
        await session.execute(evaluation_models.update().values(active=False))
    row = (
        await session.execute(
            evaluation_models.insert()
            .values(
                version=version,
                window=window,
                top_quantile=top,
                min_history_months=model.min_history_months,
                description=model.description,
                active=activate,
                created_by=caller.subject,
                **{f"{name}_weight": weights[name] for name in evaluation.COMPONENTS},
            )
            .returning(evaluation_models)
        )
    ).one()
    if activate:
        await rerank(session)
        await product_tags.recompute_computed_tags(session)
    return row


async def stale_products(session: AsyncSession, product_ids: Sequence[str], since: datetime) -> list[str]:
    """Those of `product_ids` whose metrics were not recomputed after `since` (a queued command
    whose work a later recompute already did is skipped)."""
    fresh = set(
        (
            await session.execute(
                sa.select(product_metrics.c.product_id)
                .where(product_metrics.c.product_id.in_(list(product_ids)))
                .group_by(product_metrics.c.product_id)
                .having(sa.func.min(product_metrics.c.computed_at) > since)
            )
        ).scalars()
    )
    return [pid for pid in product_ids if pid not in fresh]


async def rerank(session: AsyncSession, *, today: date | None = None, correlation_id: str = "") -> int:
    """Rank every fund under the active model; announce who entered or left the top quantile."""
    await session.execute(sa.select(sa.func.pg_advisory_xact_lock(RECOMPUTE_LOCK_KEY)))
    model_row = await get_model(session)
    model = model_from_row(model_row)
    pm = product_metrics.c
    window_rows = (
        await session.execute(
            sa.select(
                products.c.product_id,
                products.c.fund_category,
                products.c.fees,
                pm.annualized_return,
                pm.annualized_volatility,
                pm.max_drawdown,
                pm.win_rate,
                pm.as_of,
            )
            .join(product_metrics, pm.product_id == products.c.product_id)
            .where(products.c.product_type == product_pb2.PRODUCT_TYPE_FUND, pm.window == model.window)
        )
    ).all()
    inception: dict[str, date] = dict(
        (
            await session.execute(
                sa.select(pm.product_id, pm.start_date).where(
                    pm.window == analytics_pb2.METRIC_WINDOW_SINCE_INCEPTION
                )
            )
        ).all()
    )
    funds = []
    as_of = today
    for row in window_rows:
        cost_parts = [row.fees.get(rate) for rate in catalog.ANNUAL_COST_RATES]
        cost = sum(float(p) for p in cost_parts if p) if any(cost_parts) else None
        funds.append(
            evaluation.FundInput(
                product_id=row.product_id,
                category=row.fund_category,
                annualized_return=float(row.annualized_return),
                volatility=float(row.annualized_volatility)
                if row.annualized_volatility is not None
                else None,
                max_drawdown=float(row.max_drawdown),
                win_rate=float(row.win_rate),
                annual_cost=cost,
                inception=inception.get(row.product_id) or row.as_of,
            )
        )
        as_of = max(as_of, row.as_of) if as_of else row.as_of
    results = evaluation.rank(funds, model, as_of or date.today())
    before_top = set(
        (
            await session.execute(
                sa.select(fund_evaluations.c.product_id).where(fund_evaluations.c.top_quantile)
            )
        ).scalars()
    )
    await session.execute(fund_evaluations.delete())
    if results:
        await session.execute(
            fund_evaluations.insert(),
            [
                {
                    "product_id": e.product_id,
                    "category": e.category,
                    "model_version": model.version,
                    "score": quantize(e.score),
                    "rank": e.rank,
                    "category_size": e.category_size,
                    "percentile": quantize(e.percentile),
                    "top_quantile": e.top_quantile,
                    "components": {name: round(value, 4) for name, value in e.components.items()},
                    "as_of": as_of or date.today(),
                }
                for e in results
            ],
        )
    after_top = {e.product_id for e in results if e.top_quantile}
    if results or before_top:
        await emit(
            session,
            outbox,
            product_events_pb2.EvaluationUpdated(
                meta=event_meta(correlation_id),
                model_version=model.version,
                as_of=from_date(as_of or date.today()),
                funds_ranked=len(results),
                entered_top_product_ids=sorted(after_top - before_top),
                left_top_product_ids=sorted(before_top - after_top),
            ),
        )
    return len(results)


def evaluation_to_proto(row: Any, weights: dict[str, Decimal] | None = None) -> analytics_pb2.FundEvaluation:
    message = analytics_pb2.FundEvaluation(
        product_id=row.product_id,
        category=row.category,
        model_version=row.model_version,
        score=from_decimal(row.score, Decimal("0.01")),
        rank=row.rank,
        category_size=row.category_size,
        percentile=from_decimal(row.percentile, Decimal("0.0001")),
        top_quantile=row.top_quantile,
        as_of=from_date(row.as_of),
    )
    for name in evaluation.COMPONENTS:
        component = message.components.add(name=name)
        component.score.value = str(Decimal(repr(row.components.get(name, 0.0))).quantize(Decimal("0.01")))
        if weights:
            component.weight.value = str(weights[name].normalize())
    return message


def metrics_to_proto(row: Any) -> analytics_pb2.ProductMetrics:
    message = analytics_pb2.ProductMetrics(
        product_id=row.product_id,
        window=row.window,
        as_of=from_date(row.as_of),
        start_date=from_date(row.start_date),
        drawdown_peak_on=from_date(row.drawdown_peak_on),
        drawdown_trough_on=from_date(row.drawdown_trough_on),
        drawdown_recovered_on=from_date(row.drawdown_recovered_on),
        benchmark_code=row.benchmark_code,
        observations=row.observations,
        gaps=row.gaps,
        computed_at=timestamp(row.computed_at),
    )
    for name in METRIC_VALUES:
        value = row._mapping[name]
        if value is not None:
            getattr(message, name).value = str(value)
    return message
