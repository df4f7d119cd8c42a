"""Every suitability rule allows and denies (pure rules; the gRPC path is tested separately)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingxi.product.v1 import product_pb2, suitability_service_pb2
from lingxi_product import suitability_rules as rules
from lingxi_product.suitability_rules import CustomerArrays, CustomerRisk, ProductFacts, decide, decide_many

TODAY = date(2026, 11, 23)
RECOMMEND = suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND
SELL = suitability_service_pb2.SUITABILITY_PURPOSE_SELL
ON_SALE = product_pb2.PRODUCT_STATUS_ON_SALE


def customer(
    level: int = 3, *, expires: date | None = date(2027, 6, 30), pro: bool = False, active: bool = True
) -> CustomerRisk:
    return CustomerRisk("C1", level, expires, pro, active)


def product(rating: int = 3, *, status: int = ON_SALE, minimum: str | None = "1000") -> ProductFacts:
    return ProductFacts("P1", rating, status, Decimal(minimum) if minimum else None)


def check(
    c: CustomerRisk, p: ProductFacts, purpose: int = RECOMMEND, amount: str | None = None
) -> rules.Outcome:
    return decide(c, p, on=TODAY, purpose=purpose, intended_amount=Decimal(amount) if amount else None)


def test_level_covers_rating_allows_and_denies() -> None:
    assert check(customer(3), product(3)) == rules.Outcome(True, (rules.ALLOW_LEVEL,))
    assert check(customer(3), product(2)).allowed
    assert check(customer(3), product(4)) == rules.Outcome(False, (rules.DENY_RATING,))


def test_professional_investor_allows_above_level_but_not_off_sale() -> None:
    assert check(customer(2, pro=True), product(5)) == rules.Outcome(True, (rules.ALLOW_PROFESSIONAL,))
    assert check(customer(0, expires=None, pro=True), product(5)).allowed
    assert check(customer(2, pro=True), product(5, status=product_pb2.PRODUCT_STATUS_CLOSED)).reasons == (
        rules.DENY_NOT_ON_SALE,
    )


def test_assessment_expiry_allows_through_the_expiry_day_and_denies_after() -> None:
    assert check(customer(3, expires=TODAY), product(3)).allowed
    assert check(customer(3, expires=TODAY - timedelta(days=1)), product(3)).reasons == (rules.DENY_EXPIRED,)
    assert check(customer(3, expires=None), product(3)).reasons == (rules.DENY_EXPIRED,)


def test_missing_assessment_denies() -> None:
    assert check(customer(0, expires=None), product(1)).reasons == (rules.DENY_MISSING,)


def test_lowest_risk_tolerance_only_r1() -> None:
    assert check(customer(1), product(1)).allowed
    outcome = check(customer(1), product(2))
    assert not outcome.allowed and set(outcome.reasons) == {rules.DENY_RATING, rules.DENY_LOWEST}


def test_product_status_allows_on_sale_only() -> None:
    assert check(customer(5), product(1)).allowed
    for status in (
        product_pb2.PRODUCT_STATUS_UPCOMING,
        product_pb2.PRODUCT_STATUS_CLOSED,
        product_pb2.PRODUCT_STATUS_MATURED,
        product_pb2.PRODUCT_STATUS_DELISTED,
    ):
        assert check(customer(5), product(1, status=status)).reasons == (rules.DENY_NOT_ON_SALE,)


def test_minimum_investment_applies_to_sales_only() -> None:
    assert check(customer(3), product(3), SELL, "1000").allowed
    assert check(customer(3), product(3), SELL, "999.99").reasons == (rules.DENY_MINIMUM,)
    assert check(customer(3), product(3), RECOMMEND, None).allowed
    assert check(customer(3), product(3, minimum=None), SELL, "1").allowed


def test_inactive_customer_denied() -> None:
    assert check(customer(5, active=False), product(1)).reasons == (rules.DENY_INACTIVE,)


def test_every_reason_is_listed() -> None:
    outcome = check(
        customer(1, expires=TODAY - timedelta(days=1)),
        product(3, status=product_pb2.PRODUCT_STATUS_CLOSED),
        SELL,
        "1",
    )
    assert set(outcome.reasons) == {
        rules.DENY_NOT_ON_SALE,
        rules.DENY_EXPIRED,
        rules.DENY_RATING,
        rules.DENY_LOWEST,
        rules.DENY_MINIMUM,
    }


def test_explanations_are_chinese_and_name_the_levels() -> None:
    c, p = customer(2), product(3)
    assert rules.explain(c, p, check(c, p)).startswith("客户风险等级C2，产品风险等级R3")


def test_unknown_rule_version_is_refused() -> None:
    with pytest.raises(ValueError, match="rule version"):
        decide(customer(), product(), on=TODAY, purpose=RECOMMEND, rule_version="1999.1")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.one_of(st.none(), st.integers(-400, 400)),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 5),
    st.sampled_from([ON_SALE, product_pb2.PRODUCT_STATUS_CLOSED]),
)
def test_vectorised_batch_agrees_with_decide(
    people: list[tuple[int, int | None, bool, bool]], rating: int, status: int
) -> None:
    p = product(rating, status=status)
    singles = [
        customer(lvl, expires=None if d is None else TODAY + timedelta(days=d), pro=pro, active=act)
        for lvl, d, pro, act in people
    ]
    arrays = CustomerArrays(
        risk_level=np.array([c.risk_level for c in singles], dtype=np.int8),
        expires_ordinal=np.array(
            [c.expires_on.toordinal() if c.expires_on else 0 for c in singles], dtype=np.int32
        ),
        professional=np.array([c.professional for c in singles]),
        active=np.array([c.active for c in singles]),
        known=np.ones(len(singles), dtype=np.bool_),
    )
    allowed, masks = decide_many(arrays, p, on=TODAY)
    for index, single in enumerate(singles):
        outcome = decide(single, p, on=TODAY, purpose=RECOMMEND)
        assert bool(allowed[index]) == outcome.allowed
        assert {reason for reason, mask in masks.items() if mask[index]} == (
            set() if outcome.allowed else set(outcome.reasons)
        )
