"""The brokerage's own fund evaluation: a versioned, configurable scoring model.

Within each fund category, every fund with enough history gets five component scores in
[0, 100] — its percentile among its peers on:

* return       annualised return over the model's window (higher is better)
* risk         annualised volatility (lower is better)
* drawdown     maximum drawdown (lower is better)
* consistency  win rate, the share of positive periods (higher is better)
* cost         annual fees: management + custody + sales service (lower is better; unknown = 50)

The score is the weighted sum (weights sum to 1), funds are ranked best first (ties by product id,
so a ranking is reproducible), and the best `top_quantile` share of each category (at least one
fund) is flagged. Sales fees paid to the brokerage play no part: this is what the brokerage
recommends because it is good, not because it pays.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from lingxi_common.errors import InvalidArgument

COMPONENTS = ("return", "risk", "drawdown", "consistency", "cost")


@dataclass(frozen=True, slots=True)
class Model:
    version: int
    weights: dict[str, Decimal]
    window: int
    top_quantile: Decimal
    min_history_months: int


@dataclass(frozen=True, slots=True)
class FundInput:
    product_id: str
    category: int
    annualized_return: float
    volatility: float | None
    max_drawdown: float
    win_rate: float
    annual_cost: float | None
    inception: date


@dataclass(frozen=True, slots=True)
class Evaluation:
    product_id: str
    category: int
    score: float
    rank: int
    category_size: int
    percentile: float
    top_quantile: bool
    components: dict[str, float]


def validate_model(
    weights: dict[str, Decimal | None], top_quantile: Decimal | None, min_history_months: int
) -> None:
    """Weights each in [0, 1] summing to exactly 1; a top quantile in (0, 1]."""
    total = Decimal(0)
    for name, weight in weights.items():
        if weight is None:
            raise InvalidArgument(f"model.{name}_weight", "required")
        if not Decimal(0) <= weight <= Decimal(1):
            raise InvalidArgument(f"model.{name}_weight", "must be between 0 and 1")
        total += weight
    if total != Decimal(1):
        raise InvalidArgument("model", f"weights must sum to 1 (they sum to {total})")
    if top_quantile is None or not Decimal(0) < top_quantile <= Decimal(1):
        raise InvalidArgument("model.top_quantile", "must be in (0, 1]")
    if min_history_months < 0:
        raise InvalidArgument("model.min_history_months", "must not be negative")


def percentile_scores(values: npt.NDArray[np.float64], *, higher_is_better: bool) -> npt.NDArray[np.float64]:
    """Each value's position among its peers as 0..100 (ties share the average position; NaN = 50)."""
    known = ~np.isnan(values)
    result = np.full(len(values), 50.0)
    peers = values[known] if higher_is_better else -values[known]
    if len(peers) <= 1:
        result[known] = 100.0
        return result
    ordered = np.sort(peers)
    below = np.searchsorted(ordered, peers, side="left")
    through = np.searchsorted(ordered, peers, side="right")
    result[known] = 100.0 * ((below + through - 1) / 2.0) / (len(peers) - 1)
    return result


def rank(funds: Sequence[FundInput], model: Model, as_of: date) -> list[Evaluation]:
    from lingxi_product.metrics import months_back

    cutoff = months_back(as_of, model.min_history_months)
    by_category: dict[int, list[FundInput]] = defaultdict(list)
    for fund in funds:
        if fund.inception <= cutoff:
            by_category[fund.category].append(fund)
    weights = {name: float(model.weights[name]) for name in COMPONENTS}
    results: list[Evaluation] = []
    for category, peers in by_category.items():

        def column(values: list[float | None]) -> npt.NDArray[np.float64]:
            return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

        components = {
            "return": percentile_scores(column([f.annualized_return for f in peers]), higher_is_better=True),
            "risk": percentile_scores(column([f.volatility for f in peers]), higher_is_better=False),
            "drawdown": percentile_scores(column([f.max_drawdown for f in peers]), higher_is_better=False),
            "consistency": percentile_scores(column([f.win_rate for f in peers]), higher_is_better=True),
            "cost": percentile_scores(column([f.annual_cost for f in peers]), higher_is_better=False),
        }
        scores = np.zeros(len(peers))
        for name in COMPONENTS:
            scores += weights[name] * components[name]
        order = sorted(range(len(peers)), key=lambda i: (-round(float(scores[i]), 8), peers[i].product_id))
        size = len(peers)
        top_count = max(1, math.ceil(size * float(model.top_quantile)))
        for position, index in enumerate(order, start=1):
            results.append(
                Evaluation(
                    product_id=peers[index].product_id,
                    category=category,
                    score=float(scores[index]),
                    rank=position,
                    category_size=size,
                    percentile=position / size,
                    top_quantile=position <= top_count,
                    components={name: float(components[name][index]) for name in COMPONENTS},
                )
            )
    return results
