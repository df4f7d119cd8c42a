"""Property: a recommendation never includes an unsuitable product, for any customer and shelf."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lingxi.product.v1 import product_pb2, recommendation_service_pb2, suitability_service_pb2
from lingxi_product.recommendations import Candidate, rank
from lingxi_product.suitability_rules import CustomerRisk, ProductFacts, decide

TODAY = date(2026, 11, 23)

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
)


@settings(max_examples=200, deadline=None)
@given(customers, st.lists(candidates, max_size=30), st.integers(0, 3), st.integers(1, 50))
def test_recommendations_are_always_suitable(
    customer: CustomerRisk, shelf: list[Candidate], horizon: int, limit: int
) -> None:
    context = recommendation_service_pb2.RecommendationContext(
        scene=recommendation_service_pb2.RECOMMENDATION_SCENE_GENERAL,
        horizon=horizon,
        security_code="600519.SH",
    )
    picks, unsuitable = rank(customer, shelf, context, on=TODAY, limit=limit)
    purpose = suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND
    for pick in picks:
        assert decide(customer, pick.candidate.facts, on=TODAY, purpose=purpose).allowed
        assert 0.0 <= pick.fit <= 1.0 and pick.reason
    assert len(picks) <= limit
    refused = sum(1 for c in shelf if not decide(customer, c.facts, on=TODAY, purpose=purpose).allowed)
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
