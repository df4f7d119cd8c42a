"""Metrics against hand-worked examples (pure functions: no database needed)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from lingxi.product.v1 import analytics_pb2
from lingxi_product.metrics import compute_window, count_gaps, months_back

SINCE = analytics_pb2.METRIC_WINDOW_SINCE_INCEPTION


def series(*pairs: tuple[str, float]) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([np.datetime64(d, "D") for d, _ in pairs]),
        np.array([v for _, v in pairs], dtype=np.float64),
    )


# NAV 1.00 → 1.10 → 0.88 → 0.968 → 1.1616: returns +10%, −20%, +10%, +20%.
WORKED = series(
    ("2026-01-05", 1.00),
    ("2026-01-06", 1.10),
    ("2026-01-07", 0.88),
    ("2026-01-08", 0.968),
    ("2026-01-09", 1.1616),
)


def test_worked_example_every_figure() -> None:
    dates, values = WORKED
    m = compute_window(dates, values, SINCE)
    assert m is not None
    # cumulative: 1.1616 / 1.00 − 1
    assert m.cumulative_return == pytest.approx(0.1616)
    # annualised over n = 4 periods: 1.1616^(252/4) − 1
    assert m.annualized_return == pytest.approx(1.1616**63 - 1)
    # mean r = 0.05; deviations .05 −.25 .05 .15 → Σd² = .09, /3 = .03 → stdev √.03
    assert m.annualized_volatility == pytest.approx(math.sqrt(0.03) * math.sqrt(252))
    assert m.sharpe == pytest.approx(0.05 / math.sqrt(0.03) * math.sqrt(252))
    # downside deviation: √((0 + .04 + 0 + 0)/4) = 0.1 per period
    assert m.sortino == pytest.approx(0.05 * 252 / (0.1 * math.sqrt(252)))
    # peak 1.10 on 01-06, trough 0.88 on 01-07: 20% drawdown, regained on 01-09 (1.1616 ≥ 1.10)
    assert m.max_drawdown == pytest.approx(0.2)
    assert (m.drawdown_peak_on, m.drawdown_trough_on, m.drawdown_recovered_on) == (
        date(2026, 1, 6),
        date(2026, 1, 7),
        date(2026, 1, 9),
    )
    assert m.calmar == pytest.approx((1.1616**63 - 1) / 0.2)
    assert m.win_rate == pytest.approx(0.75)  # 3 of 4 returns positive
    assert m.observations == 5 and m.gaps == 0
    assert m.start_date == date(2026, 1, 5) and m.as_of == date(2026, 1, 9)


def test_risk_free_rate_lowers_sharpe_by_its_daily_share() -> None:
    dates, values = WORKED
    m = compute_window(dates, values, SINCE, risk_free_rate=0.0252)
    assert m is not None
    # daily rf = 0.0252/252 = 0.0001 → mean excess 0.0499
    assert m.sharpe == pytest.approx(0.0499 / math.sqrt(0.03) * math.sqrt(252))


def test_excess_return_against_benchmark_over_the_same_dates() -> None:
    dates, values = WORKED
    bench_dates, bench_values = series(("2026-01-02", 100.0), ("2026-01-05", 100.0), ("2026-01-09", 101.0))
    m = compute_window(
        dates,
        values,
        SINCE,
        benchmark_dates=bench_dates,
        benchmark_values=bench_values,
        benchmark_code="000300.SH",
    )
    assert m is not None
    assert m.excess_return == pytest.approx((1.1616**63 - 1) - (1.01**63 - 1))
    assert m.benchmark_code == "000300.SH"


def test_unrecovered_drawdown_and_flat_series() -> None:
    dates, values = series(("2026-03-02", 1.0), ("2026-03-03", 0.9), ("2026-03-04", 0.95))
    m = compute_window(dates, values, SINCE)
    assert m is not None
    assert m.max_drawdown == pytest.approx(0.1) and m.drawdown_recovered_on is None
    assert m.win_rate == pytest.approx(0.5)
    flat = compute_window(*series(("2026-03-02", 1.0), ("2026-03-03", 1.0), ("2026-03-04", 1.0)), SINCE)
    assert flat is not None
    assert flat.max_drawdown == 0 and flat.sharpe is None and flat.calmar is None and flat.sortino is None


def test_window_needs_history_reaching_its_start() -> None:
    dates, values = WORKED
    assert compute_window(dates, values, analytics_pb2.METRIC_WINDOW_1M) is None
    long_dates = np.arange(np.datetime64("2025-01-01"), np.datetime64("2026-01-10"))
    long_values = np.linspace(1.0, 2.0, len(long_dates))
    one_month = compute_window(long_dates, long_values, analytics_pb2.METRIC_WINDOW_1M)
    assert one_month is not None
    assert one_month.start_date == date(2025, 12, 9)  # base = last point on or before 2026-01-09 − 1 month
    assert one_month.as_of == date(2026, 1, 9)


def test_month_arithmetic_clamps_to_month_end_and_gaps_are_counted() -> None:
    assert months_back(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_back(date(2026, 1, 15), 12) == date(2025, 1, 15)
    dates = np.array(["2026-01-05", "2026-01-06", "2026-01-20", "2026-01-21"], dtype="datetime64[D]")
    assert count_gaps(dates) == 1  # 6th → 20th is 10 business days
