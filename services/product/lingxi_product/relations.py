"""Stock ↔ product relations: which products hold, track, concentrate on or cover a stock.

Kinds: HOLDS_STOCK (in the fund's top holdings), TRACKS_INDEX_WITH_STOCK (an index fund whose
tracked index lists the stock in its constituent list in force, see constituents.py; weight = the
stock's index weight), SAME_SECTOR (the caller names the stock's sector), COVERS_STOCK (advisory
stock pools). A product appears once, under the first kind that applies in that order.

Feeds "a concentrated holder losing on a stock → a well-performing related equity fund". Products
are ranked by relation strength (the stock's or sector's weight in the fund) times the fund's
evaluation score, so a fund that merely holds the stock but ranks poorly sinks below a strong one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.product.v1 import product_pb2, product_service_pb2
from lingxi_common.errors import InvalidArgument
from lingxi_product import constituents
from lingxi_product.models import fund_evaluations, products

HOLDS = product_service_pb2.RELATION_KIND_HOLDS_STOCK
SECTOR = product_service_pb2.RELATION_KIND_SAME_SECTOR
TRACKS = product_service_pb2.RELATION_KIND_TRACKS_INDEX_WITH_STOCK
COVERS = product_service_pb2.RELATION_KIND_COVERS_STOCK
NEUTRAL_SCORE = 50.0


@dataclass(frozen=True, slots=True)
class Related:
    row: Any
    relation: int
    weight: Decimal
    evaluation: Any | None

    @property
    def strength(self) -> float:
        score = float(self.evaluation.score) if self.evaluation is not None else NEUTRAL_SCORE
        return float(self.weight) * score


async def related_products(
    session: AsyncSession,
    security_code: str,
    *,
    sector_code: str = "",
    relations: Sequence[int] = (),
    product_types: Sequence[int] = (),
    top_quantile_only: bool = False,
    on_sale_only: bool = False,
    limit: int = 20,
    as_of: date | None = None,
) -> list[Related]:
    if not security_code:
        raise InvalidArgument("security_code", "required, e.g. 600519.SH")
    if not 0 <= limit <= 100:
        raise InvalidArgument("limit", "between 1 and 100")
    wanted = set(relations) or {HOLDS, SECTOR, TRACKS, COVERS}
    holding = sa.cast([{"security_code": security_code}], JSONB)
    conditions = [products.c.top_holdings.contains(holding)]
    if sector_code and SECTOR in wanted:
        conditions.append(
            products.c.sector_exposures.contains(sa.cast([{"sector_code": sector_code}], JSONB))
        )
    index_weights: dict[str, Decimal] = {}
    if TRACKS in wanted:
        index_weights = await constituents.indices_containing(session, security_code, as_of or date.today())
        if index_weights:
            conditions.append(products.c.tracking_index_code.in_(sorted(index_weights)))
    statement = sa.select(products).where(sa.or_(*conditions))
    if product_types:
        statement = statement.where(products.c.product_type.in_(list(product_types)))
    if on_sale_only:
        statement = statement.where(products.c.status == product_pb2.PRODUCT_STATUS_ON_SALE)
    rows = (await session.execute(statement)).all()
    evaluations = {
        e.product_id: e
        for e in (
            await session.execute(
                sa.select(fund_evaluations).where(
                    fund_evaluations.c.product_id.in_([r.product_id for r in rows])
                )
            )
        ).all()
    }
    found: list[Related] = []
    for row in rows:
        evaluation = evaluations.get(row.product_id)
        if top_quantile_only and not (evaluation is not None and evaluation.top_quantile):
            continue
        holding_weight = next(
            (
                Decimal(h.get("weight") or "0")
                for h in row.top_holdings
                if h["security_code"] == security_code
            ),
            None,
        )
        sector_weight = next(
            (
                Decimal(s.get("weight") or "0")
                for s in row.sector_exposures
                if s["sector_code"] == sector_code
            ),
            None,
        )
        index_weight = index_weights.get(row.tracking_index_code) if row.tracking_index_code else None
        advisory = row.product_type == product_pb2.PRODUCT_TYPE_ADVISORY
        if holding_weight is not None and advisory and COVERS in wanted:
            found.append(Related(row, COVERS, holding_weight or Decimal("0.1"), evaluation))
        elif holding_weight is not None and not advisory and HOLDS in wanted:
            found.append(Related(row, HOLDS, holding_weight, evaluation))
        elif index_weight is not None and not advisory and TRACKS in wanted:
            found.append(Related(row, TRACKS, index_weight, evaluation))
        elif sector_weight is not None and SECTOR in wanted and sector_code:
            found.append(Related(row, SECTOR, sector_weight, evaluation))
    found.sort(key=lambda r: (-r.strength, r.row.product_id))
    return found[: limit or 20]
