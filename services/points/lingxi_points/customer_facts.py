"""What the points service knows of its members as customers: their tags and their assets.

Earning rules may require tags ("eligibility by tags": only new customers, only the 高现金余额
group …) and a tier may be earned by assets. Both facts belong to the tag service, which the
points service may not query per award (a rule is evaluated inside a posting's transaction, and
a slow or absent tag service must not stop points being earned). So the points service keeps its
own projection, fed by the tag service's events:

- `lingxi.tag.customer_tag.changed` → `member_tags`, applied only when its per-customer sequence
  is newer than what is stored (a late, older change is ignored; a redelivery changes nothing);
- `lingxi.tag.account.changed` → `member_accounts`, newest `as_of` per account wins.

The projection is eventually consistent with the tag service, typically within a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import tag_events_pb2
from lingxi_points.models import member_accounts, member_tags


def _tag_row(event: tag_events_pb2.CustomerTagChanged) -> dict[str, Any]:
    present = event.change != tag_events_pb2.TAG_CHANGE_KIND_LEFT
    return {
        "customer_id": event.customer.customer_id,
        "tag_code": event.tag_code,
        "value": event.new_value if present else "",
        "present": present,
        "sequence": event.sequence,
    }


async def apply_tag_change(session: AsyncSession, event: tag_events_pb2.CustomerTagChanged) -> bool:
    """Record a tag entered, left or changed; False when a newer change is already stored."""
    return await apply_tag_changes(session, [event]) == 1


async def apply_tag_changes(
    session: AsyncSession, events: Sequence[tag_events_pb2.CustomerTagChanged]
) -> int:
    """Record many tag changes in one statement; returns how many rows changed.

    Within the batch only the newest change per customer and tag counts (one statement may not
    touch a row twice), and it is stored only if newer than what is there.
    """
    newest: dict[tuple[str, str], dict[str, Any]] = {}
    for event in events:
        row = _tag_row(event)
        key = (row["customer_id"], row["tag_code"])
        if key not in newest or newest[key]["sequence"] < row["sequence"]:
            newest[key] = row
    if not newest:
        return 0
    statement = insert(member_tags).values(list(newest.values()))
    result = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[member_tags.c.customer_id, member_tags.c.tag_code],
            set_={
                "value": statement.excluded.value,
                "present": statement.excluded.present,
                "sequence": statement.excluded.sequence,
                "updated_at": sa.func.now(),
            },
            where=member_tags.c.sequence < statement.excluded.sequence,
        ).returning(member_tags.c.tag_code)
    )
    return len(result.all())


async def apply_account_change(session: AsyncSession, event: tag_events_pb2.AccountChanged) -> bool:
    """Record an account's total assets; False when a newer figure for it is already stored."""
    try:
        assets = Decimal(event.total_assets.amount or "0")
    except InvalidOperation as error:
        raise ValueError(f"total_assets {event.total_assets.amount!r} is not a decimal") from error
    as_of = (
        event.as_of.ToDatetime(dt.UTC)
        if event.HasField("as_of")
        else event.meta.occurred_at.ToDatetime(dt.UTC)
    )
    statement = insert(member_accounts).values(
        customer_id=event.customer.customer_id,
        account_id=event.account_id,
        total_assets=assets,
        as_of=as_of,
    )
    result = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[member_accounts.c.customer_id, member_accounts.c.account_id],
            set_={"total_assets": statement.excluded.total_assets, "as_of": statement.excluded.as_of},
            where=member_accounts.c.as_of < statement.excluded.as_of,
        ).returning(member_accounts.c.account_id)
    )
    return result.first() is not None


async def tags_of(session: AsyncSession, customer_id: str) -> dict[str, str]:
    """The customer's current tags and their values ("" for tags without a value)."""
    rows = await session.execute(
        sa.select(member_tags.c.tag_code, member_tags.c.value).where(
            member_tags.c.customer_id == customer_id, member_tags.c.present
        )
    )
    return {code: value for code, value in rows.all()}


async def assets_of(session: AsyncSession, customer_id: str) -> Decimal:
    """Total assets over the customer's accounts (0 when none is known)."""
    total = await session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(member_accounts.c.total_assets), 0)).where(
            member_accounts.c.customer_id == customer_id
        )
    )
    return Decimal(total or 0)


async def eligibility_facts(session: AsyncSession, customer_id: str, tier_code: str) -> dict[str, Any]:
    """The `member` an eligibility expression sees: tier, tags and assets."""
    return {
        "customer_id": customer_id,
        "tier_code": tier_code,
        "tags": await tags_of(session, customer_id),
        "assets": float(await assets_of(session, customer_id)),
    }
