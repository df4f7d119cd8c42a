"""Property: a recommendation never includes an unsuitable product, for any customer, holdings,
style tags and shelf."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lingxi.product.v1 import product_pb2, recommendation_service_pb2, suitability_service_pb2
from lingxi_product.customer_context import CustomerContext, Position, plain_code
from lingxi_product.recommendations import Candidate, rank
from lingxi_product.suitability_rules import CustomerRisk, ProductFacts, decide

TODAY = date(2026, 11, 23)
CODES = ["600519", "000858", "300750", "510300"]
SECTORS = ["FOOD_BEV", "NEW_ENERGY", "BANK"]

customers = st.builds(
    CustomerRisk,
    customer_id=st.just("C"),
    risk_level=st.integers(0, 5),
    expires_on=st.one_of(st.none(), st.integers(-30, 400).map(lambda d: TODAY + timedelta(days=d))),
    professional=st.booleans(),
    active=st.booleans(),
)
candidates = st.builds(
    Candidate,
    facts=st.builds(
        ProductFacts,
        product_id=st.text("ABCDEFGH0123456789", min_size=1, max_size=6),
        risk_rating=st.integers(1, 5),
        status=st.sampled_from(list(product_pb2.ProductStatus.values())[1:]),
        min_investment=st.one_of(st.none(), st.decimals(0, 1_000_000, places=2)),
    ),
    name=st.just("产品"),
    product_type=st.sampled_from([1, 2, 3]),
    fund_category=st.integers(0, 9),
    horizon=st.integers(0, 3),
    score=st.one_of(st.none(), st.floats(0, 100)),
    percentile=st.one_of(st.none(), st.floats(0.01, 1)),
    top_quantile=st.booleans(),
    related_weight=st.floats(0, 0.3),
    product_code=st.sampled_from(["600519", "510300", "000001", "163001"]),
    holdings=st.dictionaries(st.sampled_from(CODES), st.floats(0, 0.2), max_size=3),
    sectors=st.dictionaries(
        st.sampled_from(SECTORS), st.tuples(st.just("行业"), st.floats(0, 0.9)), max_size=2
    ),
    index_weights=st.dictionaries(st.sampled_from(CODES), st.floats(0, 0.1), max_size=2),
    styles=st.frozensets(st.sampled_from(["value", "growth", "theme", "passive"]), max_size=2),
)
positions = st.builds(
    Position,
    security_code=st.sampled_from([f"{c}.SH" for c in CODES]),
    security_name=st.sampled_from(["", "某股票"]),
    security_type=st.sampled_from([1, 2, 3, 5]),
    sector_code=st.sampled_from(["", *SECTORS]),
    weight=st.floats(0, 1),
    pnl_ratio=st.one_of(st.none(), st.floats(-0.9, 2.0)),
)
profiles = st.builds(
    CustomerContext,
    positions=st.lists(positions, max_size=5).map(tuple),
    sector_weights=st.dictionaries(st.sampled_from(SECTORS), st.floats(0, 1), max_size=3),
    tags=st.dictionaries(
        st.sampled_from(
            ["investment_style", "style_theme", "style_value", "long_term_holder", "short_term_trader"]
        ),
        st.sampled_from(["value", "theme", "technical", "true", "false"]),
        max_size=3,
    ),
    available=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    customers,
    st.lists(candidates, max_size=30),
    st.integers(0, 3),
    st.integers(1, 50),
    profiles,
    st.booleans(),
)
def test_recommendations_are_always_suitable(
    customer: CustomerRisk,
    shelf: list[Candidate],
    horizon: int,
    limit: int,
    profile: CustomerContext,
    include_held: bool,
) -> None:
    context = recommendation_service_pb2.RecommendationContext(
        scene=recommendation_service_pb2.RECOMMENDATION_SCENE_GENERAL,
        horizon=horizon,
        security_code="600519.SH",
        include_held=include_held,
    )
    picks, unsuitable = rank(customer, shelf, context, on=TODAY, limit=limit, profile=profile)
    purpose = suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND
    for pick in picks:
        assert decide(customer, pick.candidate.facts, on=TODAY, purpose=purpose).allowed
        assert 0.0 <= pick.fit <= 1.0 and pick.reason
        if not include_held:
            assert plain_code(pick.candidate.product_code) not in profile.held_codes
    assert len(picks) <= limit
    considered = [c for c in shelf if include_held or plain_code(c.product_code) not in profile.held_codes]
    refused = sum(1 for c in considered if not decide(customer, c.facts, on=TODAY, purpose=purpose).allowed)
    assert unsuitable == refused
    assert [p.fit for p in picks] == sorted((p.fit for p in picks), reverse=True)


def test_better_evaluated_fund_ranks_first_with_a_reason() -> None:
    customer = CustomerRisk("C", 4, TODAY + timedelta(days=100), False)
    on_sale = product_pb2.PRODUCT_STATUS_ON_SALE
    good = Candidate(ProductFacts("G", 3, on_sale, Decimal(10)), "好基金", 1, 1, 3, 95.0, 0.05, True)
    weak = Candidate(ProductFacts("W", 3, on_sale, Decimal(10)), "一般基金", 1, 1, 3, 20.0, 0.8, False)
    too_risky = Candidate(ProductFacts("R", 5, on_sale, Decimal(10)), "高风险", 1, 1, 3, 99.0, 0.01, True)
    picks, unsuitable = rank(
        customer,
        [weak, too_risky, good],
        recommendation_service_pb2.RecommendationContext(),
        on=TODAY,
        limit=10,
    )
    assert [p.candidate.facts.product_id for p in picks] == ["G", "W"] and unsuitable == 1
    assert "同类前5%" in picks[0].reason and "top_quantile" in picks[0].reason_codes
