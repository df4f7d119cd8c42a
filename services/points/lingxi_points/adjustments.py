"""Manual adjustments: requested with a reason by one operator, posted only when another approves.

Four eyes, because an adjustment creates or destroys a liability without a business fact behind
it. The request is idempotent by its business key; the posting made on approval uses the key
"adjustment:<id>", so approving twice cannot post twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2
from lingxi.points.v1 import points_pb2
from lingxi_common.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from lingxi_common.identity import Caller
from lingxi_points import ledger, policy
from lingxi_points.models import adjustments

MAX_ADJUSTMENT = 1_000_000


def _actor(caller: Caller) -> dict[str, str]:
    return {"subject": caller.subject, "role": caller.role.value}


async def request(
    session: AsyncSession, caller: Caller, *, customer_id: str, points: int, reason: str, business_key: str
) -> Any:
    ledger.check_key(business_key)
    if points == 0:
        raise InvalidArgument("points", "must not be zero (positive credits, negative debits)")
    if abs(points) > MAX_ADJUSTMENT:
        raise InvalidArgument("points", f"an adjustment is at most {MAX_ADJUSTMENT} points either way")
    if len(reason.strip()) < 4:
        raise InvalidArgument("reason", "is required: say why the balance is adjusted")
    await ledger.lock_member(session, customer_id)
    inserted = await session.execute(
        insert(adjustments)
        .values(
            adjustment_id=uuid.uuid4(),
            business_key=business_key,
            customer_id=customer_id,
            points=points,
            reason=reason.strip(),
            status="PENDING_APPROVAL",
            requested_by=_actor(caller),
        )
        .on_conflict_do_nothing()
        .returning(*adjustments.c)
    )
    row = inserted.first()
    if row is None:
        row = (
            await session.execute(sa.select(adjustments).where(adjustments.c.business_key == business_key))
        ).one()
        if row.customer_id != customer_id or row.points != points:
            raise Conflict(f"business_key {business_key!r} was already used for a different adjustment")
    return row


async def decide(
    session: AsyncSession, caller: Caller, *, adjustment_id: str, approve: bool, comment: str
) -> tuple[Any, ledger.PostingResult | None]:
    try:
        key = uuid.UUID(adjustment_id)
    except ValueError as error:
        raise InvalidArgument("adjustment_id", f"{adjustment_id!r} is not an adjustment id") from error
    row = (
        await session.execute(
            sa.select(adjustments).where(adjustments.c.adjustment_id == key).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("adjustment", adjustment_id)
    wanted = "POSTED" if approve else "REJECTED"
    if row.status == wanted:
        posted = await ledger.find_posting(session, posting_id=row.posting_id) if row.posting_id else None
        balance = await ledger.read_balance(session, row.customer_id)
        return row, ledger.PostingResult(posted, True, balance) if posted else None
    if row.status != "PENDING_APPROVAL":
        raise FailedPrecondition(f"adjustment {adjustment_id} is already {row.status}")
    if row.requested_by.get("subject") == caller.subject:
        raise FailedPrecondition("an adjustment must be approved by someone other than its requester")
    result = None
    if approve:
        result = await ledger.adjust(
            session,
            business_key=f"adjustment:{row.adjustment_id}",
            customer_id=row.customer_id,
            points=row.points,
            expires_on=policy.expires_on(policy.DEFAULT_POLICY, ledger.business_day(ledger.now())),
            context=ledger.Context(description=f"人工调整：{row.reason}", posted_by=_actor(caller)),
        )
    updated = (
        await session.execute(
            sa.update(adjustments)
            .where(adjustments.c.adjustment_id == row.adjustment_id)
            .values(
                status=wanted,
                decided_by=_actor(caller),
                decided_at=dt.datetime.now(dt.UTC),
                comment=comment,
                posting_id=result.posting.posting_id if result else None,
            )
            .returning(*adjustments.c)
        )
    ).one()
    return updated, result


async def list_adjustments(
    session: AsyncSession, *, customer_id: str, statuses: list[str], limit: int, offset: int
) -> list[Any]:
    query = sa.select(adjustments).order_by(adjustments.c.requested_at.desc()).limit(limit).offset(offset)
    if customer_id:
        query = query.where(adjustments.c.customer_id == customer_id)
    if statuses:
        query = query.where(adjustments.c.status.in_(statuses))
    return list((await session.execute(query)).all())


def to_proto(row: Any) -> Any:
    message = points_pb2.Adjustment(
        adjustment_id=str(row.adjustment_id),
        customer_id=row.customer_id,
        points=row.points,
        reason=row.reason,
        status=points_pb2.AdjustmentStatus.Value(f"ADJUSTMENT_STATUS_{row.status}"),
        requested_by=customer_pb2.Actor(**row.requested_by),
        posting_id=str(row.posting_id or ""),
        business_key=row.business_key,
    )
    message.requested_at.FromDatetime(row.requested_at)
    if row.decided_by:
        message.decided_by.CopyFrom(customer_pb2.Actor(**row.decided_by))
    if row.decided_at:
        message.decided_at.FromDatetime(row.decided_at)
    return message
