"""Points members: opened from the tag service's customer events, read within the caller's scope.

The member row copies the customer's branch and advisor so the points service can enforce data
scope on its own, without reading another service's tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import tag_events_pb2
from lingxi.points.v1 import points_pb2
from lingxi_common.errors import NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_points.models import members


async def open_or_update_member(session: AsyncSession, event: tag_events_pb2.CustomerChanged) -> None:
    """Idempotent and order-proof: a replayed or older event never overwrites a newer one."""
    statement = insert(members).values(
        customer_id=event.customer_id,
        branch_id=event.branch_id,
        advisor_id=event.advisor_id or None,
        customer_version=event.version,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[members.c.customer_id],
            set_={
                "branch_id": statement.excluded.branch_id,
                "advisor_id": statement.excluded.advisor_id,
                "customer_version": statement.excluded.customer_version,
                "updated_at": sa.func.now(),
            },
            where=members.c.customer_version < statement.excluded.customer_version,
        )
    )


def _timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def to_proto(row: sa.Row[Any]) -> Any:
    return points_pb2.Member(
        customer_id=row.customer_id,
        tier_code=row.tier_code,
        created_at=_timestamp(row.created_at),
        status=points_pb2.MEMBER_STATUS_ACTIVE,
    )


async def get_member(session: AsyncSession, caller: Caller, customer_id: str) -> Any:
    if caller.role in (Role.PARTNER, Role.SRE):
        raise PermissionDenied(f"role {caller.role.value} may not read member accounts")
    row = (await session.execute(sa.select(members).where(members.c.customer_id == customer_id))).first()
    if row is None:
        raise NotFound("member", customer_id)
    if not caller.can_see_customer(
        customer_id=row.customer_id, branch_id=row.branch_id, advisor_id=row.advisor_id
    ):
        raise PermissionDenied(f"member {customer_id!r} is outside your data scope")
    return to_proto(row)


async def member_exists(session: AsyncSession, customer_id: str) -> bool:
    found = await session.scalar(sa.select(members.c.customer_id).where(members.c.customer_id == customer_id))
    return found is not None
