"""WeCom messages to a customer on behalf of their advisor, through wechatpy's work client to the WeCom
simulator: the task WeCom receives, its result read back, what WeCom refuses or fails, and the
customer's replies (REPLIED; opt-out words withdraw the WeCom consent)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from channel_testkit import (
    add_customer,
    approved_template,
    channel_service,
    channel_settings,
    message,
    sender,
    wait_for,
    wait_status,
)
from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble
from lingxi_simulators.wecom import state_of

from lingxi.channel.v1 import (
    channel_pb2,
    channel_service_pb2,
    contact_policy_service_pb2,
    contact_policy_service_pb2_grpc,
)
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi_common.db import create_engine
from lingxi_common.identity import Caller
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to

pytestmark = pytest.mark.integration
P = channel_pb2
C = enums_pb2
CONTACT = "wmLingxiCustomer0000000000000001"


@pytest.fixture
async def channel(
    database_url: str, restartable_nats, tag: TagDouble, simulators: SimulatorHub
) -> AsyncIterator[ServiceRunner]:
    async with channel_service(
        database_url, restartable_nats.url, **channel_settings(tag, simulators)
    ) as runner:
        add_customer(tag, "C1", advisor_id="A01")
        tag.book.customers["C1"].attributes["wecom_external_userid"] = CONTACT
        tag.book.customers["C1"].attributes["wecom_follow_userid"] = "zhangwei"
        await approved_template(
            runner,
            "fund_review_wecom",
            channel=C.CHANNEL_WECOM,
            message_class=C.MESSAGE_CLASS_SERVICE,
            body="您好，您持有的{{ fund }}已发布季度报告，费率{{ rate }}。",
        )
        yield runner


def wecom_message(key: str, customer_id: str = "C1", **extra: str) -> channel_pb2.OutboundMessage:
    sent = message(
        key,
        customer_id,
        template="fund_review_wecom",
        channel=C.CHANNEL_WECOM,
        message_class=C.MESSAGE_CLASS_SERVICE,
    )
    if "sender_advisor_id" in extra:
        sent.sender_advisor_id = extra["sender_advisor_id"]
    return sent


def templates_received(hub: SimulatorHub) -> list[dict[str, object]]:
    return [r.body for r in hub["wecom"].accepted if r.path.endswith("/add_msg_template")]


async def test_message_goes_from_the_advisor_and_its_result_makes_it_delivered(
    channel: ServiceRunner, simulators: SimulatorHub, database_url: str
) -> None:
    result = (
        await sender(channel).Send(channel_service_pb2.SendRequest(message=wecom_message("wc-1")))
    ).result
    assert result.disposition == P.SEND_DISPOSITION_ACCEPTED and result.channel == C.CHANNEL_WECOM
    delivered = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED})
    assert delivered.provider == "wecom" and delivered.provider_message_id.startswith("msg")
    assert [h.status for h in delivered.history] == [
        P.MESSAGE_STATUS_ACCEPTED,
        P.MESSAGE_STATUS_SENT,
        P.MESSAGE_STATUS_DELIVERED,
    ]
    (task,) = templates_received(simulators)
    assert task["chat_type"] == "single" and task["external_userid"] == [CONTACT]
    assert task["sender"] == "zhangwei"  # the member the customer added, not the CRM advisor id
    assert task["text"] == {"content": "您好，您持有的沪深300ETF已发布季度报告，费率0.15%。"}
    paths = [r.path for r in simulators["wecom"].accepted]
    assert "/cgi-bin/gettoken" in paths and "/cgi-bin/externalcontact/get_groupmsg_send_result" in paths
    # The external_userid is personal data: stored encrypted, never in clear.
    engine = create_engine(database_url, application_name="test-wecom-check")
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    sa.text("SELECT address_enc, sender_id FROM channel.messages WHERE message_id = :m"),
                    {"m": result.message_id},
                )
            ).one()
    finally:
        await engine.dispose()
    assert CONTACT.encode() not in bytes(row.address_enc) and row.sender_id == "zhangwei"
    again = (
        await sender(channel).Send(channel_service_pb2.SendRequest(message=wecom_message("wc-1")))
    ).result
    assert again.disposition == P.SEND_DISPOSITION_DUPLICATE and len(templates_received(simulators)) == 1


async def test_named_advisor_overrides_and_wecom_outage_is_retried_into_one_task(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    simulators["wecom"].faults.fail_next = 2
    simulators["wecom"].faults.fail_status = 502
    request = wecom_message("wc-2", sender_advisor_id="lisi")
    result = (await sender(channel).Send(channel_service_pb2.SendRequest(message=request))).result
    sent = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED}, timeout=20)
    assert sent.attempts >= 2
    (task,) = templates_received(simulators)
    assert task["sender"] == "lisi"


async def test_refused_contact_fails_without_retry(channel: ServiceRunner, simulators: SimulatorHub) -> None:
    state_of(simulators["wecom"]).unknown_contacts = {CONTACT}
    result = (
        await sender(channel).Send(channel_service_pb2.SendRequest(message=wecom_message("wc-3")))
    ).result
    failed = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_FAILED})
    assert failed.reason_code == "provider_rejected"
    assert failed.history[-1].provider_code == "not_an_external_contact"
    assert len(templates_received(simulators)) == 1 and failed.attempts == 1


async def test_waits_for_the_advisor_then_fails_when_the_customer_removed_them(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    state = state_of(simulators["wecom"])
    state.advisor_confirms = False
    result = (
        await sender(channel).Send(channel_service_pb2.SendRequest(message=wecom_message("wc-4")))
    ).result
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    results = "/cgi-bin/externalcontact/get_groupmsg_send_result"
    await wait_for(lambda: sum(r.path == results for r in simulators["wecom"].accepted) >= 2)
    still = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    assert still.status == P.MESSAGE_STATUS_SENT  # the advisor has not sent it yet
    state.removed_contacts = {CONTACT}
    for task in state.tasks.values():
        state.confirm(task)
    failed = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_FAILED})
    assert failed.history[-1].provider_code == "not_a_contact"


async def test_customer_without_an_advisor_is_rejected_and_recorded(
    channel: ServiceRunner, tag: TagDouble
) -> None:
    add_customer(tag, "C_NOADV", advisor_id="")
    tag.book.customers["C_NOADV"].attributes["wecom_external_userid"] = "wmNoAdvisor000000000000000000001"
    result = (
        await sender(channel).Send(
            channel_service_pb2.SendRequest(message=wecom_message("wc-5", customer_id="C_NOADV"))
        )
    ).result
    assert result.disposition == P.SEND_DISPOSITION_REJECTED and result.reason_code == "no_wecom_sender"
    no_contact = (
        await sender(channel).Send(
            channel_service_pb2.SendRequest(message=wecom_message("wc-6", customer_id="C_MISSING_WECOM"))
        )
    ).result
    assert no_contact.reason_code == "unknown_customer"


async def test_contact_replies_mark_the_message_replied_and_opt_out_words_withdraw_consent(
    channel: ServiceRunner,
) -> None:
    gateway = sender(channel, Caller.system("gateway"))
    result = (
        await sender(channel).Send(channel_service_pb2.SendRequest(message=wecom_message("wc-r1")))
    ).result
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED})

    def reply(text: str, msg_id: str, contact: str = CONTACT) -> channel_pb2.ProviderReceipt:
        return P.ProviderReceipt(
            provider="wecom", reply_text=text, from_address=contact, receipt_id=f"reply:{msg_id}"
        )

    answered = await gateway.RecordReceipts(
        channel_service_pb2.RecordReceiptsRequest(receipts=[reply("收到，谢谢", "1")])
    )
    assert answered.applied == 1
    replied = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_REPLIED})
    assert replied.history[-1].detail == "receipt:wecom"
    again = await gateway.RecordReceipts(
        channel_service_pb2.RecordReceiptsRequest(receipts=[reply("收到，谢谢", "1")])
    )
    assert again.duplicates == 1
    opted_out = await gateway.RecordReceipts(
        channel_service_pb2.RecordReceiptsRequest(receipts=[reply("r", "2")])
    )
    assert opted_out.applied == 1
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_UNSUBSCRIBED})
    prefs = await contact_policy_service_pb2_grpc.ContactPolicyServiceStub(
        channel_to(channel, Caller.system("campaign"))
    ).GetContactPreferences(contact_policy_service_pb2.GetContactPreferencesRequest(customer_id="C1"))
    wecom = next(c for c in prefs.preferences.consents if c.channel == C.CHANNEL_WECOM)
    assert wecom.status == customer_pb2.CONSENT_STATUS_WITHDRAWN and wecom.source == "wecom_reply"
    # The opt-out sticks: the next WeCom message to this customer is refused by the policy.
    refused = (
        await sender(channel).Send(channel_service_pb2.SendRequest(message=wecom_message("wc-r3")))
    ).result
    assert refused.disposition == P.SEND_DISPOSITION_REJECTED
    # A reply from a contact we never messaged is recorded but ties to no message or customer.
    stranger = await gateway.RecordReceipts(
        channel_service_pb2.RecordReceiptsRequest(
            receipts=[reply("TD", "3", "wmSomeoneElse000000000000000009")]
        )
    )
    assert stranger.unmatched == 1
