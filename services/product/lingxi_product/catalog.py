"""The product catalog: validated create/edit of funds, wealth products and advisory services.

A product is validated as a whole after an edit is merged in, so an update can never leave a
product that a create would have refused (e.g. moving the maturity before establishment). Every
real change bumps the version and announces itself through the outbox in the same transaction;
an edit that changes nothing writes nothing. A product going on sale for the first time is
"launched" — the event new-fund strategies wait for.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2
from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import product_pb2
from lingxi_common.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.outbox import emit
from lingxi_product.convert import event_meta, from_date, money, parse_decimal, timestamp, to_date
from lingxi_product.models import outbox, products

WRITER_ROLES = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
EDITABLE_FIELDS = (
    "product_code",
    "name",
    "product_type",
    "fund_category",
    "advisory_kind",
    "risk_rating",
    "min_investment",
    "fees",
    "key_dates",
    "status",
    "issuer",
    "benchmark_code",
    "top_holdings",
    "sector_exposures",
    "horizon",
    "phases",
    "highlight",
    "description",
    "tracking_index_code",
)
_FEE_RATES = ("subscription_rate", "redemption_rate", "management_rate", "custody_rate", "sales_service_rate")
ANNUAL_COST_RATES = ("management_rate", "custody_rate", "sales_service_rate")

TYPE_NAMES = {
    product_pb2.PRODUCT_TYPE_FUND: "fund",
    product_pb2.PRODUCT_TYPE_WEALTH: "wealth",
    product_pb2.PRODUCT_TYPE_ADVISORY: "advisory",
}


def short_enum(enum_type: Any, number: int, prefix: str) -> str:
    """`FUND_CATEGORY_INDEX` → `index`: the spelling used in tags and selection expressions."""
    if number == 0:
        return ""
    return str(enum_type.Name(number)).removeprefix(prefix).lower()


def require_writer(caller: Caller) -> None:
    if not caller.has_role(WRITER_ROLES):
        raise PermissionDenied(f"role {caller.role.value} may not edit the product shelf")


def _enum(value: int, enum_type: Any, field: str, *, required: bool) -> None:
    if value not in enum_type.values():
        raise InvalidArgument(field, f"unknown value {value}")
    if required and value == 0:
        raise InvalidArgument(field, "required")


def _fraction(text: str, field: str, *, maximum: Decimal = Decimal(1)) -> Decimal | None:
    number = parse_decimal(text, field)
    if number is not None and not (Decimal(0) <= number <= maximum):
        raise InvalidArgument(field, f"must be a fraction between 0 and {maximum} (got {text})")
    return number


def validate(product: product_pb2.Product) -> None:
    """Refuse a product that is not complete and consistent, naming the offending field."""
    p = "product"
    if not _CODE.match(product.product_code):
        raise InvalidArgument(f"{p}.product_code", "required: 1-64 letters, digits, '_', '.', '-'")
    if not product.name.strip():
        raise InvalidArgument(f"{p}.name", "required")
    _enum(product.product_type, product_pb2.ProductType, f"{p}.product_type", required=True)
    _enum(product.fund_category, product_pb2.FundCategory, f"{p}.fund_category", required=False)
    _enum(product.advisory_kind, product_pb2.AdvisoryKind, f"{p}.advisory_kind", required=False)
    if product.product_type == product_pb2.PRODUCT_TYPE_FUND and not product.fund_category:
        raise InvalidArgument(f"{p}.fund_category", "required for a fund")
    if product.product_type != product_pb2.PRODUCT_TYPE_FUND and product.fund_category:
        raise InvalidArgument(f"{p}.fund_category", "only funds have a fund category")
    if product.product_type == product_pb2.PRODUCT_TYPE_ADVISORY and not product.advisory_kind:
        raise InvalidArgument(f"{p}.advisory_kind", "required for an advisory service")
    if product.product_type != product_pb2.PRODUCT_TYPE_ADVISORY and product.advisory_kind:
        raise InvalidArgument(f"{p}.advisory_kind", "only advisory services have an advisory kind")
    if product.risk_rating not in range(1, 6):
        raise InvalidArgument(f"{p}.risk_rating", f"must be R1..R5 (got {product.risk_rating})")
    _enum(product.status, product_pb2.ProductStatus, f"{p}.status", required=True)
    _enum(product.horizon, product_pb2.Horizon, f"{p}.horizon", required=False)
    for index, phase in enumerate(product.phases):
        _enum(phase, product_pb2.InvestmentPhase, f"{p}.phases[{index}]", required=True)
    minimum = parse_decimal(product.min_investment.amount, f"{p}.min_investment.amount")
    if minimum is not None and minimum < 0:
        raise InvalidArgument(f"{p}.min_investment.amount", "must not be negative")
    if product.min_investment.currency_code not in ("", "CNY", "USD", "HKD"):
        raise InvalidArgument(f"{p}.min_investment.currency_code", "must be CNY, USD or HKD")
    for rate in _FEE_RATES:
        _fraction(getattr(product.fees, rate).value, f"{p}.fees.{rate}", maximum=Decimal("0.2"))
    price = parse_decimal(product.fees.service_price.amount, f"{p}.fees.service_price.amount")
    if price is not None and price < 0:
        raise InvalidArgument(f"{p}.fees.service_price.amount", "must not be negative")
    if product.fees.service_period_months < 0:
        raise InvalidArgument(f"{p}.fees.service_period_months", "must not be negative")
    dates = product.key_dates
    start = to_date(dates.subscription_window.start, f"{p}.key_dates.subscription_window.start")
    end = to_date(dates.subscription_window.end, f"{p}.key_dates.subscription_window.end")
    if start and end and end < start:
        raise InvalidArgument(
            f"{p}.key_dates.subscription_window", f"ends ({end}) before it starts ({start})"
        )
    established = to_date(dates.established_on, f"{p}.key_dates.established_on")
    matures = to_date(dates.matures_on, f"{p}.key_dates.matures_on")
    if established and matures and matures <= established:
        raise InvalidArgument(
            f"{p}.key_dates.matures_on", f"{matures} is not after establishment {established}"
        )
    if start and established and established < start:
        raise InvalidArgument(
            f"{p}.key_dates.established_on",
            f"{established} is before the subscription window opens ({start})",
        )
    to_date(dates.next_payout_on, f"{p}.key_dates.next_payout_on")
    to_date(dates.next_open_on, f"{p}.key_dates.next_open_on")
    for group in ("top_holdings", "sector_exposures"):
        total = Decimal(0)
        for index, item in enumerate(getattr(product, group)):
            code = item.security_code if group == "top_holdings" else item.sector_code
            if not code:
                raise InvalidArgument(f"{p}.{group}[{index}]", "code required")
            weight = _fraction(item.weight.value, f"{p}.{group}[{index}].weight")
            total += weight or 0
        if total > 1:
            raise InvalidArgument(f"{p}.{group}", f"weights sum to {total}, more than 1")
    for field in ("benchmark_code", "tracking_index_code"):
        value = getattr(product, field)
        if value and not _CODE.match(value):
            raise InvalidArgument(f"{p}.{field}", "letters, digits, '_', '.', '-' only")


def columns_for(product: product_pb2.Product) -> dict[str, Any]:
    """Column values of a validated product."""
    dates = product.key_dates
    fees = {
        rate: getattr(product.fees, rate).value for rate in _FEE_RATES if getattr(product.fees, rate).value
    }
    if product.fees.service_price.amount:
        fees["service_price"] = product.fees.service_price.amount
        fees["service_currency"] = product.fees.service_price.currency_code or "CNY"
    if product.fees.service_period_months:
        fees["service_period_months"] = product.fees.service_period_months
    return {
        "product_code": product.product_code,
        "name": product.name.strip(),
        "product_type": product.product_type,
        "fund_category": product.fund_category,
        "advisory_kind": product.advisory_kind,
        "risk_rating": product.risk_rating,
        "min_investment": parse_decimal(product.min_investment.amount, "product.min_investment.amount"),
        "currency_code": product.min_investment.currency_code or "CNY",
        "fees": fees,
        "subscription_start": to_date(dates.subscription_window.start, "start"),
        "subscription_end": to_date(dates.subscription_window.end, "end"),
        "established_on": to_date(dates.established_on, "established_on"),
        "matures_on": to_date(dates.matures_on, "matures_on"),
        "next_payout_on": to_date(dates.next_payout_on, "next_payout_on"),
        "next_open_on": to_date(dates.next_open_on, "next_open_on"),
        "status": product.status,
        "issuer": product.issuer,
        "benchmark_code": product.benchmark_code,
        "top_holdings": [
            {
                "security_code": h.security_code,
                "security_name": h.security_name,
                "weight": h.weight.value,
                "report_date": to_date(h.report_date, "report_date").isoformat()
                if to_date(h.report_date, "report_date")
                else None,
            }
            for h in product.top_holdings
        ],
        "sector_exposures": [
            {"sector_code": s.sector_code, "sector_name": s.sector_name, "weight": s.weight.value}
            for s in product.sector_exposures
        ],
        "horizon": product.horizon,
        "phases": sorted(set(product.phases)),
        "highlight": product.highlight,
        "description": product.description,
        "tracking_index_code": product.tracking_index_code,
    }


def to_proto(row: Any) -> product_pb2.Product:
    """The stored product as the wire message."""
    m = row._mapping
    message = product_pb2.Product(
        product_id=m["product_id"],
        product_code=m["product_code"],
        name=m["name"],
        product_type=m["product_type"],
        fund_category=m["fund_category"],
        advisory_kind=m["advisory_kind"],
        risk_rating=m["risk_rating"],
        status=m["status"],
        issuer=m["issuer"],
        benchmark_code=m["benchmark_code"],
        horizon=m["horizon"],
        phases=m["phases"],
        highlight=m["highlight"],
        description=m["description"],
        tracking_index_code=m["tracking_index_code"],
        version=m["version"],
        created_at=timestamp(m["created_at"]),
        updated_at=timestamp(m["updated_at"]),
        updated_by=common_customer_pb2.Actor(subject=m["updated_by"]),
    )
    if m["min_investment"] is not None:
        message.min_investment.CopyFrom(money(m["min_investment"], m["currency_code"]))
    fees = m["fees"] or {}
    for rate in _FEE_RATES:
        if fees.get(rate):
            getattr(message.fees, rate).value = fees[rate]
    if fees.get("service_price"):
        message.fees.service_price.CopyFrom(
            money(Decimal(fees["service_price"]), fees.get("service_currency", "CNY"))
        )
    message.fees.service_period_months = int(fees.get("service_period_months", 0))
    dates = message.key_dates
    for column, target in (
        ("subscription_start", dates.subscription_window.start),
        ("subscription_end", dates.subscription_window.end),
        ("established_on", dates.established_on),
        ("matures_on", dates.matures_on),
        ("next_payout_on", dates.next_payout_on),
        ("next_open_on", dates.next_open_on),
    ):
        value = from_date(m[column])
        if value is not None:
            target.CopyFrom(value)
    for holding in m["top_holdings"]:
        entry = message.top_holdings.add(
            security_code=holding["security_code"], security_name=holding.get("security_name", "")
        )
        entry.weight.value = holding.get("weight", "")
        if holding.get("report_date"):
            entry.report_date.CopyFrom(from_date(date.fromisoformat(holding["report_date"])))
    for sector in m["sector_exposures"]:
        entry_s = message.sector_exposures.add(
            sector_code=sector["sector_code"], sector_name=sector.get("sector_name", "")
        )
        entry_s.weight.value = sector.get("weight", "")
    if m["latest_nav"] is not None:
        message.latest_nav.value = str(m["latest_nav"])
        message.latest_nav_date.CopyFrom(from_date(m["latest_nav_date"]))
    return message


def facts(row: Any) -> product_events_pb2.ProductFacts:
    """Identifying facts repeated in every product event, so consumers filter without a lookup."""
    m = row._mapping
    return product_events_pb2.ProductFacts(
        product_id=m["product_id"],
        product_code=m["product_code"],
        name=m["name"],
        product_type=product_pb2.ProductType.Name(m["product_type"]),
        fund_category=product_pb2.FundCategory.Name(m["fund_category"]) if m["fund_category"] else "",
        risk_rating=m["risk_rating"],
    )


def _window(row: Any) -> date_pb2.DateRange:
    window = date_pb2.DateRange()
    if row.subscription_start:
        window.start.CopyFrom(from_date(row.subscription_start))
    if row.subscription_end:
        window.end.CopyFrom(from_date(row.subscription_end))
    return window


async def _announce_launch(session: AsyncSession, row: Any, correlation_id: str) -> Any:
    """First time on sale → ProductLaunched, once (launched_at remembers it)."""
    if row.status != product_pb2.PRODUCT_STATUS_ON_SALE or row.launched_at is not None:
        return row
    await emit(
        session,
        outbox,
        product_events_pb2.ProductLaunched(
            meta=event_meta(correlation_id),
            product=facts(row),
            subscription_window=_window(row),
            min_investment=money(row.min_investment, row.currency_code),
        ),
    )
    return (
        await session.execute(
            products.update()
            .where(products.c.product_id == row.product_id)
            .values(launched_at=sa.func.now())
            .returning(products)
        )
    ).one()


async def create_product(
    session: AsyncSession, caller: Caller, product: product_pb2.Product, *, correlation_id: str = ""
) -> product_pb2.Product:
    require_writer(caller)
    if product.product_id and not _CODE.match(product.product_id):
        raise InvalidArgument("product.product_id", "1-64 letters, digits, '_', '.', '-'")
    validate(product)
    product_id = product.product_id or f"P{uuid.uuid4().hex[:12].upper()}"
    clash = (
        await session.execute(
            sa.select(products.c.product_id).where(
                (products.c.product_id == product_id) | (products.c.product_code == product.product_code)
            )
        )
    ).first()
    if clash is not None:
        raise Conflict(f"product {product_id!r} or code {product.product_code!r} already exists")
    row = (
        await session.execute(
            products.insert()
            .values(product_id=product_id, updated_by=caller.subject, **columns_for(product))
            .returning(products)
        )
    ).one()
    row = await _announce_launch(session, row, correlation_id)
    return to_proto(row)


async def load_row(session: AsyncSession, product_id: str, *, lock: bool = False) -> Any:
    query = sa.select(products).where(products.c.product_id == product_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound("product", product_id)
    return row


async def update_product(
    session: AsyncSession,
    caller: Caller,
    product: product_pb2.Product,
    update_mask: Sequence[str],
    expected_version: int,
    *,
    correlation_id: str = "",
) -> product_pb2.Product:
    require_writer(caller)
    if not product.product_id:
        raise InvalidArgument("product.product_id", "required")
    paths = list(update_mask) or list(EDITABLE_FIELDS)
    unknown = sorted(set(paths) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidArgument("update_mask", f"unknown or read-only field(s): {', '.join(unknown)}")
    existing = await load_row(session, product.product_id, lock=True)
    if expected_version and existing.version != expected_version:
        raise Conflict(
            f"product {product.product_id!r} is at version {existing.version}, not {expected_version}"
        )
    merged = to_proto(existing)
    for path in paths:
        merged.ClearField(path)
        if path in ("top_holdings", "sector_exposures", "phases"):
            getattr(merged, path).extend(getattr(product, path))
        elif path in ("min_investment", "fees", "key_dates"):
            getattr(merged, path).CopyFrom(getattr(product, path))
        else:
            setattr(merged, path, getattr(product, path))
    validate(merged)
    values = columns_for(merged)
    changed = sorted(column for column, value in values.items() if existing._mapping[column] != value)
    if not changed:
        return to_proto(existing)
    if "product_code" in changed:
        clash = (
            await session.execute(
                sa.select(products.c.product_id).where(
                    products.c.product_code == merged.product_code, products.c.product_id != merged.product_id
                )
            )
        ).first()
        if clash is not None:
            raise Conflict(f"product code {merged.product_code!r} is already used by {clash.product_id!r}")
    row = (
        await session.execute(
            products.update()
            .where(products.c.product_id == product.product_id)
            .values(
                **values, version=products.c.version + 1, updated_at=sa.func.now(), updated_by=caller.subject
            )
            .returning(products)
        )
    ).one()
    await emit(
        session,
        outbox,
        product_events_pb2.ProductChanged(
            meta=event_meta(correlation_id),
            product=facts(row),
            changed_fields=changed,
            previous_status=product_pb2.ProductStatus.Name(existing.status),
            status=product_pb2.ProductStatus.Name(row.status),
            version=row.version,
        ),
    )
    row = await _announce_launch(session, row, correlation_id)
    return to_proto(row)


async def get_row(session: AsyncSession, *, product_id: str = "", product_code: str = "") -> Any:
    if product_id:
        return await load_row(session, product_id)
    if not product_code:
        raise InvalidArgument("key", "product_id or product_code required")
    row = (await session.execute(sa.select(products).where(products.c.product_code == product_code))).first()
    if row is None:
        raise NotFound("product", product_code)
    return row


async def batch_get(
    session: AsyncSession, product_ids: Sequence[str]
) -> tuple[list[product_pb2.Product], list[str]]:
    if len(product_ids) > 1000:
        raise InvalidArgument("product_ids", "at most 1000 per call")
    rows = (
        await session.execute(sa.select(products).where(products.c.product_id.in_(list(product_ids))))
    ).all()
    by_id = {row.product_id: row for row in rows}
    found = [to_proto(by_id[pid]) for pid in dict.fromkeys(product_ids) if pid in by_id]
    missing = [pid for pid in dict.fromkeys(product_ids) if pid not in by_id]
    return found, missing


def list_query(
    product_types: Iterable[int],
    fund_categories: Iterable[int],
    statuses: Iterable[int],
    max_risk_rating: int,
    query: str,
) -> sa.Select[Any]:
    statement = sa.select(products)
    if types := list(product_types):
        statement = statement.where(products.c.product_type.in_(types))
    if categories := list(fund_categories):
        statement = statement.where(products.c.fund_category.in_(categories))
    if status_list := list(statuses):
        statement = statement.where(products.c.status.in_(status_list))
    if max_risk_rating:
        if max_risk_rating not in enums_pb2.ProductRiskRating.values():
            raise InvalidArgument("max_risk_rating", f"unknown rating {max_risk_rating}")
        statement = statement.where(products.c.risk_rating <= max_risk_rating)
    if query.strip():
        escaped = query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(products.c.product_code.ilike(pattern) | products.c.name.ilike(pattern))
    return statement
