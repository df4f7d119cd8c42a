"""Recommendations: suitable products ranked by fit, each with a reason an advisor can read out.

Suitability is a filter before ranking, not a score: every candidate goes through the same
`decide` as Check, an unsuitable one is dropped (and only counted), and every product returned
carries the id of the stored decision that allowed it. Products the customer already holds are
left out unless the context asks for them.

Fit (0..1, model fit-2) is a weighted sum of five parts, each 0..1:

* quality (0.35): the fund evaluation score / 100 (0.5 when not evaluated);
* risk use (0.15): how fully the rating uses the customer's tolerance;
* horizon (0.10): the product's horizon equals the one asked for, or else the one the customer's
  style tags imply (long-term holder → long, short-term trader → short);
* relation (0.25): the strongest link to a stock that matters to the customer — the stock that
  triggered the recommendation, or a stock position, weighted by how concentrated and how far in
  loss that position is. A fund holding the stock links most, an index fund whose index contains
  it next, a fund concentrated in its sector least;
* style (0.15): the product's style tag matches the customer's investment style (value → value
  funds), a theme investor's held sectors match the fund's sector exposure, a technical trader
  gets exchange-traded funds.

The reason lists, strongest first, only the parts that actually contributed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from lingxi.product.v1 import product_pb2, recommendation_service_pb2, suitability_service_pb2
from lingxi_product.customer_context import CustomerContext, Position, plain_code
from lingxi_product.suitability_rules import CustomerRisk, ProductFacts, decide

MODEL_VERSION = "fit-2"
RECOMMEND = suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND
W_QUALITY, W_RISK_FIT, W_HORIZON, W_RELATION, W_STYLE = 0.35, 0.15, 0.10, 0.25, 0.15
# Weights at which a link counts in full: a 8% holding, a 2% index weight, a 30% sector exposure.
FULL_HOLDING, FULL_INDEX, FULL_SECTOR = 0.08, 0.02, 0.30
INDEX_LINK, SECTOR_LINK = 0.8, 0.6
CONCENTRATED = 0.5  # a position at half the portfolio counts as fully concentrated
DEEP_LOSS = 0.3  # a 30% unrealized loss counts as a full loss
_HORIZON_WORDS = {
    product_pb2.HORIZON_SHORT: "短期",
    product_pb2.HORIZON_MEDIUM: "中期",
    product_pb2.HORIZON_LONG: "长期",
}
_STYLE_WORDS = {
    "value": "价值",
    "growth": "成长",
    "theme": "主题",
    "technical": "交易型",
    "event": "事件驱动",
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
    product_code: str = ""
    holdings: Mapping[str, float] = field(default_factory=dict)  # plain stock code → weight in fund
    sectors: Mapping[str, tuple[str, float]] = field(default_factory=dict)  # sector → (name, weight)
    tracking_index_code: str = ""
    index_weights: Mapping[str, float] = field(default_factory=dict)  # plain code → weight in tracked index
    styles: frozenset[str] = frozenset()  # the product's style tag values, e.g. {"value"}


@dataclass(frozen=True, slots=True)
class Pick:
    candidate: Candidate
    fit: float
    reason: str
    reason_codes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class _Part:
    value: float
    code: str = ""
    words: str = ""


def _importance(position: Position) -> float:
    """0.2 for any stock position, up to 1 for one that is concentrated and deep in loss."""
    concentration = min(1.0, position.weight / CONCENTRATED)
    loss = min(1.0, max(0.0, -(position.pnl_ratio or 0.0)) / DEEP_LOSS)
    return 0.2 + 0.4 * concentration + 0.4 * loss


def _position_words(position: Position) -> str:
    facts = []
    if position.pnl_ratio is not None and position.pnl_ratio < 0:
        facts.append(f"浮亏{-position.pnl_ratio:.0%}")
    if position.weight >= 0.2:
        facts.append(f"占持仓{position.weight:.0%}")
    return f"您持有的{position.label}" + ("（" + "、".join(facts) + "）" if facts else "")


def _holding_link(candidate: Candidate, position: Position) -> tuple[float, str]:
    code = plain_code(position.security_code)
    held = candidate.holdings.get(code)
    if held:
        return min(1.0, held / FULL_HOLDING), f"该产品重仓该股（权重{held:.1%}）"
    indexed = candidate.index_weights.get(code)
    if indexed:
        return INDEX_LINK * min(
            1.0, indexed / FULL_INDEX
        ), f"该基金跟踪的指数包含该股（指数权重{indexed:.1%}）"
    sector = candidate.sectors.get(position.sector_code) if position.sector_code else None
    if sector and sector[1] > 0:
        name = sector[0] or position.sector_code
        return SECTOR_LINK * min(
            1.0, sector[1] / FULL_SECTOR
        ), f"该基金重点配置同一行业（{name}{sector[1]:.0%}）"
    return 0.0, ""


def _relation(candidate: Candidate, context: CustomerContext, trigger: str) -> _Part:
    best = _Part(0.0)
    if trigger and candidate.related_weight > 0:
        value = min(1.0, candidate.related_weight / 0.1)
        best = _Part(
            value, "related_to_trigger", f"与您关注的{trigger}相关（权重{candidate.related_weight:.1%}）"
        )
    for position in context.stock_positions:
        link, words = _holding_link(candidate, position)
        value = link * _importance(position)
        if value > best.value:
            best = _Part(value, "related_to_holding", f"{_position_words(position)}，{words}")
    return best


def _style(candidate: Candidate, context: CustomerContext) -> _Part:
    styles = context.styles
    best = _Part(0.0)
    for style in sorted(styles & candidate.styles):
        if style != "theme":
            word = _STYLE_WORDS.get(style, style)
            best = _Part(1.0, "matches_style", f"{word}风格产品，契合您的{word}投资风格")
    if "theme" in styles:
        held = [
            (weight, code, candidate.sectors[code])
            for code, weight in context.sector_weights.items()
            if code in candidate.sectors and candidate.sectors[code][1] > 0
        ]
        if held:
            _, code, (name, exposure) = max(held)
            value = min(1.0, exposure / FULL_SECTOR)
            if value > best.value:
                best = _Part(
                    value, "matches_theme", f"重点配置您持仓的{name or code}行业（占基金资产{exposure:.0%}）"
                )
        elif "theme" in candidate.styles and best.value < 0.6:
            best = _Part(0.6, "matches_theme", "主题型产品，契合您的主题投资风格")
    if (
        "technical" in styles
        and candidate.fund_category == product_pb2.FUND_CATEGORY_ETF
        and best.value < 0.6
    ):
        best = _Part(0.6, "matches_style", "场内ETF交易灵活，契合您偏交易型的投资风格")
    return best


def rank(
    customer: CustomerRisk,
    candidates: Sequence[Candidate],
    context: recommendation_service_pb2.RecommendationContext,
    *,
    on: date,
    limit: int,
    profile: CustomerContext | None = None,
) -> tuple[list[Pick], int]:
    """(suitable picks best first, number of unsuitable candidates left out)."""
    about = profile or CustomerContext()
    picks: list[Pick] = []
    unsuitable = 0
    level = 5 if customer.professional else max(customer.risk_level, 1)
    excluded = set(context.exclude_product_ids) | (
        {context.source_product_id} if context.source_product_id else set()
    )
    held = about.held_codes if not context.include_held else frozenset()
    wanted_horizon = context.horizon or about.preferred_horizon
    for candidate in candidates:
        if candidate.facts.product_id in excluded:
            continue
        if candidate.product_code and plain_code(candidate.product_code) in held:
            continue
        if context.product_types and candidate.product_type not in context.product_types:
            continue
        if context.fund_categories and candidate.fund_category not in context.fund_categories:
            continue
        if not decide(customer, candidate.facts, on=on, purpose=RECOMMEND).allowed:
            unsuitable += 1
            continue
        codes: list[str] = []
        lead: list[str] = []  # the customer-specific parts come first in the reason
        parts: list[str] = []
        quality = candidate.score / 100.0 if candidate.score is not None else 0.5
        if candidate.top_quantile and candidate.percentile is not None:
            codes.append("top_quantile")
            parts.append(f"近一年综合评价位于同类前{max(1, round(candidate.percentile * 100))}%")
        risk_fit = 1.0 - (level - candidate.facts.risk_rating) / 4.0
        horizon_fit = 0.0
        if wanted_horizon and candidate.horizon == wanted_horizon:
            horizon_fit = 1.0
            codes.append("matches_horizon")
            parts.append(f"适合{_HORIZON_WORDS.get(candidate.horizon, '')}投资")
        relation = _relation(candidate, about, context.security_code)
        if relation.value > 0:
            codes.append(relation.code)
            lead.append(relation.words)
        style = _style(candidate, about)
        if style.value > 0:
            codes.append(style.code)
            lead.append(style.words)
        codes.append("within_risk_tolerance")
        parts.append(f"风险等级R{candidate.facts.risk_rating}，在您的风险承受范围内")
        if (
            context.scene == recommendation_service_pb2.RECOMMENDATION_SCENE_NEW_PRODUCT
            and candidate.launched_recently
        ):
            codes.append("new_product")
            lead.insert(0, "新发产品")
        fit = (
            W_QUALITY * quality
            + W_RISK_FIT * risk_fit
            + W_HORIZON * horizon_fit
            + W_RELATION * relation.value
            + W_STYLE * style.value
        )
        reason = f"{candidate.name}：" + "；".join(lead + parts)
        picks.append(Pick(candidate, round(min(1.0, max(0.0, fit)), 4), reason, tuple(codes)))
    picks.sort(key=lambda p: (-p.fit, p.candidate.facts.product_id))
    return picks[:limit], unsuitable


def fit_decimal(value: float) -> str:
    return str(Decimal(repr(value)).quantize(Decimal("0.0001")))
