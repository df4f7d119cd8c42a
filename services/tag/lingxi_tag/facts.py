"""What a rule sees about a customer: profile, account totals, holdings summary, warehouse metrics
and windowed behaviour aggregates, loaded in one round trip per batch of customers.

Everything is converted to plain floats/ints/strings/bools for CEL, with the neutral defaults of
``rules.FACT_DEFAULTS`` when a figure is missing. Dates become "days since/until" relative to the
business date, which is what makes some tags time-based (re-evaluated by the daily recompute).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.tag.v1 import customer_pb2
from lingxi_tag.rules import FACT_DEFAULTS, HOLDINGS_KEYS

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
NEVER_SEEN_DAYS = 9999.0


def business_today() -> dt.date:
    return dt.datetime.now(BUSINESS_TZ).date()


_FACTS_SQL = sa.text(
    """
    SELECT c.customer_id, c.customer_no, c.branch_id, c.advisor_id, c.risk_level,
           c.risk_assessment_expires_on, c.professional_investor, c.opened_on, c.age_band, c.city,
           c.status, c.attributes,
           a.total_assets, a.cash_balance, a.stock_market_value, a.fund_market_value, a.liabilities,
           a.has_margin, a.maintenance_ratio, a.margin_expires_on,
           h.position_count, h.total_mv, h.max_mv, h.unrealized_pnl, h.worst_ratio, h.sector_count,
           m.external_market_value, m.trades_90d, m.stock_pick_alpha, m.timing_score, m.avg_holding_days,
           m.value_trade_share, m.technical_trade_share, m.theme_trade_share, m.event_trade_share,
           m.last_trade_on, m.last_login_on, m.has_advisory_service, m.wealth_product_holder,
           m.stock_mv_peak_12m
    FROM tag.customers c
    LEFT JOIN LATERAL (
        SELECT sum(total_assets) AS total_assets, sum(cash_balance) AS cash_balance,
               sum(stock_market_value) AS stock_market_value, sum(fund_market_value) AS fund_market_value,
               sum(liabilities) AS liabilities, bool_or(account_type = 2) AS has_margin,
               min(maintenance_ratio) FILTER (WHERE account_type = 2) AS maintenance_ratio,
               min(contract_expires_on) FILTER (WHERE account_type = 2) AS margin_expires_on
        FROM tag.accounts WHERE customer_id = c.customer_id AND status <> 4
    ) a ON true
    LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE quantity > 0) AS position_count, sum(market_value) AS total_mv,
               max(market_value) AS max_mv, sum(unrealized_pnl) AS unrealized_pnl,
               min(unrealized_pnl_ratio) AS worst_ratio,
               count(DISTINCT sector_code) FILTER (WHERE quantity > 0) AS sector_count
        FROM tag.holdings WHERE customer_id = c.customer_id AND quantity > 0
    ) h ON true
    LEFT JOIN tag.customer_metrics m ON m.customer_id = c.customer_id
    WHERE c.customer_id = ANY(:ids)
    """
)

_AGG_SQL = sa.text(
    """
    SELECT d.customer_id, d.code, sum(d.value) AS total, count(*) FILTER (WHERE d.value > 0) AS days,
           max(d.last_seen_at) AS last_seen
    FROM tag.aggregate_daily d
    JOIN tag.aggregate_definitions def ON def.code = d.code
    WHERE d.customer_id = ANY(:ids) AND d.day > CAST(:today AS date) - def.window_days
    GROUP BY d.customer_id, d.code
    """
)


def _f(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _days_between(earlier: dt.date | None, later: dt.date | None) -> int:
    if earlier is None or later is None:
        return -1
    return (later - earlier).days


def customer_facts(row: Any, today: dt.date) -> dict[str, Any]:
    """The ``customer`` map of one row of _FACTS_SQL."""
    m = row._mapping
    facts = dict(FACT_DEFAULTS)
    expires = m["risk_assessment_expires_on"]
    total_mv = _f(m["total_mv"])
    facts.update(
        customer_id=m["customer_id"],
        branch_id=m["branch_id"],
        advisor_id=m["advisor_id"] or "",
        has_advisor=bool(m["advisor_id"]),
        risk_level=int(m["risk_level"] or 0),
        risk_assessment_valid=expires is not None and expires >= today,
        risk_expires_in_days=_days_between(today, expires) if expires and expires >= today else -1,
        professional_investor=bool(m["professional_investor"]),
        tenure_days=_days_between(m["opened_on"], today),
        age_band=m["age_band"] or "",
        city=m["city"] or "",
        status=int(m["status"]),
        total_assets=_f(m["total_assets"]),
        cash_balance=_f(m["cash_balance"]),
        stock_market_value=_f(m["stock_market_value"]),
        fund_market_value=_f(m["fund_market_value"]),
        liabilities=_f(m["liabilities"]),
        has_margin_account=bool(m["has_margin"]),
        maintenance_ratio=_f(m["maintenance_ratio"]),
        margin_contract_expires_in_days=(
            _days_between(today, m["margin_expires_on"])
            if m["margin_expires_on"] and m["margin_expires_on"] >= today
            else -1
        ),
        external_market_value=_f(m["external_market_value"]),
        trades_90d=int(m["trades_90d"] or 0),
        stock_pick_alpha=_f(m["stock_pick_alpha"]),
        timing_score=_f(m["timing_score"]),
        avg_holding_days=_f(m["avg_holding_days"]),
        value_trade_share=_f(m["value_trade_share"]),
        technical_trade_share=_f(m["technical_trade_share"]),
        theme_trade_share=_f(m["theme_trade_share"]),
        event_trade_share=_f(m["event_trade_share"]),
        days_since_last_trade=_days_between(m["last_trade_on"], today),
        days_since_last_login=_days_between(m["last_login_on"], today),
        has_advisory_service=bool(m["has_advisory_service"]),
        wealth_product_holder=bool(m["wealth_product_holder"]),
        stock_mv_peak_12m=_f(m["stock_mv_peak_12m"]),
        position_count=int(m["position_count"] or 0),
        top_position_weight=_f(m["max_mv"]) / total_mv if total_mv > 0 else 0.0,
        sector_count=int(m["sector_count"] or 0),
        unrealized_pnl=_f(m["unrealized_pnl"]),
        worst_position_pnl_ratio=min(_f(m["worst_ratio"]), 0.0),
    )
    return facts


async def load_contexts(
    session: AsyncSession,
    customer_ids: Sequence[str],
    aggregate_measures: dict[str, int],
    *,
    today: dt.date | None = None,
) -> dict[str, dict[str, Any]]:
    """CEL contexts of the given customers (unknown ids are simply absent), keyed by customer id."""
    today = today or business_today()
    ids = list(customer_ids)
    if not ids:
        return {}
    rows = (await session.execute(_FACTS_SQL, {"ids": ids})).all()
    contexts: dict[str, dict[str, Any]] = {}
    for row in rows:
        facts = customer_facts(row, today)
        agg = {
            code: (NEVER_SEEN_DAYS if measure == customer_pb2.AGGREGATE_MEASURE_LAST_SEEN else 0.0)
            for code, measure in aggregate_measures.items()
        }
        contexts[row.customer_id] = {
            "customer": facts,
            "holdings": {key: facts[key] for key in HOLDINGS_KEYS},
            "attr": {str(k): str(v) for k, v in (row.attributes or {}).items()},
            "agg": agg,
            "_no": int(row.customer_no),
        }
    if aggregate_measures:
        now = dt.datetime.now(dt.UTC)
        for agg_row in (await session.execute(_AGG_SQL, {"ids": ids, "today": today})).all():
            context = contexts.get(agg_row.customer_id)
            measure = aggregate_measures.get(agg_row.code)
            if context is None or measure is None:
                continue
            context["agg"][agg_row.code] = aggregate_value(
                measure, agg_row.total, agg_row.days, agg_row.last_seen, now
            )
    return contexts


def aggregate_value(
    measure: int, total: Any, days: Any, last_seen: dt.datetime | None, now: dt.datetime
) -> float:
    """The figure a rule reads for one aggregate (see AggregateMeasure)."""
    if measure == customer_pb2.AGGREGATE_MEASURE_DISTINCT_DAYS:
        return float(days or 0)
    if measure == customer_pb2.AGGREGATE_MEASURE_LAST_SEEN:
        if last_seen is None:
            return NEVER_SEEN_DAYS
        return float(max((now - last_seen).days, 0))
    return _f(total)
