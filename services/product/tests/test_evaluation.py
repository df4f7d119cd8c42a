"""The scoring model on hand-worked categories."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from lingxi_common.errors import InvalidArgument
from lingxi_product.evaluation import FundInput, Model, percentile_scores, rank, validate_model

MODEL = Model(
    version=1,
    weights={
        "return": Decimal("0.3"),
        "risk": Decimal("0.2"),
        "drawdown": Decimal("0.2"),
        "consistency": Decimal("0.15"),
        "cost": Decimal("0.15"),
    },
    window=4,
    top_quantile=Decimal("0.2"),
    min_history_months=12,
)
OLD = date(2020, 1, 1)


def fund(
    pid: str, ret: float, vol: float, mdd: float, win: float, cost: float, inception: date = OLD
) -> FundInput:
    return FundInput(pid, 1, ret, vol, mdd, win, cost, inception)


def test_percentiles_with_ties_and_direction() -> None:
    values = np.array([0.1, 0.3, 0.2, 0.2])
    assert list(percentile_scores(values, higher_is_better=True)) == pytest.approx([0, 100, 50, 50])
    assert list(percentile_scores(values, higher_is_better=False)) == pytest.approx([100, 0, 50, 50])
    assert list(percentile_scores(np.array([0.1, np.nan]), higher_is_better=True)) == [100.0, 50.0]


def test_a_fund_best_on_everything_ranks_first_and_is_top() -> None:
    funds = [
        fund("A", 0.20, 0.10, 0.05, 0.60, 0.010),  # best everywhere → 100
        fund("B", 0.10, 0.20, 0.10, 0.55, 0.015),  # middle → 50
        fund("C", 0.00, 0.30, 0.20, 0.50, 0.020),  # worst → 0
        fund("D", 0.30, 0.40, 0.30, 0.40, 0.030, inception=date(2026, 6, 1)),  # too young: not ranked
    ]
    results = {e.product_id: e for e in rank(funds, MODEL, date(2026, 11, 20))}
    assert set(results) == {"A", "B", "C"}
    assert results["A"].score == pytest.approx(100) and results["A"].rank == 1 and results["A"].top_quantile
    assert (
        results["B"].score == pytest.approx(50) and results["B"].rank == 2 and not results["B"].top_quantile
    )
    assert results["C"].score == pytest.approx(0) and results["C"].percentile == pytest.approx(1.0)
    assert results["A"].category_size == 3


def test_weights_change_the_order() -> None:
    # X: high return, high volatility; Y: low return, low volatility.
    funds = [fund("X", 0.3, 0.3, 0.1, 0.5, 0.01), fund("Y", 0.1, 0.1, 0.1, 0.5, 0.01)]
    return_heavy = Model(
        1, {**MODEL.weights, "return": Decimal("0.5"), "risk": Decimal("0.0")}, 4, Decimal("0.5"), 0
    )
    risk_heavy = Model(
        2, {**MODEL.weights, "return": Decimal("0.0"), "risk": Decimal("0.5")}, 4, Decimal("0.5"), 0
    )
    assert [
        e.product_id for e in sorted(rank(funds, return_heavy, date(2026, 1, 1)), key=lambda e: e.rank)
    ] == ["X", "Y"]
    assert [
        e.product_id for e in sorted(rank(funds, risk_heavy, date(2026, 1, 1)), key=lambda e: e.rank)
    ] == ["Y", "X"]


def test_model_validation_names_the_field() -> None:
    weights = {name: Decimal("0.2") for name in ("return", "risk", "drawdown", "consistency", "cost")}
    validate_model(weights, Decimal("0.2"), 12)
    with pytest.raises(InvalidArgument, match="sum to 1"):
        validate_model({**weights, "cost": Decimal("0.3")}, Decimal("0.2"), 12)
    with pytest.raises(InvalidArgument) as error:
        validate_model(weights, Decimal("0"), 12)
    assert error.value.field == "model.top_quantile"
