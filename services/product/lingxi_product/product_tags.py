"""Product tags (computed and manual) and product selection by expression.

Computed tags are derived from the catalog, metrics and evaluation, and rewritten on every
recompute (a change is announced with ProductTagChanged). Manual tags are set by operators and
win over a computed tag of the same code until removed. Selection uses CEL — the same expression
language as customer tags, through the maintained `common-expression-language` bindings — over
a fixed set of variables, so an expression can read product facts but never run code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cel
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import analytics_pb2, product_pb2
from lingxi_common.errors import InvalidArgument, NotFound
from lingxi_common.identity import Caller
from lingxi_common.outbox import emit, emit_many
from lingxi_product import catalog, fund_style
from lingxi_product.convert import event_meta
from lingxi_product.models import fund_evaluations, outbox, product_metrics, product_tags, products

COMPUTED = analytics_pb2.TAG_SOURCE_COMPUTED
MANUAL = analytics_pb2.TAG_SOURCE_MANUAL
_TAG_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SECTOR_TAG_MIN_WEIGHT = 0.2

_STYLE = {
    product_pb2.FUND_CATEGORY_INDEX: "passive",
    product_pb2.FUND_CATEGORY_ETF: "passive",
    product_pb2.FUND_CATEGORY_BOND: "fixed_income",
    product_pb2.FUND_CATEGORY_MONEY_MARKET: "fixed_income",
}
_DEFAULT_HORIZON = {
    product_pb2.FUND_CATEGORY_MONEY_MARKET: "short",
    product_pb2.FUND_CATEGORY_BOND: "medium",
}


def perf_quantile(percentile: float | None) -> str:
    """Evaluation percentile → bucket ("top10", "top20", "top50", "bottom50")."""
    if percentile is None:
        return ""
    for bound, name in ((0.1, "top10"), (0.2, "top20"), (0.5, "top50")):
        if percentile <= bound:
            return name
    return "bottom50"


def volatility_level(volatility: float | None) -> str:
    if volatility is None:
        return ""
    return "low" if volatility < 0.08 else "medium" if volatility < 0.25 else "high"


def compute_tags(
    row: Any, volatility_1y: float | None, percentile: float | None, style: str = ""
) -> dict[str, str]:
    """The computed tags of one product (empty values are left out). `style` is the
    returns-based style of an equity or hybrid fund (`fund_style`), "" when undetermined."""
    m = row._mapping
    tags = {
        "type": catalog.TYPE_NAMES.get(m["product_type"], ""),
        "category": catalog.short_enum(product_pb2.FundCategory, m["fund_category"], "FUND_CATEGORY_"),
        "advisory_kind": catalog.short_enum(product_pb2.AdvisoryKind, m["advisory_kind"], "ADVISORY_KIND_"),
        "risk": f"R{m['risk_rating']}",
        "status": catalog.short_enum(product_pb2.ProductStatus, m["status"], "PRODUCT_STATUS_"),
        "horizon": catalog.short_enum(product_pb2.Horizon, m["horizon"], "HORIZON_")
        or (_DEFAULT_HORIZON.get(m["fund_category"], "long") if m["fund_category"] else ""),
        "phase": ",".join(
            catalog.short_enum(product_pb2.InvestmentPhase, phase, "INVESTMENT_PHASE_")
            for phase in m["phases"]
        ),
        "volatility_level": volatility_level(volatility_1y),
        "perf_quantile": perf_quantile(percentile),
    }
    if m["fund_category"]:
        tags["style"] = style or _STYLE.get(m["fund_category"], "active")
    sectors = sorted(m["sector_exposures"], key=lambda s: -float(s.get("weight") or 0))
    if sectors and float(sectors[0].get("weight") or 0) >= SECTOR_TAG_MIN_WEIGHT:
        tags["sector"] = sectors[0]["sector_code"]
    return {code: value for code, value in tags.items() if value}


async def recompute_computed_tags(
    session: AsyncSession, *, correlation_id: str = "", styles: Mapping[str, str] | None = None
) -> int:
    """Rewrite every product's computed tags; announce each changed value. Returns changes.

    `styles` holds the fund styles analysed in this run (product id → style, "" undetermined);
    a fund not analysed now keeps the analysed style it has."""
    rows = (await session.execute(sa.select(products))).all()
    vol: dict[str, Any] = dict(
        (
            await session.execute(
                sa.select(product_metrics.c.product_id, product_metrics.c.annualized_volatility).where(
                    product_metrics.c.window == analytics_pb2.METRIC_WINDOW_1Y
                )
            )
        ).all()
    )
    pct: dict[str, Any] = dict(
        (await session.execute(sa.select(fund_evaluations.c.product_id, fund_evaluations.c.percentile))).all()
    )
    stored: dict[str, dict[str, str]] = {}
    for tag in (
        await session.execute(sa.select(product_tags).where(product_tags.c.source == COMPUTED))
    ).all():
        stored.setdefault(tag.product_id, {})[tag.code] = tag.value
    changes = 0
    removed: list[tuple[str, str]] = []
    added: list[dict[str, Any]] = []
    announcements: list[product_events_pb2.ProductTagChanged] = []
    for row in rows:
        old = stored.get(row.product_id, {})
        if styles is not None and row.product_id in styles:
            style = styles[row.product_id]
        else:
            kept = old.get("style", "")
            style = kept if kept in fund_style.STYLES else ""
        if row.fund_category not in fund_style.ANALYSED_CATEGORIES:
            style = ""
        fresh = compute_tags(
            row,
            float(vol[row.product_id]) if vol.get(row.product_id) is not None else None,
            float(pct[row.product_id]) if row.product_id in pct else None,
            style,
        )
        for code in sorted(set(fresh) | set(old)):
            before, after = old.get(code, ""), fresh.get(code, "")
            if before == after:
                continue
            changes += 1
            if before:
                removed.append((row.product_id, code))
            if after:
                added.append(
                    {
                        "product_id": row.product_id,
                        "code": code,
                        "source": COMPUTED,
                        "value": after,
                        "set_by": "service:product",
                    }
                )
            announcements.append(
                product_events_pb2.ProductTagChanged(
                    meta=event_meta(correlation_id),
                    product=catalog.facts(row),
                    tag_code=code,
                    old_value=before,
                    new_value=after,
                )
            )
    await emit_many(session, outbox, announcements)
    for start in range(0, len(removed), 5000):
        await session.execute(
            product_tags.delete().where(
                product_tags.c.source == COMPUTED,
                sa.tuple_(product_tags.c.product_id, product_tags.c.code).in_(removed[start : start + 5000]),
            )
        )
    for start in range(0, len(added), 5000):
        await session.execute(product_tags.insert(), added[start : start + 5000])
    return changes


async def effective_tags(
    session: AsyncSession, product_ids: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """product id → code → tag row; a manual value overrides a computed one."""
    statement = sa.select(product_tags).order_by(product_tags.c.source)
    if product_ids is not None:
        statement = statement.where(product_tags.c.product_id.in_(list(product_ids)))
    result: dict[str, dict[str, Any]] = {}
    for tag in (await session.execute(statement)).all():
        result.setdefault(tag.product_id, {})[tag.code] = tag  # MANUAL (2) sorts after COMPUTED (1)
    return result


def tag_to_proto(tag: Any) -> analytics_pb2.ProductTag:
    from lingxi.common.v1 import customer_pb2 as common_customer_pb2
    from lingxi_product.convert import timestamp

    return analytics_pb2.ProductTag(
        code=tag.code,
        value=tag.value,
        source=tag.source,
        set_at=timestamp(tag.set_at),
        set_by=common_customer_pb2.Actor(subject=tag.set_by),
    )


async def set_manual_tag(
    session: AsyncSession, caller: Caller, product_id: str, code: str, value: str
) -> Any:
    catalog.require_writer(caller)
    if not _TAG_CODE.match(code):
        raise InvalidArgument("code", "snake_case, at most 64 characters")
    if not value.strip() or len(value) > 200:
        raise InvalidArgument("value", "1-200 characters required")
    row = await catalog.load_row(session, product_id)
    current = (await effective_tags(session, [product_id])).get(product_id, {}).get(code)
    await session.execute(
        product_tags.delete().where(
            (product_tags.c.product_id == product_id)
            & (product_tags.c.code == code)
            & (product_tags.c.source == MANUAL)
        )
    )
    tag = (
        await session.execute(
            product_tags.insert()
            .values(
                product_id=product_id, code=code, source=MANUAL, value=value.strip(), set_by=caller.subject
            )
            .returning(product_tags)
        )
    ).one()
    if current is None or current.value != tag.value:
        await emit(
            session,
            outbox,
            product_events_pb2.ProductTagChanged(
                meta=event_meta(),
                product=catalog.facts(row),
                tag_code=code,
                old_value=current.value if current is not None else "",
                new_value=tag.value,
            ),
        )
    return tag


async def remove_manual_tag(session: AsyncSession, caller: Caller, product_id: str, code: str) -> None:
    catalog.require_writer(caller)
    await catalog.load_row(session, product_id)
    deleted = (
        await session.execute(
            product_tags.delete()
            .where(
                (product_tags.c.product_id == product_id)
                & (product_tags.c.code == code)
                & (product_tags.c.source == MANUAL)
            )
            .returning(product_tags.c.value)
        )
    ).first()
    if deleted is None:
        raise NotFound("manual product tag", f"{product_id}/{code}")


# ---- selection --------------------------------------------------------------------------------

SELECTION_VARIABLES = (
    "product_id, code, name, issuer, type, category, status, risk (int 1..5), min_investment (double), "
    "tags (map), every tag code (string, '' when absent), return_1y, volatility_1y, max_drawdown_1y, "
    "sharpe_1y (double, 0 when unknown), score (double 0..100), top_quantile (bool)"
)


@dataclass(frozen=True, slots=True)
class Selectable:
    product_id: str
    variables: dict[str, Any]


def compile_expression(expression: str) -> Any:
    if not expression.strip():
        raise InvalidArgument("expression", "required")
    if len(expression) > 4000:
        raise InvalidArgument("expression", "at most 4000 characters")
    try:
        return cel.compile(expression)
    except ValueError as error:
        raise InvalidArgument("expression", str(error).splitlines()[0]) from error


def matches(program: Any, variables: dict[str, Any]) -> bool:
    try:
        result = program.execute(variables)
    except KeyError:
        return False  # a map key this product does not have (e.g. tags["theme"]): no match
    except (RuntimeError, ValueError, TypeError) as error:
        raise InvalidArgument("expression", f"{error} (variables: {SELECTION_VARIABLES})") from error
    if not isinstance(result, bool):
        raise InvalidArgument("expression", f"must be a condition (true/false), got {type(result).__name__}")
    return result


async def selectables(session: AsyncSession) -> list[Selectable]:
    """Every product with the variables an expression can read."""
    rows = (await session.execute(sa.select(products).order_by(products.c.product_id))).all()
    metrics = {
        m.product_id: m
        for m in (
            await session.execute(
                sa.select(product_metrics).where(product_metrics.c.window == analytics_pb2.METRIC_WINDOW_1Y)
            )
        ).all()
    }
    evaluations = {e.product_id: e for e in (await session.execute(sa.select(fund_evaluations))).all()}
    tags = await effective_tags(session)
    codes = {code for per_product in tags.values() for code in per_product}
    result = []
    for row in rows:
        own = {code: tag.value for code, tag in tags.get(row.product_id, {}).items()}
        metric = metrics.get(row.product_id)
        evaluation = evaluations.get(row.product_id)

        def number(value: Any) -> float:
            return float(value) if value is not None else 0.0

        variables: dict[str, Any] = {code: "" for code in codes}
        variables.update(own)
        variables.update(
            {
                "product_id": row.product_id,
                "code": row.product_code,
                "name": row.name,
                "issuer": row.issuer,
                "type": catalog.TYPE_NAMES.get(row.product_type, ""),
                "category": catalog.short_enum(product_pb2.FundCategory, row.fund_category, "FUND_CATEGORY_"),
                "status": catalog.short_enum(product_pb2.ProductStatus, row.status, "PRODUCT_STATUS_"),
                "risk": int(row.risk_rating),
                "min_investment": number(row.min_investment),
                "tags": own,
                "return_1y": number(metric.annualized_return) if metric else 0.0,
                "volatility_1y": number(metric.annualized_volatility) if metric else 0.0,
                "max_drawdown_1y": number(metric.max_drawdown) if metric else 0.0,
                "sharpe_1y": number(metric.sharpe) if metric else 0.0,
                "score": number(evaluation.score) if evaluation else 0.0,
                "top_quantile": bool(evaluation.top_quantile) if evaluation else False,
            }
        )
        result.append(Selectable(row.product_id, variables))
    return result


async def select_ids(session: AsyncSession, expression: str) -> list[str]:
    program = compile_expression(expression)
    return [item.product_id for item in await selectables(session) if matches(program, item.variables)]
