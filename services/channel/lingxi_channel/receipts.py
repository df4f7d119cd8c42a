"""Provider receipts and callbacks: delivery reports, replies, unsubscribes, call results.

The gateway verifies each provider's signature and timestamp before anything reaches here.
Receipts are idempotent by receipt_id, and statuses only move forward (a late "sent" never
overwrites "delivered"). A reply made of an opt-out word (TD, T, 退订, R) — by SMS or to an
advisor's WeCom message — or a WeChat unsubscribe withdraws the customer's consent for that channel
— found through the message it answers, or, for replies that carry only the sender's address (an
SMS up-link's phone number, a WeCom reply's external_userid), through the blind index of the
addresses we sent to. Any other reply marks that message REPLIED.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.channel.v1 import channel_pb2, contact_policy_service_pb2
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi_channel.consent import set_consent
from lingxi_channel.directory import CustomerProfile
from lingxi_channel.events import emit_all
from lingxi_channel.models import message_status_history, messages, receipts
from lingxi_channel.sends import PII_CONTEXT_REQUEST, address_index, status_event
from lingxi_common.identity import Caller
from lingxi_common.pii import PiiCipher

P = channel_pb2
C = enums_pb2
OPT_OUT_WORDS = frozenset({"TD", "T", "退订", "R", "N"})

# Progress of a message: a status is applied only if it ranks above the current one.
RANK = {
    P.MESSAGE_STATUS_ACCEPTED: 1,
    P.MESSAGE_STATUS_HELD: 1,
    P.MESSAGE_STATUS_SENT: 2,
    P.MESSAGE_STATUS_DELIVERED: 3,
    P.MESSAGE_STATUS_FAILED: 3,
    P.MESSAGE_STATUS_OPENED: 4,
    P.MESSAGE_STATUS_CLICKED: 5,
    P.MESSAGE_STATUS_REPLIED: 6,
    P.MESSAGE_STATUS_UNSUBSCRIBED: 7,
}
TERMINAL_BEFORE_SEND = frozenset(
    {P.MESSAGE_STATUS_REJECTED, P.MESSAGE_STATUS_CANCELLED, P.MESSAGE_STATUS_EXPIRED}
)
# A reply or unsubscribe found by the sender's address answers a message that left us, never one
# still waiting (accepted, held) or stopped before sending.
WENT_OUT = tuple(status for status, rank in RANK.items() if rank >= RANK[P.MESSAGE_STATUS_SENT])
PROVIDER_CHANNEL = {
    "tencent_sms": C.CHANNEL_SMS,
    "aliyun_sms": C.CHANNEL_SMS,
    "jpush": C.CHANNEL_APP_PUSH,
    "wechat_oa": C.CHANNEL_WECHAT_OA,
    "wechat_mini": C.CHANNEL_WECHAT_MINI,
    "wecom": C.CHANNEL_WECOM,
    "call": C.CHANNEL_CALL,
}


# Where a withdrawal came from, recorded as the consent change's source (evidence): an opt-out
# word in a reply, else the provider's own unsubscribe (WeCom: the customer removed the advisor).
REPLY_OPT_OUT_SOURCES = {C.CHANNEL_SMS: "sms_reply", C.CHANNEL_WECOM: "wecom_reply"}
OPT_OUT_SOURCES = {C.CHANNEL_SMS: "sms_reply", C.CHANNEL_WECOM: "wecom_contact_removed"}


def opt_out_source(channel: int, by_reply: bool) -> str:
    if by_reply and channel in REPLY_OPT_OUT_SOURCES:
        return REPLY_OPT_OUT_SOURCES[channel]
    return OPT_OUT_SOURCES.get(channel, "wechat_unsubscribe")


def is_opt_out(text: str) -> bool:
    return text.strip().upper().rstrip("。.!！") in OPT_OUT_WORDS


async def advance_status(
    session: AsyncSession,
    cipher: PiiCipher,
    row: sa.Row,
    status: int,
    detail: str,
    *,
    provider_code: str = "",
    call_result: int = 0,
    at: datetime | None = None,
    reopen_failed: bool = False,
) -> bool:
    """Moves a message forward (never back); records history and publishes the change.

    `reopen_failed` lets a delivery that succeeded after an operator's replay turn a FAILED
    message into DELIVERED (the one way back, and only for what really arrived).
    """

    def advances(current: int) -> bool:
        if reopen_failed and current == P.MESSAGE_STATUS_FAILED and status == P.MESSAGE_STATUS_DELIVERED:
            return True
        return RANK.get(status, 0) > RANK.get(current, 0)

    if row.status in TERMINAL_BEFORE_SEND or not advances(row.status):
        return False
    at = at or datetime.now(UTC)
    locked = (
        await session.execute(
            sa.select(messages.c.status, messages.c.status_seq)
            .where(messages.c.message_id == row.message_id)
            .with_for_update()
        )
    ).one()
    if not advances(locked.status):
        return False
    seq = locked.status_seq + 1
    values: dict[str, object] = {"status": status, "status_seq": seq, "updated_at": at}
    if call_result:
        values["call_result"] = call_result
    await session.execute(messages.update().where(messages.c.message_id == row.message_id).values(**values))
    await session.execute(
        message_status_history.insert().values(
            message_id=row.message_id,
            seq=seq,
            status=status,
            channel=row.channel_used,
            provider_code=provider_code,
            detail=detail,
            occurred_at=at,
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
                locked.status,
                detail,
                seq,
                at,
                call_result=call_result,
            ),
        ],
    )
    return True


def receipt_key(receipt: channel_pb2.ProviderReceipt) -> str:
    if receipt.receipt_id:
        return f"{receipt.provider}:{receipt.receipt_id}"
    digest = hashlib.sha256(receipt.SerializeToString(deterministic=True)).hexdigest()
    return f"{receipt.provider}:sha256:{digest}"


async def record_receipts(
    session: AsyncSession, cipher: PiiCipher, caller: Caller, items: list[channel_pb2.ProviderReceipt]
) -> tuple[int, int, int]:
    """(applied, duplicates, unmatched)."""
    applied = duplicates = unmatched = 0
    for receipt in items:
        at = (
            receipt.occurred_at.ToDatetime(tzinfo=UTC)
            if receipt.HasField("occurred_at")
            else datetime.now(UTC)
        )
        target = None
        if receipt.provider_message_id:
            target = (
                await session.execute(
                    sa.select(messages)
                    .where(messages.c.provider_message_id == receipt.provider_message_id)
                    .limit(1)
                )
            ).one_or_none()
        channel = PROVIDER_CHANNEL.get(receipt.provider, C.CHANNEL_UNSPECIFIED)
        if target is None and receipt.from_address:
            target = (
                await session.execute(
                    sa.select(messages)
                    .where(
                        messages.c.address_index == address_index(cipher, receipt.from_address),
                        messages.c.channel_used == channel,
                        messages.c.status.in_(WENT_OUT),
                    )
                    .order_by(messages.c.created_at.desc())
                    .limit(1)
                )
            ).one_or_none()
        inserted = (
            await session.execute(
                pg_insert(receipts)
                .values(
                    receipt_id=receipt_key(receipt),
                    provider=receipt.provider,
                    provider_message_id=receipt.provider_message_id,
                    message_id=target.message_id if target is not None else None,
                    status=receipt.status,
                    provider_code=receipt.provider_code,
                    received_at=at,
                )
                .on_conflict_do_nothing()
                .returning(receipts.c.receipt_id)
            )
        ).one_or_none()
        if inserted is None:
            duplicates += 1
            continue
        if target is None:
            unmatched += 1
            continue
        status = receipt.status
        opt_out_reply = bool(receipt.reply_text) and is_opt_out(receipt.reply_text)
        unsubscribe = status == P.MESSAGE_STATUS_UNSUBSCRIBED or opt_out_reply
        if unsubscribe:
            status = P.MESSAGE_STATUS_UNSUBSCRIBED
            if target.customer_id:
                await set_consent(
                    session,
                    Caller.system("channel"),
                    contact_policy_service_pb2.SetConsentRequest(
                        customer_id=target.customer_id,
                        channel=target.channel_used or channel,
                        status=customer_pb2.CONSENT_STATUS_WITHDRAWN,
                        source=opt_out_source(channel, opt_out_reply),
                        evidence_ref=target.message_id,
                        occurred_at=_ts(at),
                    ),
                )
        elif receipt.reply_text and status == P.MESSAGE_STATUS_UNSPECIFIED:
            status = P.MESSAGE_STATUS_REPLIED
        if status == P.MESSAGE_STATUS_UNSPECIFIED and receipt.call_result:
            status = (
                P.MESSAGE_STATUS_DELIVERED
                if receipt.call_result in (P.CALL_RESULT_CONNECTED, P.CALL_RESULT_INTENT)
                else P.MESSAGE_STATUS_FAILED
            )
        await advance_status(
            session,
            cipher,
            target,
            status,
            f"receipt:{receipt.provider}",
            provider_code=receipt.provider_code,
            call_result=receipt.call_result,
            at=at,
        )
        applied += 1
    return applied, duplicates, unmatched


def _ts(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp
