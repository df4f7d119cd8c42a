"""Recommendations: suitable products ranked by fit, each with a reason an advisor can read out.

Suitability is a filter before ranking, not a score: every candidate goes through the same
`decide` as Check, an unsuitable one is dropped (and only counted), and every product returned
carries the id of the stored decision that allowed it. The fit score (0..1) mixes the fund
evaluation (quality), how well the rating uses the customer's tolerance, the wanted horizon, and
the relation to a stock that triggered the recommendation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from lingxi.product.v1 import product_pb2, recommendation_service_pb2, suitability_service_pb2
from lingxi_product.suitability_rules import CustomerRisk, ProductFacts, decide

MODEL_VERSION = "fit-1"
RECOMMEND = suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND
W_QUALITY, W_RISK_FIT, W_HORIZON, W_RELATION = 0.45, 0.2, 0.15, 0.2
_HORIZON_WORDS = {
    product_pb2.HORIZON_SHORT: "短期",
    product_pb2.HORIZON_MEDIUM: "中期",
    product_pb2.HORIZON_LONG: "长期",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    facts: ProductFacts
    name: str
    product_type: int
    fund_category: int
    horizon: int
    score: float | None = None  # evaluation score 0..100 (funds with enough history)
    percentile: float | None = None
    top_quantile: bool = False
    related_weight: float = 0.0  # weight of the triggering stock / its sector in the product
    launched_recently: bool = False


@dataclass(frozen=True, slots=True)
class Pick:
    candidate: Candidate
    fit: float
    reason: str
    reason_codes: tuple[str, ...] = field(default_factory=tuple)


def rank(
    customer: CustomerRisk,
    candidates: Sequence[Candidate],
    context: recommendation_service_pb2.RecommendationContext,
    *,
    on: date,
    limit: int,
) -> tuple[list[Pick], int]:
    """(suitable picks best first, number of unsuitable candidates left out)."""
    picks: list[Pick] = []
    unsuitable = 0
    level = 5 if customer.professional else max(customer.risk_level, 1)
    excluded = set(context.exclude_product_ids) | (
        {context.source_product_id} if context.source_product_id else set()
    )
    for candidate in candidates:
        if candidate.facts.product_id in excluded:
            continue
        if context.product_types and candidate.product_type not in context.product_types:
            continue
        if context.fund_categories and candidate.fund_category not in context.fund_categories:
            continue
        if not decide(customer, candidate.facts, on=on, purpose=RECOMMEND).allowed:
            unsuitable += 1
            continue
        codes: list[str] = []
        parts: list[str] = []
        quality = candidate.score / 100.0 if candidate.score is not None else 0.5
        if candidate.top_quantile and candidate.percentile is not None:
            codes.append("top_quantile")
            parts.append(f"近一年综合评价位于同类前{max(1, round(candidate.percentile * 100))}%")
        risk_fit = 1.0 - (level - candidate.facts.risk_rating) / 4.0
        codes.append("within_risk_tolerance")
        parts.append(f"风险等级R{candidate.facts.risk_rating}，在您的风险承受范围内")
        horizon_fit = 0.0
        if context.horizon and candidate.horizon == context.horizon:
            horizon_fit = 1.0
            codes.append("matches_horizon")
            parts.append(f"适合{_HORIZON_WORDS.get(candidate.horizon, '')}投资")
        relation = min(1.0, candidate.related_weight / 0.1) if candidate.related_weight > 0 else 0.0
        if relation > 0 and context.security_code:
            codes.append("related_to_holding")
            parts.insert(0, f"与您关注的{context.security_code}相关（权重{candidate.related_weight:.1%}）")
        if (
            context.scene == recommendation_service_pb2.RECOMMENDATION_SCENE_NEW_PRODUCT
            and candidate.launched_recently
        ):
            codes.append("new_product")
            parts.insert(0, "新发产品")
        fit = W_QUALITY * quality + W_RISK_FIT * risk_fit + W_HORIZON * horizon_fit + W_RELATION * relation
        reason = f"{candidate.name}：" + "；".join(parts)
        picks.append(Pick(candidate, round(min(1.0, max(0.0, fit)), 4), reason, tuple(codes)))
    picks.sort(key=lambda p: (-p.fit, p.candidate.facts.product_id))
    return picks[:limit], unsuitable


def fit_decimal(value: float) -> str:
    return str(Decimal(repr(value)).quantize(Decimal("0.0001")))
