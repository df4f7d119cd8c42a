"""The suitability rules (适当性, CSRC 2017 measures), as pure functions with a version.

`decide` is the single source of truth: Check, CheckBatch (vectorised form `decide_many`, kept
equivalent by a test), recommendations and replay all go through it, so a rule cannot differ
between the paths. Every reason that applies is listed, so a denial for two causes names both.

Rule set RULE_VERSION:
1. Customer status must allow sales (frozen/closed → CUSTOMER_INACTIVE).
2. Product must be on sale (PRODUCT_NOT_ON_SALE).
3. Professional investors (专业投资者) are matched as professionals: rules 4–6 do not apply and the
   allowed reason is PROFESSIONAL_INVESTOR.
4. A risk assessment must exist (ASSESSMENT_MISSING) and not be expired on the business date
   (ASSESSMENT_EXPIRED; valid through its expiry day).
5. Level Cn covers ratings up to Rn (RATING_ABOVE_RISK_LEVEL otherwise).
6. Lowest risk tolerance (C1 最低类别): only R1; a C1 customer offered anything else is denied
   with LOWEST_RISK_TOLERANCE as well, because unlike other levels it cannot be overridden by the
   customer's own request.
7. For a sale, the intended amount must reach the minimum investment (BELOW_MINIMUM_INVESTMENT).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from lingxi.product.v1 import product_pb2, suitability_service_pb2

RULE_VERSION = "2017.1"

R = suitability_service_pb2
ALLOW_LEVEL = R.SUITABILITY_REASON_RISK_LEVEL_COVERS_RATING
ALLOW_PROFESSIONAL = R.SUITABILITY_REASON_PROFESSIONAL_INVESTOR
DENY_RATING = R.SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL
DENY_EXPIRED = R.SUITABILITY_REASON_ASSESSMENT_EXPIRED
DENY_MISSING = R.SUITABILITY_REASON_ASSESSMENT_MISSING
DENY_LOWEST = R.SUITABILITY_REASON_LOWEST_RISK_TOLERANCE
DENY_NOT_ON_SALE = R.SUITABILITY_REASON_PRODUCT_NOT_ON_SALE
DENY_MINIMUM = R.SUITABILITY_REASON_BELOW_MINIMUM_INVESTMENT
DENY_UNKNOWN = R.SUITABILITY_REASON_CUSTOMER_UNKNOWN
DENY_INACTIVE = R.SUITABILITY_REASON_CUSTOMER_INACTIVE
ALLOW_REASONS = frozenset({ALLOW_LEVEL, ALLOW_PROFESSIONAL})


@dataclass(frozen=True, slots=True)
class CustomerRisk:
    customer_id: str
    risk_level: int  # 0 = never assessed, 1..5 = C1..C5
    expires_on: date | None
    professional: bool
    active: bool = True
    version: int = 0


@dataclass(frozen=True, slots=True)
class ProductFacts:
    product_id: str
    risk_rating: int  # 1..5 = R1..R5
    status: int
    min_investment: Decimal | None
    version: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    allowed: bool
    reasons: tuple[int, ...]


def decide(
    customer: CustomerRisk,
    product: ProductFacts,
    *,
    on: date,
    purpose: int,
    intended_amount: Decimal | None = None,
    rule_version: str = RULE_VERSION,
) -> Outcome:
    """Apply the rule set to one customer and one product."""
    if rule_version != RULE_VERSION:
        raise ValueError(f"unknown suitability rule version {rule_version!r}")
    denied: list[int] = []
    if not customer.active:
        denied.append(DENY_INACTIVE)
    if product.status != product_pb2.PRODUCT_STATUS_ON_SALE:
        denied.append(DENY_NOT_ON_SALE)
    allowed_reason = ALLOW_PROFESSIONAL if customer.professional else ALLOW_LEVEL
    if not customer.professional:
        if customer.risk_level == 0:
            denied.append(DENY_MISSING)
        else:
            if customer.expires_on is None or customer.expires_on < on:
                denied.append(DENY_EXPIRED)
            if product.risk_rating > customer.risk_level:
                denied.append(DENY_RATING)
            if customer.risk_level == 1 and product.risk_rating > 1:
                denied.append(DENY_LOWEST)
    below_minimum = product.min_investment is not None and (
        intended_amount is None or intended_amount < product.min_investment
    )
    if purpose == R.SUITABILITY_PURPOSE_SELL and below_minimum:
        denied.append(DENY_MINIMUM)
    if denied:
        return Outcome(False, tuple(denied))
    return Outcome(True, (allowed_reason,))


_LEVEL_NAMES = {0: "未测评", 1: "C1", 2: "C2", 3: "C3", 4: "C4", 5: "C5"}
_EXPLAIN = {
    DENY_INACTIVE: "客户状态不允许销售",
    DENY_NOT_ON_SALE: "产品当前不在销售期",
    DENY_MISSING: "客户尚未完成风险测评",
    DENY_EXPIRED: "客户风险测评已过期",
    DENY_LOWEST: "客户属于最低风险承受能力类别（C1），仅可购买R1产品",
    DENY_MINIMUM: "投资金额低于产品起投金额",
    DENY_UNKNOWN: "客户不存在",
}


def explain(customer: CustomerRisk, product: ProductFacts, outcome: Outcome) -> str:
    """A Chinese explanation for consoles and compliance evidence."""
    level = _LEVEL_NAMES.get(customer.risk_level, "?")
    head = f"客户风险等级{level}，产品风险等级R{product.risk_rating}"
    if outcome.allowed:
        if ALLOW_PROFESSIONAL in outcome.reasons:
            return f"{head}，客户为专业投资者，适当性匹配"
        return f"{head}，风险等级匹配"
    parts = [
        _EXPLAIN[r] if r != DENY_RATING else "产品风险等级高于客户风险承受能力，不匹配"
        for r in outcome.reasons
    ]
    return f"{head}；" + "；".join(parts)


@dataclass(frozen=True, slots=True)
class CustomerArrays:
    """The audience in columns, for deciding a million customers at once."""

    risk_level: npt.NDArray[np.int8]
    expires_ordinal: npt.NDArray[np.int32]  # date.toordinal(); 0 = none
    professional: npt.NDArray[np.bool_]
    active: npt.NDArray[np.bool_]
    known: npt.NDArray[np.bool_]


BATCH_REASONS = (
    DENY_UNKNOWN,
    DENY_INACTIVE,
    DENY_NOT_ON_SALE,
    DENY_MISSING,
    DENY_EXPIRED,
    DENY_RATING,
    DENY_LOWEST,
)


def decide_many(
    customers: CustomerArrays, product: ProductFacts, *, on: date, rule_version: str = RULE_VERSION
) -> tuple[npt.NDArray[np.bool_], dict[int, npt.NDArray[np.bool_]]]:
    """Vectorised `decide` for the recommend purpose: (allowed mask, denial mask per reason).

    Same rules as `decide` (the tests check they agree); an unknown customer is denied with
    CUSTOMER_UNKNOWN only.
    """
    if rule_version != RULE_VERSION:
        raise ValueError(f"unknown suitability rule version {rule_version!r}")
    size = len(customers.risk_level)
    known = customers.known
    ordinary = known & ~customers.professional
    assessed = customers.risk_level > 0
    masks = {
        DENY_UNKNOWN: ~known,
        DENY_INACTIVE: known & ~customers.active,
        DENY_NOT_ON_SALE: known & np.full(size, product.status != product_pb2.PRODUCT_STATUS_ON_SALE),
        DENY_MISSING: ordinary & ~assessed,
        DENY_EXPIRED: ordinary & assessed & (customers.expires_ordinal < on.toordinal()),
        DENY_RATING: ordinary & assessed & (customers.risk_level < product.risk_rating),
        DENY_LOWEST: ordinary & (customers.risk_level == 1) & (product.risk_rating > 1),
    }
    denied = np.zeros(size, dtype=np.bool_)
    for mask in masks.values():
        denied |= mask
    return ~denied, masks
