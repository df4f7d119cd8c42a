"""Computed fund style by returns-based style analysis (Sharpe 1992), for equity and hybrid funds.

A fund's daily returns over its last year are explained as a portfolio of style indices plus
cash: minimise the squared tracking difference ‖r − Xw‖² subject to w ≥ 0 and Σw = 1, where the
columns of X are the daily returns of large-cap value, large-cap growth and small-cap indices and
of cash (return 0: the weight the indices leave unexplained in level, e.g. a hybrid's bonds). The
constrained least squares is solved exactly by trying every support set (4 assets → 15 sets):
solve the equality-constrained problem on the set (KKT system) and keep the feasible solution
with the smallest residual. R² of that fit says how much of the fund the styles explain.

Classification (of the equity part, i.e. the index weights rescaled to sum to 1):
* no style when fewer than MIN_OBSERVATIONS common days, R² < MIN_R2 (the styles do not explain
  the fund: a sector or theme fund), or equity weight < MIN_EQUITY;
* small_cap when the small-cap share ≥ 0.5;
* value / growth when that share exceeds the other by ≥ TILT; blend otherwise.

Operators' manual `style` tags still win over the computed one (product_tags.effective_tags).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from lingxi.product.v1 import product_pb2

# Style → index code whose closes the shelf must hold (SERIES_KIND_INDEX_CLOSE).
STYLE_INDICES: tuple[tuple[str, str], ...] = (
    ("value", "000919.SH"),  # 沪深300价值
    ("growth", "000918.SH"),  # 沪深300成长
    ("small_cap", "000852.SH"),  # 中证1000
)
WINDOW_DAYS = 365
MIN_OBSERVATIONS = 60
MIN_R2 = 0.6
MIN_EQUITY = 0.3
TILT = 0.25
STYLES = ("value", "growth", "blend", "small_cap")
# Categories whose style is analysed (others keep their category's style: passive, fixed_income).
ANALYSED_CATEGORIES = (product_pb2.FUND_CATEGORY_STOCK, product_pb2.FUND_CATEGORY_HYBRID)

Series = tuple[npt.NDArray[np.datetime64], npt.NDArray[np.float64]]


@dataclass(frozen=True, slots=True)
class StyleFit:
    weights: dict[str, float]  # value, growth, small_cap, cash; sum 1
    r2: float
    observations: int
    style: str  # "" when undetermined


def constrained_weights(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """argmin ‖y − xw‖² subject to w ≥ 0, Σw = 1 (exact, by support enumeration; few columns)."""
    k = x.shape[1]
    gram = x.T @ x
    cross = x.T @ y
    best: npt.NDArray[np.float64] | None = None
    best_sse = np.inf
    for size in range(1, k + 1):
        for support in combinations(range(k), size):
            s = list(support)
            system = np.zeros((size + 1, size + 1))
            system[:size, :size] = 2 * gram[np.ix_(s, s)]
            system[:size, size] = 1
            system[size, :size] = 1
            rhs = np.concatenate([2 * cross[s], [1.0]])
            try:
                solution = np.linalg.solve(system, rhs)
            except np.linalg.LinAlgError:
                continue
            w_s = solution[:size]
            if np.any(w_s < -1e-10):
                continue
            w = np.zeros(k)
            w[s] = np.clip(w_s, 0, None)
            sse = float(np.sum((y - x @ w) ** 2))
            if sse < best_sse - 1e-15:
                best, best_sse = w, sse
    assert best is not None  # every single-asset support is feasible
    return best / best.sum()


def classify(weights: Mapping[str, float], r2: float, observations: int) -> str:
    equity = weights["value"] + weights["growth"] + weights["small_cap"]
    if observations < MIN_OBSERVATIONS or r2 < MIN_R2 or equity < MIN_EQUITY:
        return ""
    value, growth, small = (weights[name] / equity for name in ("value", "growth", "small_cap"))
    if small >= 0.5:
        return "small_cap"
    if value - growth >= TILT:
        return "value"
    if growth - value >= TILT:
        return "growth"
    return "blend"


class StyleAnalyzer:
    """Style indices aligned once; `fit` per fund."""

    def __init__(self, indices: Mapping[str, Series]) -> None:
        self.ready = all(code in indices and len(indices[code][0]) > 1 for _, code in STYLE_INDICES)
        if not self.ready:
            self._dates = np.zeros(0, dtype="datetime64[D]")
            self._levels = np.zeros((0, len(STYLE_INDICES)))
            return
        dates = indices[STYLE_INDICES[0][1]][0]
        for _, code in STYLE_INDICES[1:]:
            dates = np.intersect1d(dates, indices[code][0])
        self._dates = dates
        self._levels = np.column_stack(
            [indices[code][1][np.searchsorted(indices[code][0], dates)] for _, code in STYLE_INDICES]
        )

    def fit(self, dates: npt.NDArray[np.datetime64], values: npt.NDArray[np.float64]) -> StyleFit | None:
        """The fund's style over its last WINDOW_DAYS (None without the indices or history)."""
        if not self.ready or len(dates) < 2:
            return None
        since = dates[-1] - np.timedelta64(WINDOW_DAYS, "D")
        common, fund_at, index_at = np.intersect1d(dates, self._dates, return_indices=True)
        keep = common >= since
        fund_at, index_at = fund_at[keep], index_at[keep]
        if len(fund_at) < MIN_OBSERVATIONS + 1:
            return None
        fund = values[fund_at]
        levels = self._levels[index_at]
        y = fund[1:] / fund[:-1] - 1
        x = np.column_stack([levels[1:] / levels[:-1] - 1, np.zeros(len(y))])  # + cash
        w = constrained_weights(x, y)
        residual = y - x @ w
        total = float(np.sum((y - y.mean()) ** 2))
        r2 = 1 - float(np.sum(residual**2)) / total if total > 0 else 0.0
        weights = {name: float(w[i]) for i, (name, _) in enumerate(STYLE_INDICES)}
        weights["cash"] = float(w[-1])
        return StyleFit(weights, r2, len(y), classify(weights, r2, len(y)))
