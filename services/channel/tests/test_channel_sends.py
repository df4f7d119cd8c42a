"""Sending over real gRPC, PostgreSQL, NATS and the provider simulators through the real SDKs:
exactly one provider call per idempotency key, failover, rejections recorded in the ledger."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from channel_testkit import (
    HQ,
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

from lingxi.channel.v1 import channel_pb2, channel_service_pb2
from lingxi.channel.v1 import template_service_pb2 as T
from lingxi.common.v1 import enums_pb2
from lingxi.events.v1 import channel_events_pb2
from lingxi_channel.adapters import session_message_ids
from lingxi_common.service import ServiceRunner

pytestmark = pytest.mark.integration
P = channel_pb2
C = enums_pb2


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
        await approved_template(runner, "fund_offer_sms")
        yield runner


def sms_sent(hub: SimulatorHub) -> list[str]:
    """Message ids the SMS providers accepted (Tencent SessionContext / Alibaba OutId)."""
    ids = [i for r in hub["tencent_sms"].accepted for i in session_message_ids(r.body["SessionContext"])]
    return ids + [r.body["OutId"] for r in hub["aliyun_sms"].accepted]


async def test_send_reaches_the_provider_once_and_retries_are_duplicates(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    api = sender(channel)
    first = (await api.Send(channel_service_pb2.SendRequest(message=message("k1")))).result
    assert first.disposition == P.SEND_DISPOSITION_ACCEPTED and first.status == P.MESSAGE_STATUS_ACCEPTED
    sent = await wait_status(channel, first.message_id, {P.MESSAGE_STATUS_SENT})
    assert sent.provider == "tencent_sms" and sent.provider_message_id
    assert [h.status for h in sent.history] == [P.MESSAGE_STATUS_ACCEPTED, P.MESSAGE_STATUS_SENT]
    body = simulators["tencent_sms"].accepted[0].body
    assert body["PhoneNumberSet"] == ["+8613812345678"] and body["TemplateParamSet"] == [
        "沪深300ETF",
        "0.15%",
    ]
    assert body["SignName"] == "灵犀证券"
    again = (await api.Send(channel_service_pb2.SendRequest(message=message("k1")))).result
    assert again.disposition == P.SEND_DISPOSITION_DUPLICATE and again.message_id == first.message_id
    changed = message("k1", variables={"fund": "中证500ETF", "rate": "0.001"})
    conflict = (await api.Send(channel_service_pb2.SendRequest(message=changed))).result
    assert conflict.disposition == P.SEND_DISPOSITION_KEY_CONFLICT
    await asyncio.sleep(0.3)
    assert sms_sent(simulators) == [first.message_id]
    # The ledger proves what was sent by its hash; the preview is for operators.
    assert len(sent.content_sha256) == 64 and "沪深300ETF" in sent.rendered_preview


async def test_concurrent_duplicates_make_one_provider_call(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    api = sender(channel)
    results = await asyncio.gather(
        *(api.Send(channel_service_pb2.SendRequest(message=message("same-key"))) for _ in range(12))
    )
    dispositions = sorted(r.result.disposition for r in results)
    assert dispositions.count(P.SEND_DISPOSITION_ACCEPTED) == 1
    assert dispositions.count(P.SEND_DISPOSITION_DUPLICATE) == 11
    assert len({r.result.message_id for r in results}) == 1
    await wait_for(lambda: len(sms_sent(simulators)) == 1)
    await asyncio.sleep(0.3)
    assert len(sms_sent(simulators)) == 1


async def test_failover_to_the_second_sms_provider_when_the_first_is_down(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    simulators["tencent_sms"].faults.down = True
    result = (await sender(channel).Send(channel_service_pb2.SendRequest(message=message("fo-1")))).result
    sent = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    assert sent.provider == "aliyun_sms"
    assert simulators["aliyun_sms"].accepted[0].body["OutId"] == result.message_id
    assert simulators["tencent_sms"].accepted == []


async def test_provider_outage_retries_then_sends_once(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    simulators["tencent_sms"].faults.down = True
    simulators["aliyun_sms"].faults.throttle_next = 1
    simulators["aliyun_sms"].faults.fail_next = 0
    simulators["aliyun_sms"].faults.down = True
    result = (await sender(channel).Send(channel_service_pb2.SendRequest(message=message("retry-1")))).result
    await wait_for(lambda: len(simulators["aliyun_sms"].received) >= 1)
    simulators["aliyun_sms"].faults.down = False
    sent = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    assert sent.attempts >= 2 and sms_sent(simulators) == [result.message_id]


async def test_bad_requests_are_rejected_and_recorded(channel: ServiceRunner, tag: TagDouble) -> None:
    await approved_template(channel, "draft_sms", approve=False)
    add_customer(tag, "C_NO_CONSENT", sms=False)
    api = sender(channel)
    cases = {
        "unknown_template": message("r1", template="nope"),
        "invalid_variables": message("r2", variables={"fund": "x", "rate": "abc"}),
        "template_not_approved": message("r3", template="draft_sms"),
        "no_consent": message("r4", customer_id="C_NO_CONSENT"),
        "unknown_customer": message("r5", customer_id="C_MISSING"),
    }
    batch = await api.SendBatch(channel_service_pb2.SendBatchRequest(messages=list(cases.values())))
    for expected, result in zip(cases, batch.results, strict=True):
        assert result.disposition == P.SEND_DISPOSITION_REJECTED, expected
        assert result.reason_code == expected
        stored = (
            await sender(channel, HQ).GetMessage(
                channel_service_pb2.GetMessageRequest(message_id=result.message_id)
            )
        ).message
        assert stored.status == P.MESSAGE_STATUS_REJECTED and stored.reason_code == expected
    assert "rate: wrong_type" in batch.results[1].reason
    missing_key = message("")
    import grpc

    with pytest.raises(grpc.aio.AioRpcError) as error:
        await api.Send(channel_service_pb2.SendRequest(message=missing_key))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "idempotency_key" in (
        error.value.details() or ""
    )


async def test_send_command_over_nats_is_idempotent_across_redelivery(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    command = channel_events_pb2.SendMessageCommand(message=message("nats-1"))
    for attempt in range(3):
        # Different Nats-Msg-Ids: JetStream does not dedupe these, the ledger must.
        await channel.context.bus.publish(command, msg_id=f"cmd-{attempt}")
    await wait_for(lambda: len(sms_sent(simulators)) == 1)
    await asyncio.sleep(0.5)
    assert len(sms_sent(simulators)) == 1
    found = (
        await sender(channel, HQ).GetMessage(channel_service_pb2.GetMessageRequest(idempotency_key="nats-1"))
    ).message
    assert found.request.origin.campaign_id == "cmp_1"


async def test_ledger_answers_by_customer_and_by_campaign(channel: ServiceRunner, tag: TagDouble) -> None:
    add_customer(tag, "C2", phone="13900000002")
    api = sender(channel)
    await api.Send(channel_service_pb2.SendRequest(message=message("l1", "C1", campaign_id="cmp_A")))
    await api.Send(channel_service_pb2.SendRequest(message=message("l2", "C2", campaign_id="cmp_A")))
    await api.Send(channel_service_pb2.SendRequest(message=message("l3", "C2", campaign_id="cmp_B")))
    by_campaign = await sender(channel, HQ).ListMessages(
        channel_service_pb2.ListMessagesRequest(campaign_id="cmp_A")
    )
    assert sorted(m.request.idempotency_key for m in by_campaign.messages) == ["l1", "l2"]
    by_customer = await sender(channel, HQ).ListMessages(
        channel_service_pb2.ListMessagesRequest(customer_id="C2")
    )
    assert sorted(m.request.idempotency_key for m in by_customer.messages) == ["l2", "l3"]


async def test_wechat_template_and_mini_program_messages_go_through_wechatpy(
    channel: ServiceRunner, tag: TagDouble, simulators: SimulatorHub
) -> None:
    add_customer(tag, "C_WX", openid="oAbCdEfGhIjKlMnOpQrStUvWx01")
    tag.book.customers["C_WX"].attributes["wechat_mini_openid"] = "oMiNiAbCdEfGhIjKlMnOpQr02"
    fields = [
        T.WechatField(key="thing1", value="{{ fund }}"),
        T.WechatField(key="amount2", value="{{ rate }}"),
    ]
    for code, target in (("payout_oa", C.CHANNEL_WECHAT_OA), ("payout_mini", C.CHANNEL_WECHAT_MINI)):
        await approved_template(
            channel, code, channel=target, message_class=C.MESSAGE_CLASS_SERVICE, wechat_fields=fields
        )
    api = sender(channel)
    oa = (
        await api.Send(
            channel_service_pb2.SendRequest(
                message=message(
                    "wx-1",
                    "C_WX",
                    template="payout_oa",
                    channel=C.CHANNEL_WECHAT_OA,
                    message_class=C.MESSAGE_CLASS_SERVICE,
                )
            )
        )
    ).result
    mini = (
        await api.Send(
            channel_service_pb2.SendRequest(
                message=message(
                    "wx-2",
                    "C_WX",
                    template="payout_mini",
                    channel=C.CHANNEL_WECHAT_MINI,
                    message_class=C.MESSAGE_CLASS_SERVICE,
                )
            )
        )
    ).result
    sent_oa = await wait_status(channel, oa.message_id, {P.MESSAGE_STATUS_SENT})
    sent_mini = await wait_status(channel, mini.message_id, {P.MESSAGE_STATUS_SENT})
    assert sent_oa.provider == "wechat_oa" and sent_oa.provider_message_id.isdigit()
    assert sent_mini.provider == "wechat_mini"
    calls = {r.path: r.body for r in simulators["wechat"].accepted}
    template = calls["/cgi-bin/message/template/send"]
    assert template["touser"] == "oAbCdEfGhIjKlMnOpQrStUvWx01"
    assert template["data"] == {"thing1": {"value": "沪深300ETF"}, "amount2": {"value": "0.15%"}}
    assert calls["/cgi-bin/message/subscribe/send"]["touser"] == "oMiNiAbCdEfGhIjKlMnOpQr02"
    assert "/cgi-bin/token" in calls


async def test_fallback_channel_sends_the_template_the_primary_names_for_it(
    channel: ServiceRunner, tag: TagDouble, simulators: SimulatorHub
) -> None:
    from channel_testkit import COMPLIANCE

    from lingxi.channel.v1 import template_service_pb2_grpc
    from lingxi_common.testing.services import channel_to

    await approved_template(
        channel,
        "dividend_sms",
        message_class=C.MESSAGE_CLASS_SERVICE,
        body="您的{{ fund }}分红已到账",
        variables=[T.TemplateVariable(name="fund", type=T.VARIABLE_TYPE_STRING, required=True)],
    )
    author = template_service_pb2_grpc.TemplateServiceStub(channel_to(channel, HQ))
    reviewer = template_service_pb2_grpc.TemplateServiceStub(channel_to(channel, COMPLIANCE))
    content = T.TemplateContent(
        title="分红到账",
        body="{{ fund }} 分红 {{ rate }}",
        provider_template_id="wx-tpl-9",
        wechat_fields=[T.WechatField(key="thing1", value="{{ fund }}")],
        fallback_templates=[T.FallbackTemplate(channel=C.CHANNEL_SMS, template_code="dividend_sms")],
    )
    import grpc

    from lingxi_common.errors import field_violations

    with pytest.raises(grpc.aio.AioRpcError) as error:
        bad = T.TemplateContent()
        bad.CopyFrom(content)
        bad.fallback_templates.add(channel=C.CHANNEL_SMS, template_code="other_sms")
        await author.CreateTemplate(
            T.CreateTemplateRequest(
                template=T.Template(
                    template_code="bad_oa", name="x", channel=C.CHANNEL_WECHAT_OA, message_class=2
                ),
                content=bad,
            )
        )
    assert field_violations(error.value)[0][0] == "content.fallback_templates[1].channel"
    created = await author.CreateTemplate(
        T.CreateTemplateRequest(
            template=T.Template(
                template_code="dividend_oa",
                name="dividend",
                channel=C.CHANNEL_WECHAT_OA,
                message_class=C.MESSAGE_CLASS_SERVICE,
            ),
            content=content,
            variables=[
                T.TemplateVariable(name="fund", type=T.VARIABLE_TYPE_STRING, required=True),
                T.TemplateVariable(name="rate", type=T.VARIABLE_TYPE_PERCENT, required=True),
            ],
        )
    )
    await author.SubmitTemplateVersion(T.SubmitTemplateVersionRequest(template_code="dividend_oa", version=1))
    await reviewer.ApproveTemplateVersion(
        T.ApproveTemplateVersionRequest(
            template_code="dividend_oa", version=1, content_sha256=created.version.content_sha256
        )
    )
    # C1 follows no service account (no openid): WeChat is denied, the SMS fallback takes over.
    request = message(
        "fb-1",
        template="dividend_oa",
        channel=C.CHANNEL_WECHAT_OA,
        message_class=C.MESSAGE_CLASS_SERVICE,
        fallback=[C.CHANNEL_SMS],
    )
    result = (await sender(channel).Send(channel_service_pb2.SendRequest(message=request))).result
    assert result.disposition == P.SEND_DISPOSITION_ACCEPTED and result.channel == C.CHANNEL_SMS
    assert result.decisions[-1].reason == "fallback_template:dividend_sms@1"
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_SENT})
    body = simulators["tencent_sms"].accepted[0].body
    assert body["TemplateId"] == "1800001" and body["TemplateParamSet"] == ["沪深300ETF"]


async def test_alike_messages_share_provider_requests_and_fail_one_by_one(
    channel: ServiceRunner, tag: TagDouble, simulators: SimulatorHub
) -> None:
    await approved_template(channel, "notice_sms", message_class=C.MESSAGE_CLASS_SERVICE)
    await approved_template(
        channel, "notice_push", channel=C.CHANNEL_APP_PUSH, message_class=C.MESSAGE_CLASS_SERVICE
    )
    for index in range(6):
        add_customer(tag, f"S{index}", phone=f"1390000{index:04d}")
    simulators["tencent_sms"].settings["reject_numbers"] = ["13900000003"]
    simulators["jpush"].settings["unknown_aliases"] = ["S5"]
    sms = [
        message(f"b-sms-{i}", f"S{i}", template="notice_sms", message_class=C.MESSAGE_CLASS_SERVICE)
        for i in range(6)
    ]
    push = [
        message(
            f"b-push-{i}",
            f"S{i}",
            template="notice_push",
            channel=C.CHANNEL_APP_PUSH,
            message_class=C.MESSAGE_CLASS_SERVICE,
        )
        for i in range(6)
    ]
    results = (
        await sender(channel).SendBatch(channel_service_pb2.SendBatchRequest(messages=sms + push))
    ).results
    assert all(r.disposition == P.SEND_DISPOSITION_ACCEPTED for r in results)
    ids = [r.message_id for r in results]
    settled = [
        await wait_status(channel, message_id, {P.MESSAGE_STATUS_SENT, P.MESSAGE_STATUS_FAILED})
        for message_id in ids
    ]
    # Same template and parameters: one SendSms request named all six; one push request took six.
    (request,) = simulators["tencent_sms"].received
    assert sorted(request.body["PhoneNumberSet"]) == [f"+861390000{i:04d}" for i in range(6)]
    assert sorted(session_message_ids(request.body["SessionContext"])) == sorted(ids[:6])
    (push_request,) = simulators["jpush"].received
    assert push_request.path.endswith("/push/batch/alias/single") and len(push_request.body["pushlist"]) == 6
    # Each message's outcome is its own: the blacklisted number and the unknown alias fail alone.
    by_key = {m.request.idempotency_key: m for m in settled}
    assert by_key["b-sms-3"].status == P.MESSAGE_STATUS_FAILED
    assert by_key["b-sms-3"].history[-1].provider_code == "FailedOperation.PhoneNumberInBlacklist"
    assert by_key["b-push-5"].status == P.MESSAGE_STATUS_FAILED
    assert by_key["b-push-5"].history[-1].provider_code == "1011"
    sent = [m for m in settled if m.status == P.MESSAGE_STATUS_SENT]
    assert len(sent) == 10 and len({m.provider_message_id for m in sent}) == 10


async def test_customers_are_looked_up_in_batches_or_one_by_one_on_an_older_tag_service(
    database_url: str, restartable_nats, simulators: SimulatorHub
) -> None:
    from lingxi_simulators.customers import CustomerBook, customer_book

    class OlderTagService(CustomerBook):
        async def BatchGetCustomers(self, request: object, context: object) -> object:
            raise NotImplementedError

    async with customer_book(OlderTagService()) as older:
        add_customer(older, "C1")
        settings = channel_settings(older, simulators)
        async with channel_service(database_url, restartable_nats.url, **settings) as runner:
            await approved_template(runner, "fund_offer_sms")
            api = sender(runner)
            sent = (await api.Send(channel_service_pb2.SendRequest(message=message("old-1")))).result
            missing = (
                await api.Send(channel_service_pb2.SendRequest(message=message("old-2", "C_NOPE")))
            ).result
            assert sent.disposition == P.SEND_DISPOSITION_ACCEPTED
            assert missing.reason_code == "unknown_customer"
            await wait_status(runner, sent.message_id, {P.MESSAGE_STATUS_SENT})
        # The batch call was refused once; then one GetCustomer per customer (C1, C_NOPE).
        assert older.book.batch_calls == 0 and len(older.book.callers) == 2


async def test_a_batch_of_customers_is_one_lookup(channel: ServiceRunner, tag: TagDouble) -> None:
    for index in range(30):
        add_customer(tag, f"L{index}", phone=f"1380000{index:04d}")
    calls = tag.book.batch_calls
    batch = [message(f"lk-{i}", f"L{i}", campaign_id="cmp_lookup") for i in range(30)]
    results = (await sender(channel).SendBatch(channel_service_pb2.SendBatchRequest(messages=batch))).results
    assert all(r.disposition == P.SEND_DISPOSITION_ACCEPTED for r in results)
    assert tag.book.batch_calls == calls + 1
