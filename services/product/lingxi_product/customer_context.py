"""What recommendations know about a customer beyond suitability: positions, sectors, style tags.

All of it comes from the tag service's customer 360 (`TagService.GetCustomer`, view FULL: the
holdings summary with the largest positions and sector weights, and the customer's current tags);
nothing is stored here. When the tag service cannot answer, recommendations still work on the
suitability projection, with an empty context (no holding- or style-based reasons).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lingxi.product.v1 import product_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2

# Investment style as the tag service's built-in tags express it.
STYLE_TAG = "investment_style"
STYLE_FLAGS = {
    "style_value": "value",
    "style_technical": "technical",
    "style_theme": "theme",
    "style_event": "event",
}
LONG_TERM_TAG = "long_term_holder"
SHORT_TERM_TAG = "short_term_trader"
_FUND_TYPES = (
    customer_pb2.SECURITY_TYPE_ETF,
    customer_pb2.SECURITY_TYPE_FUND,
    customer_pb2.SECURITY_TYPE_WEALTH_PRODUCT,
)


def plain_code(code: str) -> str:
    """ "600519.SH" and "600519" name the same security; products are coded without the exchange."""
    return code.strip().split(".", 1)[0].upper()


def _number(text: str) -> float | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return float(value) if value.is_finite() else None


@dataclass(frozen=True, slots=True)
class Position:
    security_code: str
    security_name: str
    security_type: int
    sector_code: str
    weight: float  # share of the customer's total market value
    pnl_ratio: float | None  # unrealized result / cost, e.g. -0.23

    @property
    def is_stock(self) -> bool:
        return self.security_type not in _FUND_TYPES

    @property
    def label(self) -> str:
        return f"{self.security_name}（{self.security_code}）" if self.security_name else self.security_code


@dataclass(frozen=True, slots=True)
class CustomerContext:
    positions: tuple[Position, ...] = ()
    sector_weights: Mapping[str, float] = field(default_factory=dict)
    top_position_weight: float = 0.0
    tags: Mapping[str, str] = field(default_factory=dict)
    available: bool = False  # False when the tag service did not answer

    @property
    def styles(self) -> frozenset[str]:
        found = {self.tags[STYLE_TAG]} if self.tags.get(STYLE_TAG) else set()
        found |= {style for code, style in STYLE_FLAGS.items() if self.tags.get(code) == "true"}
        return frozenset(found)

    @property
    def preferred_horizon(self) -> int:
        if self.tags.get(LONG_TERM_TAG) == "true":
            return product_pb2.HORIZON_LONG
        if self.tags.get(SHORT_TERM_TAG) == "true":
            return product_pb2.HORIZON_SHORT
        return product_pb2.HORIZON_UNSPECIFIED

    @property
    def held_codes(self) -> frozenset[str]:
        return frozenset(plain_code(p.security_code) for p in self.positions)

    @property
    def stock_positions(self) -> tuple[Position, ...]:
        return tuple(p for p in self.positions if p.is_stock)


def from_full_view(reply: tag_service_pb2.GetCustomerResponse) -> CustomerContext:
    summary = reply.holdings_summary
    total = _number(summary.total_market_value.amount) or 0.0
    positions = []
    for holding in summary.top_holdings:
        value = _number(holding.market_value.amount) or 0.0
        positions.append(
            Position(
                security_code=holding.security_code,
                security_name=holding.security_name,
                security_type=holding.security_type,
                sector_code=holding.sector_code,
                weight=value / total if total > 0 else 0.0,
                pnl_ratio=_number(holding.unrealized_pnl_ratio.value),
            )
        )
    return CustomerContext(
        positions=tuple(positions),
        sector_weights={
            s.sector_code: _number(s.weight.value) or 0.0 for s in summary.sectors if s.sector_code
        },
        top_position_weight=_number(summary.top_position_weight.value) or 0.0,
        tags={t.tag_code: t.value for t in reply.tags},
        available=True,
    )
