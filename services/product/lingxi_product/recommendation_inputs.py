"""The shelf as recommendation candidates: facts, evaluation, relations, styles, index membership.

Everything here is this service's own data (products, evaluations, product tags, index
constituents). What is personal — which stocks the customer holds — only narrows which
constituent weights are looked up; the ranking itself is in `recommendations.rank`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.product.v1 import product_pb2, recommendation_service_pb2
from lingxi_product import constituents, product_tags, relations
from lingxi_product.customer_context import CustomerContext, plain_code
from lingxi_product.models import fund_evaluations, products
from lingxi_product.recommendations import Candidate
from lingxi_product.suitability import product_facts

# Product tags whose value states an investment style ("value", "growth", "theme"); operators set
# `invest_style` by hand, and a manual `style` value overrides the computed passive/active one.
STYLE_TAGS = ("invest_style", "style")


def _weight(entry: dict[str, Any]) -> float:
    try:
        return float(entry.get("weight") or 0)
    except (TypeError, ValueError):
        return 0.0


async def load_shelf(
    session: AsyncSession, context: recommendation_service_pb2.RecommendationContext, today: date
) -> list[Candidate]:
    """Every on-sale product as a candidate (the same for every customer of a request)."""
    rows = (
        await session.execute(
            sa.select(products).where(products.c.status == product_pb2.PRODUCT_STATUS_ON_SALE)
        )
    ).all()
    evaluations = {e.product_id: e for e in (await session.execute(sa.select(fund_evaluations))).all()}
    tags = await product_tags.effective_tags(session, [row.product_id for row in rows])
    related: dict[str, float] = {}
    if context.security_code:
        for item in await relations.related_products(session, context.security_code, limit=100, as_of=today):
            related[item.row.product_id] = float(item.weight)
    result = []
    for row in rows:
        evaluation = evaluations.get(row.product_id)
        product_tag_rows = tags.get(row.product_id, {})
        result.append(
            Candidate(
                facts=product_facts(row),
                name=row.name,
                product_type=row.product_type,
                fund_category=row.fund_category,
                horizon=row.horizon,
                score=float(evaluation.score) if evaluation else None,
                percentile=float(evaluation.percentile) if evaluation else None,
                top_quantile=bool(evaluation and evaluation.top_quantile),
                related_weight=related.get(row.product_id, 0.0),
                launched_recently=bool(row.launched_at and (today - row.launched_at.date()).days <= 30),
                product_code=row.product_code,
                holdings={plain_code(h["security_code"]): _weight(h) for h in row.top_holdings},
                sectors={
                    s["sector_code"]: (s.get("sector_name") or "", _weight(s)) for s in row.sector_exposures
                },
                tracking_index_code=row.tracking_index_code,
                styles=frozenset(
                    product_tag_rows[code].value for code in STYLE_TAGS if code in product_tag_rows
                ),
            )
        )
    return result


async def for_customer(
    session: AsyncSession, shelf: list[Candidate], profile: CustomerContext, today: date
) -> list[Candidate]:
    """The shelf with, per index fund, the weights of the customer's stocks in its tracked index."""
    held = sorted({p.security_code for p in profile.stock_positions})
    tracked = sorted({c.tracking_index_code for c in shelf if c.tracking_index_code})
    members = await constituents.members_of(session, tracked, held, today)
    if not members:
        return shelf
    return [
        replace(
            candidate,
            index_weights={
                plain_code(code): float(weight)
                for code, weight in members[candidate.tracking_index_code].items()
            },
        )
        if candidate.tracking_index_code in members
        else candidate
        for candidate in shelf
    ]
