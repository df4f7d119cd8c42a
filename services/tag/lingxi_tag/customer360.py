"""Customer 360: accounts, holdings summary, current tags, identities and one timeline.

The timeline merges online behaviour events, offline touches, trades and tag changes, newest
first, with a keyset page token (time, kind, id) so pages stay stable while new entries arrive.
Notes of offline touches are not shown here (they stay encrypted; the CRM reads them where the
role allows), and identity values are masked.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from google.protobuf import struct_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import decimal_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.pii import PiiCipher, mask_openid
from lingxi_tag.facts import load_contexts
from lingxi_tag.models import (
    accounts,
    customer_tags,
    customers,
    holdings,
    identities,
    tag_definitions,
)

RECENT_TIMELINE = 20
MAX_PAGE = 200

_TIMELINE_SQL = """
SELECT * FROM (
    SELECT 'e:' || event_id::text AS entry_id, 1 AS kind, occurred_at, event_name AS name,
           source_id AS source,
           properties, NULL::text AS staff_id
    FROM tag.behavior_events WHERE customer_id = :cid
  UNION ALL
    SELECT 'o:' || touch_id, 2, occurred_at, 'offline_touch', coalesce(branch_id, ''),
           jsonb_build_object('kind', kind, 'result', result, 'duration_seconds', duration_seconds,
                              'task_id', task_id, 'product_ids', product_ids), staff_id
    FROM tag.offline_touches WHERE customer_id = :cid
  UNION ALL
    SELECT 't:' || trade_id, 3, traded_at, 'trade', account_id,
           jsonb_build_object('security_code', security_code, 'side', side, 'quantity', quantity::text,
                              'amount', amount::text), NULL
    FROM tag.trades WHERE customer_id = :cid
  UNION ALL
    SELECT 'g:' || seq::text, 5, changed_at, tag_code,
           CASE WHEN from_recompute THEN 'recompute' ELSE 'realtime' END,
           jsonb_build_object('change', change, 'old_value', old_value, 'new_value', new_value), NULL
    FROM tag.tag_changes WHERE customer_id = :cid
) t
WHERE (:kinds_empty OR kind = ANY(:kinds))
  AND (:since IS NULL OR occurred_at >= :since)
  AND (:until IS NULL OR occurred_at < :until)
  AND (:after_time IS NULL OR (occurred_at, entry_id) < (:after_time, :after_id))
ORDER BY occurred_at DESC, entry_id DESC
LIMIT :limit
"""


def money(value: Any) -> Any:
    from lingxi.common.v1 import decimal_pb2 as d

    return d.Money(amount=f"{Decimal(value or 0):.2f}")


async def visible_customer(session: AsyncSession, caller: Caller, customer_id: str) -> Any:
    if caller.role in (Role.PARTNER, Role.SRE):
        raise PermissionDenied(f"role {caller.role.value} may not read customers")
    row = (await session.execute(sa.select(customers).where(customers.c.customer_id == customer_id))).first()
    if row is None:
        raise NotFound("customer", customer_id)
    if not caller.can_see_customer(
        customer_id=row.customer_id, branch_id=row.branch_id, advisor_id=row.advisor_id
    ):
        raise PermissionDenied(f"customer {customer_id!r} is outside your data scope")
    return row


def _token(occurred_at: dt.datetime, entry_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([occurred_at.isoformat(), entry_id]).encode()).decode()


def _untoken(token: str) -> tuple[dt.datetime | None, str]:
    if not token:
        return None, ""
    try:
        moment, entry_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        return dt.datetime.fromisoformat(moment), str(entry_id)
    except (ValueError, TypeError) as error:
        raise InvalidArgument("page.page_token", "not a token from a previous page") from error


async def timeline(
    session: AsyncSession,
    customer_id: str,
    *,
    kinds: list[int] | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    page_size: int = RECENT_TIMELINE,
    page_token: str = "",
) -> tuple[list[customer_pb2.TimelineEntry], str]:
    size = max(1, min(page_size or 50, MAX_PAGE))
    after_time, after_id = _untoken(page_token)
    rows = (
        await session.execute(
            sa.text(_TIMELINE_SQL).bindparams(
                sa.bindparam("since", type_=sa.DateTime(timezone=True)),
                sa.bindparam("until", type_=sa.DateTime(timezone=True)),
                sa.bindparam("after_time", type_=sa.DateTime(timezone=True)),
                sa.bindparam("kinds", type_=sa.ARRAY(sa.Integer)),
            ),
            {
                "cid": customer_id,
                "kinds_empty": not kinds,
                "kinds": list(kinds or []),
                "since": since,
                "until": until,
                "after_time": after_time,
                "after_id": after_id,
                "limit": size + 1,
            },
        )
    ).all()
    entries = []
    for row in rows[:size]:
        properties = struct_pb2.Struct()
        properties.update({key: value for key, value in (row.properties or {}).items() if value is not None})
        entry = customer_pb2.TimelineEntry(
            entry_id=row.entry_id,
            kind=row.kind,
            name=row.name,
            source=row.source or "",
            properties=properties,
            staff_id=row.staff_id or "",
            summary=_summary(row),
        )
        entry.occurred_at.FromDatetime(row.occurred_at)
        entries.append(entry)
    next_token = _token(rows[size - 1].occurred_at, rows[size - 1].entry_id) if len(rows) > size else ""
    return entries, next_token


def _summary(row: Any) -> str:
    props = row.properties or {}
    if row.kind == customer_pb2.TIMELINE_KIND_OFFLINE_TOUCH:
        kind = customer_pb2.TouchKind.Name(props.get("kind") or 0).removeprefix("TOUCH_KIND_").lower()
        result = customer_pb2.TouchResult.Name(props.get("result") or 0).removeprefix("TOUCH_RESULT_").lower()
        return f"{kind}: {result}"
    if row.kind == customer_pb2.TIMELINE_KIND_TAG_CHANGE:
        return f"{row.name}: {props.get('old_value') or '∅'} → {props.get('new_value') or '∅'}"
    if row.kind == customer_pb2.TIMELINE_KIND_TRADE:
        return f"trade {props.get('security_code', '')} {props.get('amount', '')}"
    return str(row.name)


async def current_tags(
    session: AsyncSession, customer_id: str, category: str = ""
) -> list[customer_pb2.CustomerTag]:
    query = (
        sa.select(customer_tags, tag_definitions.c.display_name, tag_definitions.c.category_code)
        .join(
            tag_definitions,
            sa.and_(
                tag_definitions.c.code == customer_tags.c.tag_code,
                tag_definitions.c.version == customer_tags.c.definition_version,
            ),
        )
        .where(customer_tags.c.customer_id == customer_id)
        .order_by(customer_tags.c.tag_code)
    )
    if category:
        query = query.where(tag_definitions.c.category_code == category)
    tags = []
    for row in (await session.execute(query)).all():
        tag = customer_pb2.CustomerTag(
            tag_code=row.tag_code,
            value=row.value,
            definition_version=row.definition_version,
            display_name=row.display_name,
            category_code=row.category_code,
        )
        tag.since.FromDatetime(row.since)
        tags.append(tag)
    return tags


async def tags_of_customers(
    session: AsyncSession, customer_ids: list[str], tag_codes: list[str] | None = None
) -> dict[str, list[customer_pb2.CustomerTag]]:
    """Current tags of many customers in one query (BatchGetCustomers)."""
    if not customer_ids:
        return {}
    query = (
        sa.select(customer_tags, tag_definitions.c.display_name, tag_definitions.c.category_code)
        .join(
            tag_definitions,
            sa.and_(
                tag_definitions.c.code == customer_tags.c.tag_code,
                tag_definitions.c.version == customer_tags.c.definition_version,
            ),
        )
        .where(customer_tags.c.customer_id.in_(customer_ids))
        .order_by(customer_tags.c.customer_id, customer_tags.c.tag_code)
    )
    if tag_codes:
        query = query.where(customer_tags.c.tag_code.in_(tag_codes))
    result: dict[str, list[customer_pb2.CustomerTag]] = {}
    for row in (await session.execute(query)).all():
        tag = customer_pb2.CustomerTag(
            tag_code=row.tag_code,
            value=row.value,
            definition_version=row.definition_version,
            display_name=row.display_name,
            category_code=row.category_code,
        )
        tag.since.FromDatetime(row.since)
        result.setdefault(row.customer_id, []).append(tag)
    return result


def _decimal(value: Any) -> decimal_pb2.Decimal:
    return decimal_pb2.Decimal(value=str(value) if value is not None else "0")


def _holdings_summary(holding_rows: list[Any]) -> customer_pb2.HoldingsSummary:
    """Positions (largest first) → totals, concentration, top 10 and sector weights."""
    total = sum((Decimal(row.market_value) for row in holding_rows), Decimal(0))
    sectors: dict[str, Decimal] = {}
    for row in holding_rows:
        sectors[row.sector_code or ""] = sectors.get(row.sector_code or "", Decimal(0)) + Decimal(
            row.market_value
        )
    return customer_pb2.HoldingsSummary(
        total_market_value=money(total),
        position_count=len(holding_rows),
        top_position_weight=_decimal(
            round(Decimal(holding_rows[0].market_value) / total, 4) if holding_rows and total else 0
        ),
        unrealized_pnl=money(sum((Decimal(row.unrealized_pnl) for row in holding_rows), Decimal(0))),
        top_holdings=[
            customer_pb2.Holding(
                account_id=row.account_id,
                customer_id=row.customer_id,
                security_code=row.security_code,
                security_name=row.security_name or "",
                security_type=row.security_type,
                quantity=_decimal(row.quantity),
                cost=money(row.cost),
                market_value=money(row.market_value),
                unrealized_pnl=money(row.unrealized_pnl),
                unrealized_pnl_ratio=_decimal(row.unrealized_pnl_ratio),
                sector_code=row.sector_code or "",
            )
            for row in holding_rows[:10]
        ],
        sectors=[
            customer_pb2.SectorWeight(
                sector_code=code, weight=_decimal(round(value / total, 4) if total else 0)
            )
            for code, value in sorted(sectors.items(), key=lambda item: -item[1])
        ],
    )


async def holdings_summaries(
    session: AsyncSession, customer_ids: list[str]
) -> dict[str, customer_pb2.HoldingsSummary]:
    """Holdings summary per customer (open positions only), one query for all of them."""
    by_customer: dict[str, list[Any]] = {customer_id: [] for customer_id in customer_ids}
    if customer_ids:
        for row in (
            await session.execute(
                sa.select(holdings)
                .where(holdings.c.customer_id.in_(customer_ids), holdings.c.quantity > 0)
                .order_by(holdings.c.customer_id, holdings.c.market_value.desc())
            )
        ).all():
            by_customer[row.customer_id].append(row)
    return {customer_id: _holdings_summary(rows) for customer_id, rows in by_customer.items()}


async def full_view(session: AsyncSession, cipher: PiiCipher, customer_id: str) -> dict[str, Any]:
    """The parts of GetCustomerResponse beyond the profile (view FULL)."""
    account_rows = (
        await session.execute(sa.select(accounts).where(accounts.c.customer_id == customer_id))
    ).all()
    fund_accounts = []
    for row in account_rows:
        account = customer_pb2.FundAccount(
            account_id=row.account_id,
            customer_id=row.customer_id,
            account_type=row.account_type,
            status=row.status,
            total_assets=money(row.total_assets),
            cash_balance=money(row.cash_balance),
            stock_market_value=money(row.stock_market_value),
            fund_market_value=money(row.fund_market_value),
            liabilities=money(row.liabilities),
        )
        if row.maintenance_ratio is not None:
            account.maintenance_ratio.value = str(row.maintenance_ratio)
        if row.contract_expires_on is not None:
            d = row.contract_expires_on
            (
                account.contract_expires_on.year,
                account.contract_expires_on.month,
                account.contract_expires_on.day,
            ) = d.year, d.month, d.day
        fund_accounts.append(account)
    summary = (await holdings_summaries(session, [customer_id]))[customer_id]
    links = []
    for row in (
        await session.execute(sa.select(identities).where(identities.c.customer_id == customer_id))
    ).all():
        link = customer_pb2.IdentityLink(
            identity_type=row.identity_type,
            value=mask_openid(cipher.decrypt(bytes(row.value_enc), context="identity")),
            customer_id=customer_id,
            source_id=row.source_id,
            linked_by_event_id=row.linked_by_event_id or "",
        )
        link.linked_at.FromDatetime(row.linked_at)
        links.append(link)
    from lingxi_tag.external_assets import external_assets_of
    from lingxi_tag.watchlists import watchlist_of

    recent, _ = await timeline(session, customer_id, page_size=RECENT_TIMELINE)
    return {
        "accounts": fund_accounts,
        "holdings_summary": summary,
        "tags": await current_tags(session, customer_id),
        "recent_timeline": recent,
        "identities": links,
        "external_assets": await external_assets_of(session, customer_id),
        "watchlist": await watchlist_of(session, customer_id),
    }


async def aggregate_values(
    session: AsyncSession, customer_id: str, codes: list[str]
) -> list[customer_pb2.AggregateValue]:
    from lingxi_tag.models import aggregate_definitions

    measures = {
        row.code: row.measure
        for row in (
            await session.execute(sa.select(aggregate_definitions.c.code, aggregate_definitions.c.measure))
        ).all()
    }
    if codes:
        unknown = [code for code in codes if code not in measures]
        if unknown:
            raise NotFound("aggregate", unknown[0])
        measures = {code: measures[code] for code in codes}
    contexts = await load_contexts(session, [customer_id], measures)
    context = contexts.get(customer_id)
    if context is None:
        raise NotFound("customer", customer_id)
    return [
        customer_pb2.AggregateValue(code=code, value=decimal_pb2.Decimal(value=f"{value:g}"))
        for code, value in sorted(context["agg"].items())
    ]
