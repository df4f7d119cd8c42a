"""Reading the contact ledger, and operator actions on it (cancel, retry dead letters).

Scope is enforced here: hq/compliance/call-center/services see everything, a branch manager only
the branch's customers, an advisor only their own, a customer only themself. Variables and raw
addresses in the stored request are masked unless the caller's role may read PII.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.channel.v1 import channel_pb2, channel_service_pb2
from lingxi.common.v1 import customer_pb2, paging_pb2
from lingxi_channel.directory import CustomerProfile
from lingxi_channel.events import emit_all
from lingxi_channel.models import message_status_history, messages
from lingxi_channel.sends import PII_CONTEXT_REQUEST, status_event
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.pii import PiiCipher, mask_text

P = channel_pb2
OPERATOR_ROLES = frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE, Role.SRE, Role.SERVICE, Role.CALL_CENTER})


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _scope(query: sa.Select, caller: Caller) -> sa.Select:
    if caller.sees_all_customers:
        return query
    if caller.role is Role.BRANCH_MANAGER:
        return query.where(messages.c.branch_id == caller.branch_id)
    if caller.role is Role.ADVISOR:
        return query.where(messages.c.advisor_id == caller.advisor_id)
    if caller.role is Role.CUSTOMER:
        return query.where(messages.c.customer_id == caller.customer_id)
    if caller.role is Role.SRE:
        return query
    raise PermissionDenied(f"role {caller.role.value} may not read the contact ledger")


def to_message(
    row: sa.Row,
    history: list[sa.Row],
    cipher: PiiCipher,
    caller: Caller,
) -> channel_pb2.Message:
    request = P.OutboundMessage.FromString(
        bytes.fromhex(cipher.decrypt(row.request_enc, context=PII_CONTEXT_REQUEST))
    )
    if not caller.may_read_pii:
        for key in list(request.variables):
            request.variables[key] = mask_text(request.variables[key])
        if request.raw_address:
            request.raw_address = mask_text(request.raw_address)
    message = P.Message(
        message_id=row.message_id,
        request=request,
        customer=customer_pb2.CustomerRef(
            customer_id=row.customer_id or "", branch_id=row.branch_id or "", advisor_id=row.advisor_id or ""
        ),
        channel_used=row.channel_used,
        template_version=row.template_version,
        status=row.status,
        decisions=[json_format.ParseDict(item, P.PolicyDecision()) for item in row.decisions],
        provider=row.provider,
        provider_message_id=row.provider_message_id,
        content_sha256=row.content_sha256,
        rendered_preview=row.rendered_preview if caller.role is not Role.SRE else "",
        attempts=row.attempts,
        call_result=row.call_result,
        reason_code=row.reason_code,
        created_at=_ts(row.created_at),
        updated_at=_ts(row.updated_at),
        scheduled_for=_ts(row.scheduled_for) if row.status == P.MESSAGE_STATUS_HELD else None,
    )
    for item in history:
        message.history.append(
            P.StatusChange(
                status=item.status,
                occurred_at=_ts(item.occurred_at),
                channel=item.channel,
                provider_code=item.provider_code,
                detail=item.detail,
            )
        )
    return message


async def _histories(session: AsyncSession, ids: list[str]) -> dict[str, list[sa.Row]]:
    found: dict[str, list[sa.Row]] = {message_id: [] for message_id in ids}
    if not ids:
        return found
    rows = (
        await session.execute(
            sa.select(message_status_history)
            .where(message_status_history.c.message_id.in_(ids))
            .order_by(message_status_history.c.message_id, message_status_history.c.seq)
        )
    ).all()
    for row in rows:
        found[row.message_id].append(row)
    return found


async def get_message(
    session: AsyncSession, cipher: PiiCipher, caller: Caller, request: channel_service_pb2.GetMessageRequest
) -> channel_pb2.Message:
    key = request.WhichOneof("key")
    if key is None:
        raise InvalidArgument("key", "give message_id or idempotency_key")
    column = messages.c.message_id if key == "message_id" else messages.c.idempotency_key
    value = getattr(request, key)
    row = (await session.execute(_scope(sa.select(messages), caller).where(column == value))).one_or_none()
    if row is None:
        raise NotFound("message", value)
    history = await _histories(session, [row.message_id])
    return to_message(row, history[row.message_id], cipher, caller)


def _decode_token(token: str) -> tuple[datetime, str] | None:
    if not token:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        return datetime.fromisoformat(data["t"]), str(data["id"])
    except (ValueError, KeyError) as error:
        raise InvalidArgument("page.page_token", "not a token from a previous response") from error


def _encode_token(row: sa.Row) -> str:
    return base64.urlsafe_b64encode(
        json.dumps({"t": row.created_at.isoformat(), "id": row.message_id}).encode()
    ).decode()


async def list_messages(
    session: AsyncSession, cipher: PiiCipher, caller: Caller, request: channel_service_pb2.ListMessagesRequest
) -> tuple[list[channel_pb2.Message], paging_pb2.PageResponse]:
    """Newest first; keyset-paged on (created_at, message_id)."""
    named = request.customer_id or request.campaign_id or request.strategy_id or request.task_id
    if not named and caller.role not in (Role.COMPLIANCE, Role.CUSTOMER):
        raise InvalidArgument("customer_id", "name a customer, campaign, strategy or task")
    query = _scope(sa.select(messages), caller)
    for field_name, column in (
        ("customer_id", messages.c.customer_id),
        ("campaign_id", messages.c.campaign_id),
        ("strategy_id", messages.c.strategy_id),
        ("task_id", messages.c.task_id),
    ):
        value = getattr(request, field_name)
        if value:
            query = query.where(column == value)
    if request.channels:
        query = query.where(messages.c.channel_used.in_(list(request.channels)))
    if request.statuses:
        query = query.where(messages.c.status.in_(list(request.statuses)))
    if request.message_classes:
        query = query.where(messages.c.message_class.in_(list(request.message_classes)))
    if request.HasField("since"):
        query = query.where(messages.c.created_at >= request.since.ToDatetime(tzinfo=UTC))
    if request.HasField("until"):
        query = query.where(messages.c.created_at < request.until.ToDatetime(tzinfo=UTC))
    after = _decode_token(request.page.page_token)
    if after is not None:
        query = query.where(
            sa.tuple_(messages.c.created_at, messages.c.message_id)
            < sa.tuple_(sa.literal(after[0]), sa.literal(after[1]))
        )
    size = min(request.page.page_size or 100, 1000)
    rows = (
        await session.execute(
            query.order_by(messages.c.created_at.desc(), messages.c.message_id.desc()).limit(size + 1)
        )
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    history = await _histories(session, [row.message_id for row in rows])
    page = paging_pb2.PageResponse(
        next_page_token=_encode_token(rows[-1]) if more and rows else "", total_size=-1
    )
    return [to_message(row, history[row.message_id], cipher, caller) for row in rows], page


async def _change_status(
    session: AsyncSession,
    cipher: PiiCipher,
    rows: list[sa.Row],
    status: int,
    reason: str,
    dispatch_state: str,
) -> int:
    now = datetime.now(UTC)
    for row in rows:
        await session.execute(
            messages.update()
            .where(messages.c.message_id == row.message_id)
            .values(
                status=status,
                status_seq=row.status_seq + 1,
                reason_code=reason,
                dispatch_state=dispatch_state,
                updated_at=now,
            )
        )
        await session.execute(
            message_status_history.insert().values(
                message_id=row.message_id,
                seq=row.status_seq + 1,
                status=status,
                channel=row.channel_used,
                detail=reason,
                occurred_at=now,
            )
        )
        request = P.OutboundMessage.FromString(
            bytes.fromhex(cipher.decrypt(row.request_enc, context=PII_CONTEXT_REQUEST))
        )
        profile = CustomerProfile(row.customer_id or "", row.branch_id or "", row.advisor_id or "", {}, {})
        await emit_all(
            session,
            [
                status_event(
                    row.message_id,
                    request,
                    profile,
                    row.channel_used,
                    row.template_version,
                    status,
                    row.status,
                    reason,
                    row.status_seq + 1,
                    now,
                ),
            ],
        )
    return len(rows)


async def cancel_messages(
    session: AsyncSession,
    cipher: PiiCipher,
    caller: Caller,
    request: channel_service_pb2.CancelMessagesRequest,
) -> int:
    if caller.role not in OPERATOR_ROLES:
        raise PermissionDenied("only operators and services cancel messages")
    query = sa.select(messages).where(
        messages.c.status.in_([P.MESSAGE_STATUS_ACCEPTED, P.MESSAGE_STATUS_HELD]),
        messages.c.dispatch_state == "idle",
    )
    filters = []
    if request.message_ids:
        filters.append(messages.c.message_id.in_(list(request.message_ids)))
    if request.campaign_id:
        filters.append(messages.c.campaign_id == request.campaign_id)
    if request.strategy_id:
        filters.append(messages.c.strategy_id == request.strategy_id)
    if not filters:
        raise InvalidArgument("message_ids", "name messages, a campaign or a strategy")
    rows = (await session.execute(query.where(sa.or_(*filters)).with_for_update(skip_locked=True))).all()
    reason = f"cancelled:{request.reason}" if request.reason else "cancelled"
    return await _change_status(session, cipher, list(rows), P.MESSAGE_STATUS_CANCELLED, reason, "done")


async def retry_failed(
    session: AsyncSession, caller: Caller, request: channel_service_pb2.RetryFailedMessagesRequest
) -> int:
    """Re-queue dead letters. A message a provider accepted is never FAILED, so never re-sent."""
    if caller.role not in (Role.HQ_OPERATOR, Role.SRE, Role.SERVICE):
        raise PermissionDenied("only hq_operator or sre replay dead letters")
    query = messages.update().where(
        messages.c.status == P.MESSAGE_STATUS_FAILED,
        messages.c.dispatch_state == "dead",
        messages.c.provider_message_id == "",
    )
    if request.message_ids:
        query = query.where(messages.c.message_id.in_(list(request.message_ids)))
    elif request.account_id:
        query = query.where(messages.c.account_id == request.account_id)
    else:
        raise InvalidArgument("message_ids", "name messages or an account")
    if request.HasField("since"):
        query = query.where(messages.c.updated_at >= request.since.ToDatetime(tzinfo=UTC))
    if request.HasField("until"):
        query = query.where(messages.c.updated_at < request.until.ToDatetime(tzinfo=UTC))
    result = await session.execute(
        query.values(
            status=P.MESSAGE_STATUS_ACCEPTED,
            dispatch_state="idle",
            attempts=0,
            scheduled_for=sa.func.now(),
            reason_code="retried_by_operator",
            updated_at=sa.func.now(),
        ).returning(messages.c.message_id)
    )
    return len(result.all())
