"""Contact policy, inbox and receipts over the real service: consent set here governs sends,
mandatory notices fall back, caps hold, receipts move statuses forward and opt-out replies stick."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import pytest
from channel_testkit import (
    HQ,
    add_customer,
    approved_template,
    channel_service,
    channel_settings,
    message,
    policy_json,
    sender,
    wait_for,
    wait_status,
)
from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble

from lingxi.channel.v1 import (
    channel_pb2,
    channel_service_pb2,
    contact_policy_service_pb2,
    contact_policy_service_pb2_grpc,
    inbox_service_pb2,
    inbox_service_pb2_grpc,
)
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi_channel.adapters import session_message_ids
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to

pytestmark = pytest.mark.integration
P = channel_pb2
C = enums_pb2
CP = contact_policy_service_pb2
CUSTOMER = Caller(subject="app:C1", role=Role.CUSTOMER, customer_id="C1")
OTHER = Caller(subject="app:C2", role=Role.CUSTOMER, customer_id="C2")
GATEWAY = Caller.system("gateway")
SERVICE_SMS_UNCAPPED = policy_json(
    caps=[{"channel": "CHANNEL_SMS", "message_class": "MESSAGE_CLASS_SERVICE", "per_day": 0}]
)


@pytest.fixture
async def channel(
    database_url: str,
    restartable_nats,
    tag: TagDouble,
    simulators: SimulatorHub,
) -> AsyncIterator[ServiceRunner]:
    async with channel_service(
        database_url,
        restartable_nats.url,
        **channel_settings(tag, simulators),
    ) as runner:
        add_customer(tag, "C1")
        add_customer(tag, "C2", phone="13900000002")
        await approved_template(runner, "fund_offer_sms")
        yield runner


def policy(
    runner: ServiceRunner, caller: Caller = HQ
) -> contact_policy_service_pb2_grpc.ContactPolicyServiceStub:
    return contact_policy_service_pb2_grpc.ContactPolicyServiceStub(channel_to(runner, caller))


async def test_opt_out_blocks_marketing_and_mandatory_notice_falls_back_to_push(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    prefs = await policy(channel, CUSTOMER).SetConsent(
        CP.SetConsentRequest(
            customer_id="C1",
            channel=C.CHANNEL_SMS,
            status=customer_pb2.CONSENT_STATUS_WITHDRAWN,
            source="app_settings",
        )
    )
    assert prefs.preferences.consents[0].status == customer_pb2.CONSENT_STATUS_WITHDRAWN
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await policy(channel, OTHER).SetConsent(
            CP.SetConsentRequest(customer_id="C1", channel=C.CHANNEL_SMS, status=1, source="app_settings")
        )
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    api = sender(channel)
    marketing = (await api.Send(channel_service_pb2.SendRequest(message=message("m-1")))).result
    assert (
        marketing.disposition == P.SEND_DISPOSITION_REJECTED and marketing.reason_code == "consent_withdrawn"
    )
    await approved_template(channel, "margin_call_sms", message_class=C.MESSAGE_CLASS_MANDATORY_NOTICE)
    notice = message(
        "n-1",
        template="margin_call_sms",
        message_class=C.MESSAGE_CLASS_MANDATORY_NOTICE,
        fallback=[C.CHANNEL_APP_PUSH],
    )
    result = (await api.Send(channel_service_pb2.SendRequest(message=notice))).result
    assert result.disposition == P.SEND_DISPOSITION_ACCEPTED and result.channel == C.CHANNEL_APP_PUSH
    assert result.decisions[0].outcome == P.POLICY_OUTCOME_FALLBACK
    sent = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    assert sent.provider == "jpush"
    push = simulators["jpush"].accepted[0].body
    assert push["audience"] == {"alias": ["C1"]} and "沪深300ETF" in push["notification"]["alert"]
    assert simulators["tencent_sms"].accepted == []
    changes = await policy(channel).ListConsentChanges(CP.ListConsentChangesRequest(customer_id="C1"))
    assert [c.source for c in changes.changes] == ["app_settings"]


async def test_daily_cap_and_dnd_are_enforced_and_recorded(channel: ServiceRunner) -> None:
    api = sender(channel)
    first = (await api.Send(channel_service_pb2.SendRequest(message=message("cap-1")))).result
    assert first.disposition == P.SEND_DISPOSITION_ACCEPTED or first.status == P.MESSAGE_STATUS_HELD
    second = (await api.Send(channel_service_pb2.SendRequest(message=message("cap-2")))).result
    assert second.disposition == P.SEND_DISPOSITION_REJECTED and second.reason_code == "daily_cap_reached"
    prefs = await policy(channel).GetContactPreferences(CP.GetContactPreferencesRequest(customer_id="C1"))
    assert prefs.preferences.sent_today["CHANNEL_SMS"] == 1
    await policy(channel).SetDoNotDisturb(
        CP.SetDoNotDisturbRequest(customer_id="C2", do_not_disturb=True, reason="complaint")
    )
    dnd = (await api.Send(channel_service_pb2.SendRequest(message=message("dnd-1", "C2")))).result
    assert dnd.reason_code == "do_not_disturb"
    verdicts = await policy(channel).EvaluatePolicy(
        CP.EvaluatePolicyRequest(
            customer_id="C2", channels=[C.CHANNEL_SMS], message_class=C.MESSAGE_CLASS_MARKETING
        )
    )
    assert verdicts.verdicts[0].outcome == P.POLICY_OUTCOME_DENY


async def test_inbox_is_delivered_and_only_its_owner_reads_it(channel: ServiceRunner) -> None:
    await approved_template(
        channel,
        "payout_inbox",
        channel=C.CHANNEL_INBOX,
        message_class=C.MESSAGE_CLASS_SERVICE,
        body="{{ fund }}分红{{ rate }}已到账",
    )
    result = (
        await sender(channel).Send(
            channel_service_pb2.SendRequest(
                message=message(
                    "inbox-1",
                    template="payout_inbox",
                    channel=C.CHANNEL_INBOX,
                    message_class=C.MESSAGE_CLASS_SERVICE,
                )
            )
        )
    ).result
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED})
    mine = inbox_service_pb2_grpc.InboxServiceStub(channel_to(channel, CUSTOMER))
    listed = await mine.ListInboxMessages(inbox_service_pb2.ListInboxMessagesRequest())
    assert listed.unread_count == 1 and listed.messages[0].body == "沪深300ETF分红0.15%已到账"
    theirs = inbox_service_pb2_grpc.InboxServiceStub(channel_to(channel, OTHER))
    assert (await theirs.ListInboxMessages(inbox_service_pb2.ListInboxMessagesRequest())).messages == []
    with pytest.raises(grpc.aio.AioRpcError):
        await theirs.ListInboxMessages(inbox_service_pb2.ListInboxMessagesRequest(customer_id="C1"))
    read = await mine.MarkInboxRead(inbox_service_pb2.MarkInboxReadRequest(message_ids=[result.message_id]))
    assert read.marked == 1 and read.unread_count == 0
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_OPENED})
    assert (
        await mine.DeleteInboxMessages(
            inbox_service_pb2.DeleteInboxMessagesRequest(message_ids=[result.message_id])
        )
    ).deleted == 1
    assert (await mine.ListInboxMessages(inbox_service_pb2.ListInboxMessagesRequest())).messages == []


async def test_receipts_move_forward_once_and_td_reply_opts_out(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    api = sender(channel)
    result = (await api.Send(channel_service_pb2.SendRequest(message=message("rc-1")))).result
    sent = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    delivered = P.ProviderReceipt(
        provider="tencent_sms",
        provider_message_id=sent.provider_message_id,
        status=P.MESSAGE_STATUS_DELIVERED,
        provider_code="DELIVRD",
        receipt_id="r-1",
    )
    receipts = sender(channel, GATEWAY)
    applied = await receipts.RecordReceipts(channel_service_pb2.RecordReceiptsRequest(receipts=[delivered]))
    assert applied.applied == 1
    again = await receipts.RecordReceipts(channel_service_pb2.RecordReceiptsRequest(receipts=[delivered]))
    assert again.duplicates == 1
    late_sent = P.ProviderReceipt(
        provider="tencent_sms",
        provider_message_id=sent.provider_message_id,
        status=P.MESSAGE_STATUS_SENT,
        receipt_id="r-0",
    )
    await receipts.RecordReceipts(channel_service_pb2.RecordReceiptsRequest(receipts=[late_sent]))
    after = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED})
    assert [h.status for h in after.history][-1] == P.MESSAGE_STATUS_DELIVERED
    reply = P.ProviderReceipt(
        provider="tencent_sms", reply_text=" td ", from_address="+8613812345678", receipt_id="up-1"
    )
    outcome = await receipts.RecordReceipts(channel_service_pb2.RecordReceiptsRequest(receipts=[reply]))
    assert outcome.applied == 1
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_UNSUBSCRIBED})
    prefs = await policy(channel).GetContactPreferences(CP.GetContactPreferencesRequest(customer_id="C1"))
    sms = next(c for c in prefs.preferences.consents if c.channel == C.CHANNEL_SMS)
    assert sms.status == customer_pb2.CONSENT_STATUS_WITHDRAWN and sms.source == "sms_reply"
    unknown = P.ProviderReceipt(
        provider="tencent_sms", provider_message_id="nope", status=5, receipt_id="r-9"
    )
    assert (
        await receipts.RecordReceipts(channel_service_pb2.RecordReceiptsRequest(receipts=[unknown]))
    ).unmatched == 1
    await asyncio.sleep(0)


async def test_restart_mid_send_loses_nothing_and_duplicates_nothing(
    database_url: str,
    restartable_nats,
    tag: TagDouble,
    simulators: SimulatorHub,
) -> None:
    # Small claims (10 messages, one loop) so the stop lands between provider requests.
    settings = channel_settings(
        tag, simulators, policy_json=SERVICE_SMS_UNCAPPED, dispatch_batch_size=10, dispatch_workers=1
    )

    def sms_ids() -> list[str]:
        ids = [
            i
            for r in simulators["tencent_sms"].accepted
            for i in session_message_ids(r.body["SessionContext"])
        ]
        return ids + [r.body["OutId"] for r in simulators["aliyun_sms"].accepted]

    for index in range(40):
        add_customer(tag, f"R{index}", phone=f"1370000{index:04d}")
    simulators["tencent_sms"].faults.delay_ms = 150
    keys = [f"restart-{index}" for index in range(40)]
    async with channel_service(database_url, restartable_nats.url, **settings) as first:
        await approved_template(first, "svc_sms", message_class=C.MESSAGE_CLASS_SERVICE)
        batch = [
            message(key, f"R{i}", template="svc_sms", message_class=C.MESSAGE_CLASS_SERVICE)
            for i, key in enumerate(keys)
        ]
        results = await sender(first).SendBatch(channel_service_pb2.SendBatchRequest(messages=batch))
        assert all(r.disposition == P.SEND_DISPOSITION_ACCEPTED for r in results.results), results.results[0]
        await wait_for(lambda: len(simulators["tencent_sms"].received) >= 1)
    # Stopped mid-batch: calls in flight were finished and recorded; the rest wait in the ledger.
    async with channel_service(database_url, restartable_nats.url, **settings) as second:
        again = await sender(second).SendBatch(channel_service_pb2.SendBatchRequest(messages=batch))
        assert all(r.disposition == P.SEND_DISPOSITION_DUPLICATE for r in again.results)
        simulators["tencent_sms"].faults.delay_ms = 0
        await wait_for(lambda: len(sms_ids()) >= 40, 30)
        await asyncio.sleep(0.5)
        assert sorted(sms_ids()) == sorted(r.message_id for r in results.results)


async def test_outbound_call_task_and_its_result(channel: ServiceRunner, simulators: SimulatorHub) -> None:
    await approved_template(
        channel,
        "renewal_call",
        channel=C.CHANNEL_CALL,
        message_class=C.MESSAGE_CLASS_MANDATORY_NOTICE,
        body="您好，您的{{ fund }}风险测评即将到期，费率{{ rate }}",
    )
    notice = message(
        "call-1",
        template="renewal_call",
        channel=C.CHANNEL_CALL,
        message_class=C.MESSAGE_CLASS_MANDATORY_NOTICE,
        fallback=[C.CHANNEL_SMS],
    )
    api = sender(channel)
    result = (await api.Send(channel_service_pb2.SendRequest(message=notice))).result
    assert result.channel == C.CHANNEL_CALL
    sent = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    task = simulators["call"].accepted[0]
    assert task.headers["Idempotency-Key"] == result.message_id and task.body["phone"] == "13812345678"
    outcome = P.ProviderReceipt(
        provider="call",
        provider_message_id=sent.provider_message_id,
        call_result=P.CALL_RESULT_INTENT,
        receipt_id=f"{sent.provider_message_id}:result",
    )
    await sender(channel, GATEWAY).RecordReceipts(
        channel_service_pb2.RecordReceiptsRequest(receipts=[outcome])
    )
    done = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED})
    assert done.call_result == P.CALL_RESULT_INTENT
