"""Events of the points service, written to the outbox in the transaction of the change.

Campaigns ("use your points before they expire"), the channel service (notices) and analytics
read these; each carries the posting id so a consumer can always trace it back to the ledger.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from google.protobuf.message import Message

from lingxi.common.v1 import customer_pb2, date_pb2
from lingxi.events.v1 import points_events_pb2
from lingxi_common.bus import HEADER_EVENT_ID, message_headers
from lingxi_common.contracts import event_subject
from lingxi_common.outbox import emit
from lingxi_points.models import outbox

if TYPE_CHECKING:
    from lingxi_points.ledger import PostingResult

PRODUCER = "points"


def stamp(message: Any) -> Any:
    """Fill the event's meta: a fresh event id, the producer and the time of the fact."""
    message.meta.event_id = str(uuid.uuid4())
    message.meta.producer = PRODUCER
    message.meta.occurred_at.GetCurrentTime()
    return message


def proto_date(value: dt.date) -> date_pb2.Date:
    return date_pb2.Date(year=value.year, month=value.month, day=value.day)


async def publish(session: Any, message: Message) -> None:
    await emit(session, outbox, stamp(message))


def _redemption_id(business_key: str) -> str:
    # Redemption postings are keyed "redemption:<id>:<step>".
    parts = business_key.split(":")
    return parts[1] if len(parts) == 3 and parts[0] == "redemption" else ""


def outbox_row(message: Message) -> dict[str, Any]:
    """An outbox row for `message`, as `lingxi_common.outbox.emit` would write it.

    The ledger writes its posting and the posting's event in one server-side statement
    (points.apply_posting), so it needs the row's values rather than an INSERT of its own.
    """
    event_id = str(uuid.uuid4())
    stamp(message)
    return {
        "id": event_id,
        "subject": event_subject(message),
        "message_type": message.DESCRIPTOR.full_name,
        "payload": base64.b64encode(message.SerializeToString()).decode(),
        "headers": message_headers(message, None, {HEADER_EVENT_ID: event_id}),
    }


def posting_event(result: PostingResult) -> Message | None:
    """The event a posting means for others (reservations and releases are internal moves)."""
    from lingxi_points.ledger import Account, Kind

    posting = result.posting
    available = result.balance.available
    message: Message | None = None
    if posting.kind is Kind.EARN or (posting.kind is Kind.ADJUSTMENT and posting.points > 0):
        message = points_events_pb2.PointsEarned(
            customer_id=posting.customer_id,
            posting_id=str(posting.posting_id),
            business_key=posting.business_key,
            rule_code=posting.rule_code or ("adjustment" if posting.kind is Kind.ADJUSTMENT else ""),
            points=posting.points,
            pending=any(line.account is Account.MEMBER_PENDING for line in posting.lines),
            available_after=available,
            origin=customer_pb2.Origin(**(posting.origin or {})),
        )
    elif posting.kind in (Kind.SPEND, Kind.CONSUME, Kind.ADJUSTMENT):
        spent = sum(line.amount for line in posting.lines if line.account.is_member)
        message = points_events_pb2.PointsSpent(
            customer_id=posting.customer_id,
            posting_id=str(posting.posting_id),
            business_key=posting.business_key,
            points=-spent,
            available_after=available,
            redemption_id=_redemption_id(posting.business_key),
        )
    elif posting.kind is Kind.EXPIRE:
        message = points_events_pb2.PointsExpired(
            customer_id=posting.customer_id,
            posting_id=str(posting.posting_id),
            points=-posting.points,
            expired_on=proto_date(dt.date.fromisoformat(posting.business_key.rsplit(":", 1)[-1])),
            available_after=available,
        )
    elif posting.kind is Kind.REVERSAL:
        message = points_events_pb2.PointsReversed(
            customer_id=posting.customer_id,
            reversal_posting_id=str(posting.posting_id),
            reversed_posting_id=str(posting.reverses_posting_id or ""),
            points=posting.points,
            reason=posting.description,
        )
    return message
