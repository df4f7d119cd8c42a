"""Offline touches (branch visit, advisor call, call-center / AI outbound result, meeting, WeCom chat).

RecordOfflineTouch stores the touch (notes encrypted) and makes ``OfflineTouchRecorded`` durable on
JetStream before answering, so offline and online contacts flow through the same stream: the tag
service's own consumer then feeds the ``offline:*`` aggregates and re-evaluates tags. The caller's
``touch_id`` makes the call idempotent: a repeat returns the first event id and re-publishes it
with the same ``Nats-Msg-Id`` (JetStream drops the copy), which also heals a crash between the
commit and the publish.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import sqlalchemy as sa
from google.protobuf import duration_pb2
from google.protobuf.json_format import MessageToDict
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.common.v1 import enums_pb2, event_meta_pb2
from lingxi.events.v1 import ingest_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.bus import Bus
from lingxi_common.db import transaction
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.pii import PiiCipher
from lingxi_tag.models import customers, offline_touches

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
TOUCH_NAMESPACE = uuid.UUID("0b6e4e2c-1b5e-4b7a-8a61-3c1f0e9d2a77")
RECORDER_ROLES = frozenset(
    {Role.HQ_OPERATOR, Role.SERVICE, Role.ADVISOR, Role.BRANCH_MANAGER, Role.CALL_CENTER}
)
_CHANNEL_OF_KIND = {
    customer_pb2.TOUCH_KIND_ADVISOR_CALL: enums_pb2.CHANNEL_CALL,
    customer_pb2.TOUCH_KIND_CALL_CENTER_CALL: enums_pb2.CHANNEL_CALL,
    customer_pb2.TOUCH_KIND_AI_OUTBOUND_CALL: enums_pb2.CHANNEL_CALL,
    customer_pb2.TOUCH_KIND_WECOM_CHAT: enums_pb2.CHANNEL_WECOM,
}


def validate(touch: customer_pb2.OfflineTouch) -> None:
    if not _ID.match(touch.touch_id):
        raise InvalidArgument("touch.touch_id", "required: 1-128 letters, digits, '_', '.', ':', '-'")
    if not touch.customer_id:
        raise InvalidArgument("touch.customer_id", "required")
    if touch.kind not in customer_pb2.TouchKind.values() or touch.kind == customer_pb2.TOUCH_KIND_UNSPECIFIED:
        raise InvalidArgument("touch.kind", "required: one of TouchKind")
    if touch.result not in customer_pb2.TouchResult.values():
        raise InvalidArgument("touch.result", f"unknown result {touch.result}")
    if not touch.HasField("occurred_at"):
        raise InvalidArgument("touch.occurred_at", "required")
    if touch.occurred_at.ToDatetime(tzinfo=dt.UTC) > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
        raise InvalidArgument("touch.occurred_at", "lies in the future")
    if touch.duration.seconds < 0:
        raise InvalidArgument("touch.duration", "must not be negative")
    if len(touch.notes) > 4000:
        raise InvalidArgument("touch.notes", "at most 4000 characters")


def to_event(row: sa.Row[object], correlation_id: str = "") -> ingest_events_pb2.OfflineTouchRecorded:
    m = row._mapping
    meta = event_meta_pb2.EventMeta(
        event_id=str(m["event_id"]), producer="tag", correlation_id=correlation_id
    )
    meta.occurred_at.FromDatetime(m["recorded_at"])
    event = ingest_events_pb2.OfflineTouchRecorded(
        meta=meta,
        touch_id=m["touch_id"],
        customer_id=m["customer_id"],
        kind=customer_pb2.TouchKind.Name(m["kind"]),
        result=customer_pb2.TouchResult.Name(m["result"]),
        staff_id=m["staff_id"] or "",
        branch_id=m["branch_id"] or "",
        task_id=m["task_id"] or "",
        product_ids=list(m["product_ids"] or []),
        channel=_CHANNEL_OF_KIND.get(m["kind"], enums_pb2.CHANNEL_UNSPECIFIED),
    )
    event.occurred_at.FromDatetime(m["occurred_at"])
    if m["duration_seconds"] is not None:
        event.duration.CopyFrom(duration_pb2.Duration(seconds=int(m["duration_seconds"])))
    if m["properties"]:
        event.properties.update(m["properties"])
    return event


async def record_touch(
    sessions: async_sessionmaker[AsyncSession],
    bus: Bus,
    cipher: PiiCipher,
    caller: Caller,
    touch: customer_pb2.OfflineTouch,
    *,
    correlation_id: str = "",
) -> tuple[str, bool]:
    """Store and publish a touch; returns (event id, duplicate)."""
    if caller.role not in RECORDER_ROLES:
        raise PermissionDenied(f"role {caller.role.value} may not record offline touches")
    validate(touch)
    async with transaction(sessions) as session:
        customer = (
            await session.execute(
                sa.select(customers.c.branch_id, customers.c.advisor_id).where(
                    customers.c.customer_id == touch.customer_id
                )
            )
        ).first()
        if customer is None:
            raise NotFound("customer", touch.customer_id)
        if not caller.can_see_customer(
            customer_id=touch.customer_id, branch_id=customer.branch_id, advisor_id=customer.advisor_id
        ):
            raise PermissionDenied(f"customer {touch.customer_id!r} is outside your data scope")
        event_id = str(uuid.uuid5(TOUCH_NAMESPACE, touch.touch_id))
        inserted = (
            await session.execute(
                postgresql.insert(offline_touches)
                .values(
                    touch_id=touch.touch_id,
                    event_id=event_id,
                    customer_id=touch.customer_id,
                    kind=touch.kind,
                    result=touch.result,
                    occurred_at=touch.occurred_at.ToDatetime(tzinfo=dt.UTC),
                    duration_seconds=touch.duration.seconds if touch.HasField("duration") else None,
                    staff_id=touch.staff_id or caller.subject,
                    branch_id=touch.branch_id or customer.branch_id,
                    task_id=touch.task_id or None,
                    product_ids=list(touch.product_ids),
                    notes_enc=cipher.encrypt(touch.notes, context="touch.notes") if touch.notes else None,
                    properties=MessageToDict(touch.properties) if touch.properties.fields else {},
                    recorded_by=caller.subject,
                )
                .on_conflict_do_nothing(index_elements=[offline_touches.c.touch_id])
                .returning(offline_touches.c.touch_id)
            )
        ).first()
        row = (
            await session.execute(
                sa.select(offline_touches).where(offline_touches.c.touch_id == touch.touch_id)
            )
        ).one()
        if row.customer_id != touch.customer_id:
            raise InvalidArgument("touch.touch_id", "already used for another customer")
    event = to_event(row, correlation_id)
    await bus.publish(event, msg_id=event.meta.event_id)
    return event.meta.event_id, inserted is None
