"""Holdings and investment style change the ranking and the reason (pure ranking, hand-built cases)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lingxi.product.v1 import product_pb2, recommendation_service_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_product.customer_context import CustomerContext, Position
from lingxi_product.recommendations import Candidate, Pick, rank
from lingxi_product.suitability_rules import CustomerRisk, ProductFacts

TODAY = date(2026, 11, 23)
ON_SALE = product_pb2.PRODUCT_STATUS_ON_SALE
FUND = product_pb2.PRODUCT_TYPE_FUND
STOCK_FUND = product_pb2.FUND_CATEGORY_STOCK
C4 = CustomerRisk("C", 4, TODAY + timedelta(days=200), False)
GENERAL = recommendation_service_pb2.RecommendationContext(
    scene=recommendation_service_pb2.RECOMMENDATION_SCENE_GENERAL
)


def fund(product_id: str, score: float, **changes: Any) -> Candidate:
    """A suitable R3 stock fund on sale with a long horizon, changed as the case needs."""
    base = Candidate(
        ProductFacts(product_id, 3, ON_SALE, Decimal(10)),
        f"基金{product_id}",
        FUND,
        STOCK_FUND,
        product_pb2.HORIZON_LONG,
        score,
        0.5,
        False,
        product_code=product_id,
    )
    return replace(base, **changes)


def order(picks: list[Pick]) -> list[str]:
    return [p.candidate.facts.product_id for p in picks]


MOUTAI_LOSS = Position("600519.SH", "贵州茅台", customer_pb2.SECURITY_TYPE_STOCK, "FOOD_BEV", 0.7, -0.25)


def test_a_concentrated_losing_holding_lifts_a_fund_related_to_it() -> None:
    related = fund("A", 60.0, holdings={"600519": 0.10})
    better = fund("B", 80.0)
    without, _ = rank(C4, [related, better], GENERAL, on=TODAY, limit=5)
    assert order(without) == ["B", "A"]
    holder = CustomerContext(positions=(MOUTAI_LOSS,), top_position_weight=0.7, available=True)
    picks, _ = rank(C4, [related, better], GENERAL, on=TODAY, limit=5, profile=holder)
    assert order(picks) == ["A", "B"]
    assert "related_to_holding" in picks[0].reason_codes
    assert (
        "您持有的贵州茅台（600519.SH）（浮亏25%、占持仓70%），该产品重仓该股（权重10.0%）" in picks[0].reason
    )
    # The same stock held in small size and at a profit matters less than the better fund.
    small = CustomerContext(
        positions=(
            Position("600519.SH", "贵州茅台", customer_pb2.SECURITY_TYPE_STOCK, "FOOD_BEV", 0.05, 0.1),
        ),
        available=True,
    )
    picks, _ = rank(C4, [related, better], GENERAL, on=TODAY, limit=5, profile=small)
    assert order(picks) == ["B", "A"]


def test_index_membership_and_sector_link_to_a_holding_in_that_order() -> None:
    holder = CustomerContext(positions=(MOUTAI_LOSS,), available=True)
    tracker = fund("T", 60.0, index_weights={"600519": 0.05}, tracking_index_code="000300.SH")
    sector = fund("S", 60.0, sectors={"FOOD_BEV": ("食品饮料", 0.4)})
    unrelated = fund("U", 60.0)
    picks, _ = rank(C4, [unrelated, sector, tracker], GENERAL, on=TODAY, limit=5, profile=holder)
    assert order(picks) == ["T", "S", "U"]
    assert "该基金跟踪的指数包含该股（指数权重5.0%）" in picks[0].reason
    assert "该基金重点配置同一行业（食品饮料40%）" in picks[1].reason


def test_a_value_investor_gets_value_funds_first() -> None:
    value = fund("V", 60.0, styles=frozenset({"value"}))
    growth = fund("G", 66.0, styles=frozenset({"growth"}))
    plain, _ = rank(C4, [value, growth], GENERAL, on=TODAY, limit=5)
    assert order(plain) == ["G", "V"]
    investor = CustomerContext(tags={"investment_style": "value"}, available=True)
    picks, _ = rank(C4, [value, growth], GENERAL, on=TODAY, limit=5, profile=investor)
    assert order(picks) == ["V", "G"]
    assert (
        "matches_style" in picks[0].reason_codes and "价值风格产品，契合您的价值投资风格" in picks[0].reason
    )
    assert "matches_style" not in picks[1].reason_codes


def test_a_theme_investor_gets_funds_of_the_sectors_they_hold() -> None:
    theme = fund("N", 55.0, sectors={"NEW_ENERGY": ("电力设备", 0.55)})
    other = fund("O", 65.0, sectors={"BANK": ("银行", 0.5)})
    investor = CustomerContext(
        sector_weights={"NEW_ENERGY": 0.6, "PHARMA": 0.4}, tags={"style_theme": "true"}, available=True
    )
    picks, _ = rank(C4, [other, theme], GENERAL, on=TODAY, limit=5, profile=investor)
    assert order(picks) == ["N", "O"]
    assert (
        "matches_theme" in picks[0].reason_codes
        and "重点配置您持仓的电力设备行业（占基金资产55%）" in picks[0].reason
    )


def test_long_term_holders_get_long_horizon_products_and_held_products_are_left_out() -> None:
    short = Candidate(
        ProductFacts("M", 1, ON_SALE, None), "货币基金", FUND, 6, product_pb2.HORIZON_SHORT, 70.0
    )
    long = fund("L", 62.0, product_code="510300")
    holder = CustomerContext(tags={"long_term_holder": "true"}, available=True)
    picks, _ = rank(C4, [short, long], GENERAL, on=TODAY, limit=5, profile=holder)
    assert order(picks)[0] == "L" and "matches_horizon" in picks[0].reason_codes
    holds_it = CustomerContext(
        positions=(Position("510300.SH", "沪深300ETF", customer_pb2.SECURITY_TYPE_ETF, "", 0.3, 0.02),),
        available=True,
    )
    picks, _ = rank(C4, [short, long], GENERAL, on=TODAY, limit=5, profile=holds_it)
    assert order(picks) == ["M"]
    include = recommendation_service_pb2.RecommendationContext(include_held=True)
    picks, _ = rank(C4, [short, long], include, on=TODAY, limit=5, profile=holds_it)
    assert sorted(order(picks)) == ["L", "M"]
