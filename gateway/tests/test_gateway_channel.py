"""The channel service's HTTP surface through the real gateway: signed provider callbacks (forged or
replayed → 401, nothing changes), the customer's own inbox, and the operators' contact ledger."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from gateway_testkit import free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "simulators"))

from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import customer_book
from lingxi_simulators.wecom import encrypted_callback, event_xml, push_reply, reply_xml

from lingxi.channel.v1 import (
    channel_pb2,
    channel_service_pb2,
    channel_service_pb2_grpc,
    contact_policy_service_pb2,
    contact_policy_service_pb2_grpc,
    template_service_pb2_grpc,
)
from lingxi.channel.v1 import template_service_pb2 as T
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi.events.v1 import channel_events_pb2
from lingxi.tag.v1 import customer_pb2 as tag_customer_pb2
from lingxi_channel.main import DEFINITION as CHANNEL
from lingxi_common.identity import Caller, Role
from lingxi_common.testing.services import channel_to, running_service
from lingxi_gateway.app import create_app
from lingxi_gateway.auth.dev_issuer import issue_token
from lingxi_gateway.routers.provider_callbacks import (
    DEV_CALLBACK_SECRETS,
    DEV_WECHAT_TOKEN,
    DEV_WECOM_AES_KEY,
    DEV_WECOM_CORP_ID,
    DEV_WECOM_TOKEN,
    sign,
)
from lingxi_gateway.settings import GatewaySettings

pytestmark = pytest.mark.integration
P = channel_pb2
C = enums_pb2
SYSTEM = Caller.system("campaign")
WECOM_CONTACT = "wmGatewayCustomer000000000000001"


def signed(
    provider: str, payload: Any, *, secret: str | None = None, at: int | None = None
) -> dict[str, Any]:
    body = json.dumps(payload).encode()
    stamp = str(at if at is not None else int(time.time()))
    return {
        "content": body,
        "headers": {
            "Content-Type": "application/json",
            "X-Lingxi-Timestamp": stamp,
            "X-Lingxi-Signature": sign(secret or DEV_CALLBACK_SECRETS[provider], stamp, body),
        },
    }


async def _approved_template(runner: Any, code: str, channel: int, message_class: int) -> None:
    author = template_service_pb2_grpc.TemplateServiceStub(
        channel_to(runner, Caller("u-hq", Role.HQ_OPERATOR))
    )
    reviewer = template_service_pb2_grpc.TemplateServiceStub(
        channel_to(runner, Caller("u-c", Role.COMPLIANCE))
    )
    created = await author.CreateTemplate(
        T.CreateTemplateRequest(
            template=T.Template(template_code=code, name=code, channel=channel, message_class=message_class),
            content=T.TemplateContent(title="通知", body="您的{{ what }}已办理", provider_template_id="1"),
            variables=[T.TemplateVariable(name="what", type=T.VARIABLE_TYPE_STRING, required=True)],
        )
    )
    await author.SubmitTemplateVersion(T.SubmitTemplateVersionRequest(template_code=code, version=1))
    await reviewer.ApproveTemplateVersion(
        T.ApproveTemplateVersionRequest(
            template_code=code, version=1, content_sha256=created.version.content_sha256
        )
    )


@pytest.fixture
async def stack(database_url: str, restartable_nats, tmp_path: Path) -> AsyncIterator[dict[str, Any]]:
    hub = await SimulatorHub().start()
    async with customer_book() as tag:
        tag.book.customers["C1"] = tag_customer_pb2.Customer(
            customer_id="C1",
            branch_id="B01",
            advisor_id="A01",
            phone="13812345678",
            attributes={"wecom_external_userid": WECOM_CONTACT},
            consents=[
                customer_pb2.ChannelConsent(channel=C.CHANNEL_SMS, status=customer_pb2.CONSENT_STATUS_GRANTED)
            ],
        )
        accounts = [
            {
                "account_id": "tx",
                "channel": "CHANNEL_SMS",
                "provider": "tencent_sms",
                "endpoint": hub["tencent_sms"].endpoint,
                "sms_signature": "【灵犀证券】",
                "failover_order": 1,
                "enabled": True,
            },
            {
                "account_id": "ali",
                "channel": "CHANNEL_SMS",
                "provider": "aliyun_sms",
                "endpoint": hub["aliyun_sms"].endpoint,
                "sms_signature": "【灵犀证券】",
                "failover_order": 2,
                "enabled": True,
            },
            {
                "account_id": "wc",
                "channel": "CHANNEL_WECOM",
                "provider": "wecom",
                "endpoint": hub["wecom"].endpoint,
                "failover_order": 1,
                "enabled": True,
            },
        ]
        async with running_service(
            CHANNEL,
            database_url=database_url,
            nats_url=restartable_nats.url,
            tag_address=f"127.0.0.1:{tag.port}",
            seed_accounts=json.dumps(accounts),
            dispatch_poll_interval=0.05,
            wecom_result_interval=0.1,
            # No quiet hours: what these tests check must not depend on the time of day they run.
            policy_json='{"quiet_hours": []}',
        ) as channel:
            await _approved_template(channel, "svc_sms", C.CHANNEL_SMS, C.MESSAGE_CLASS_SERVICE)
            await _approved_template(channel, "svc_inbox", C.CHANNEL_INBOX, C.MESSAGE_CLASS_SERVICE)
            await _approved_template(channel, "svc_wecom", C.CHANNEL_WECOM, C.MESSAGE_CLASS_SERVICE)
            settings = GatewaySettings(
                environment="test",
                dev_issuer_key_path=tmp_path / "issuer.pem",
                nats_url=restartable_nats.url,
                channel_addr=channel.address,
            )
            app = create_app(settings)
            # A real HTTP server: the simulators push their reports to it like providers would.
            port = free_port()
            server = uvicorn.Server(
                uvicorn.Config(
                    app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
                )
            )
            task = asyncio.create_task(server.serve())
            base = f"http://127.0.0.1:{port}"
            try:
                async with httpx.AsyncClient(base_url=base) as client:
                    for _ in range(300):
                        if server.started and app.state.gateway.nats.connected:
                            break
                        await asyncio.sleep(0.05)
                    yield {
                        "client": client,
                        "channel": channel,
                        "settings": settings,
                        "hub": hub,
                        "base": base,
                    }
            finally:
                server.should_exit = True
                await task
    await hub.stop()


async def _send(channel: Any, key: str, template: str, target: int) -> channel_pb2.Message:
    api = channel_service_pb2_grpc.ChannelServiceStub(channel_to(channel, SYSTEM))
    result = (
        await api.Send(
            channel_service_pb2.SendRequest(
                message=P.OutboundMessage(
                    idempotency_key=key,
                    customer_id="C1",
                    channel=target,
                    template_code=template,
                    variables={"what": "开户"},
                    message_class=C.MESSAGE_CLASS_SERVICE,
                )
            )
        )
    ).result
    assert result.disposition == P.SEND_DISPOSITION_ACCEPTED, result
    return await _wait(channel, result.message_id, {P.MESSAGE_STATUS_SENT, P.MESSAGE_STATUS_DELIVERED})


async def _wait(channel: Any, message_id: str, statuses: set[int]) -> channel_pb2.Message:
    api = channel_service_pb2_grpc.ChannelServiceStub(channel_to(channel, SYSTEM))
    for _ in range(200):
        found = (await api.GetMessage(channel_service_pb2.GetMessageRequest(message_id=message_id))).message
        if found.status in statuses:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"message stayed {P.MessageStatus.Name(found.status)}")


async def test_sms_status_report_is_verified_then_applied(stack: dict[str, Any]) -> None:
    client, channel = stack["client"], stack["channel"]
    sent = await _send(channel, "gw-1", "svc_sms", C.CHANNEL_SMS)
    report = [
        {
            "sid": sent.provider_message_id,
            "report_status": "SUCCESS",
            "errmsg": "DELIVRD",
            "mobile": "13812345678",
        }
    ]
    url = "/api/v1/provider-callbacks/tencent_sms"
    forged = await client.post(url, **signed("tencent_sms", report, secret="not-the-secret"))
    assert forged.status_code == 401
    stale = await client.post(url, **signed("tencent_sms", report, at=int(time.time()) - 3600))
    assert stale.status_code == 401
    unsigned = await client.post(
        url, content=json.dumps(report), headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 401
    await asyncio.sleep(0.5)
    assert (await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_SENT})).status == P.MESSAGE_STATUS_SENT
    accepted = await client.post(url, **signed("tencent_sms", report))
    assert accepted.status_code == 200 and accepted.json() == {"result": 0, "errmsg": "OK"}
    delivered = await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_DELIVERED})
    assert delivered.history[-1].provider_code == "DELIVRD"
    reply = {"text": "退订", "mobile": "13812345678", "time": 1_700_000_000}
    assert (await client.post(url, **signed("tencent_sms", reply))).status_code == 200
    await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_UNSUBSCRIBED})


async def test_wechat_callbacks_need_wechats_signature(stack: dict[str, Any]) -> None:
    client = stack["client"]
    stamp, nonce = str(int(time.time())), "n1"
    good = hashlib.sha1("".join(sorted([DEV_WECHAT_TOKEN, stamp, nonce])).encode()).hexdigest()
    ok = await client.get(
        "/api/v1/provider-callbacks/wechat/oa",
        params={"signature": good, "timestamp": stamp, "nonce": nonce, "echostr": "hello"},
    )
    assert ok.status_code == 200 and ok.text == "hello"
    bad = await client.get(
        "/api/v1/provider-callbacks/wechat/oa",
        params={"signature": "0" * 40, "timestamp": stamp, "nonce": nonce, "echostr": "hello"},
    )
    assert bad.status_code == 401


async def test_customer_inbox_and_operator_ledger(stack: dict[str, Any]) -> None:
    client, channel, settings = stack["client"], stack["channel"], stack["settings"]
    sent = await _send(channel, "gw-inbox", "svc_inbox", C.CHANNEL_INBOX)
    mine = {
        "Authorization": f"Bearer {issue_token(settings, role='customer', subject='app-1', customer_id='C1')}"
    }
    other = {
        "Authorization": f"Bearer {issue_token(settings, role='customer', subject='app-2', customer_id='C2')}"
    }
    listed = await client.get("/api/v1/me/inbox", headers=mine)
    assert listed.status_code == 200, listed.text
    assert listed.json()["unread_count"] == 1 and listed.json()["messages"][0]["body"] == "您的开户已办理"
    assert (await client.get("/api/v1/me/inbox", headers=other)).json()["messages"] == []
    read = await client.post("/api/v1/me/inbox/read", headers=mine, json={"message_ids": [sent.message_id]})
    assert read.json() == {"marked": 1, "unread_count": 0}
    hq = {"Authorization": f"Bearer {issue_token(settings, role='hq_operator', subject='ops-1')}"}
    ledger = await client.get("/api/v1/messages", headers=hq, params={"customer_id": "C1"})
    assert ledger.status_code == 200 and ledger.json()["messages"][0]["message_id"] == sent.message_id
    assert (
        await client.get("/api/v1/messages", headers=mine, params={"customer_id": "C1"})
    ).status_code == 403


def _wecom_push(change_type: str, external_userid: str, *, token: str = DEV_WECOM_TOKEN, at: int = 0) -> Any:
    stamp = at or int(time.time())
    plaintext = event_xml(DEV_WECOM_CORP_ID, change_type, "A01", external_userid, stamp)
    return encrypted_callback(
        plaintext, token=token, aes_key=DEV_WECOM_AES_KEY, corp_id=DEV_WECOM_CORP_ID, at=stamp
    )


async def test_wecom_contact_removal_is_decrypted_verified_and_withdraws_consent(
    stack: dict[str, Any],
) -> None:
    client, channel = stack["client"], stack["channel"]
    sent = await _send(channel, "gw-wecom", "svc_wecom", C.CHANNEL_WECOM)
    assert sent.provider == "wecom"
    url = "/api/v1/provider-callbacks/wecom"
    headers = {"Content-Type": "text/xml"}
    forged_query, forged_body = _wecom_push("del_follow_user", WECOM_CONTACT, token="not-our-token")
    assert (
        await client.post(url, params=forged_query, content=forged_body, headers=headers)
    ).status_code == 401
    stale_query, stale_body = _wecom_push("del_follow_user", WECOM_CONTACT, at=int(time.time()) - 3600)
    assert (
        await client.post(url, params=stale_query, content=stale_body, headers=headers)
    ).status_code == 401
    await asyncio.sleep(0.5)
    assert (
        await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_SENT, P.MESSAGE_STATUS_DELIVERED})
    ).status in (
        P.MESSAGE_STATUS_SENT,
        P.MESSAGE_STATUS_DELIVERED,
    )
    query, body = _wecom_push("del_follow_user", WECOM_CONTACT)
    answer = await client.post(url, params=query, content=body, headers=headers)
    assert answer.status_code == 200 and answer.text == "success"
    await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_UNSUBSCRIBED})
    prefs = await contact_policy_service_pb2_grpc.ContactPolicyServiceStub(
        channel_to(channel, SYSTEM)
    ).GetContactPreferences(contact_policy_service_pb2.GetContactPreferencesRequest(customer_id="C1"))
    wecom = next(c for c in prefs.preferences.consents if c.channel == C.CHANNEL_WECOM)
    assert wecom.status == customer_pb2.CONSENT_STATUS_WITHDRAWN and wecom.source == "wecom_contact_removed"
    # WeCom's URL check: the echostr decrypts only with our key, under a valid msg_signature.
    import xmltodict
    from wechatpy.enterprise.crypto import WeChatCrypto

    stamp, nonce = str(int(time.time())), "n0"
    sealed = xmltodict.parse(
        WeChatCrypto(DEV_WECOM_TOKEN, DEV_WECOM_AES_KEY, DEV_WECOM_CORP_ID).encrypt_message(
            "hello", nonce, stamp
        )
    )["xml"]
    check = {
        "msg_signature": sealed["MsgSignature"],
        "timestamp": stamp,
        "nonce": nonce,
        "echostr": sealed["Encrypt"],
    }
    verified = await client.get(url, params=check)
    assert verified.status_code == 200 and verified.text == "hello"
    assert (await client.get(url, params={**check, "msg_signature": "0" * 40})).status_code == 401


def _wecom_reply(
    text: str, *, token: str = DEV_WECOM_TOKEN, at: int = 0, msgid: str = "7000000000000000001"
) -> Any:
    stamp = at or int(time.time())
    plaintext = reply_xml(DEV_WECOM_CORP_ID, WECOM_CONTACT, text, msgid, stamp, "1000002")
    return encrypted_callback(
        plaintext, token=token, aes_key=DEV_WECOM_AES_KEY, corp_id=DEV_WECOM_CORP_ID, at=stamp
    )


async def _published_statuses(nats_url: str, message_id: str) -> list[int]:
    """Statuses of one message as published on lingxi.channel.message.status (JetStream)."""
    import nats

    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        last = (await js.stream_info("CHANNEL_EVENTS")).state.last_seq
        found = []
        for seq in range(1, last + 1):
            stored = await js.get_msg("CHANNEL_EVENTS", seq=seq)
            if stored.subject == "lingxi.channel.message.status":
                event = channel_events_pb2.MessageStatusChanged.FromString(stored.data or b"")
                if event.message_id == message_id:
                    found.append(event.status)
        return found
    finally:
        await connection.close()


async def _wecom_consent(channel: Any) -> customer_pb2.ChannelConsent | None:
    prefs = await contact_policy_service_pb2_grpc.ContactPolicyServiceStub(
        channel_to(channel, SYSTEM)
    ).GetContactPreferences(contact_policy_service_pb2.GetContactPreferencesRequest(customer_id="C1"))
    return next((c for c in prefs.preferences.consents if c.channel == C.CHANNEL_WECOM), None)


async def test_wecom_reply_is_verified_recorded_published_and_opt_out_words_withdraw_consent(
    stack: dict[str, Any], restartable_nats
) -> None:
    client, channel, hub, base = stack["client"], stack["channel"], stack["hub"], stack["base"]
    url = "/api/v1/provider-callbacks/wecom"
    headers = {"Content-Type": "text/xml"}
    sent = await _send(channel, "gw-wecom-reply", "svc_wecom", C.CHANNEL_WECOM)
    await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_DELIVERED})
    # Forged (another app's token), stale (an hour old) and spliced (a genuine signature over another
    # ciphertext) opt-out replies: 401, and nothing is recorded.
    forged_query, forged_body = _wecom_reply("TD", token="not-our-token", msgid="1")
    stale_query, stale_body = _wecom_reply("TD", at=int(time.time()) - 3600, msgid="2")
    genuine_query, _ = _wecom_reply("好的", msgid="3")
    _, other_body = _wecom_reply("TD", msgid="4")
    for query, body in ((forged_query, forged_body), (stale_query, stale_body), (genuine_query, other_body)):
        answer = await client.post(url, params=query, content=body, headers=headers)
        assert answer.status_code == 401, answer.text
    # A genuine reply, pushed by the WeCom simulator in WeCom's own callback shape.
    wecom = hub["wecom"]
    wecom.settings["callback_url"] = f"{base}{url}"
    status, msgid = await push_reply(wecom, external_userid=WECOM_CONTACT, text="好的，谢谢提醒")
    assert status == 200
    replied = await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_REPLIED})
    assert replied.history[-1].provider_code == "reply"
    # WeCom repeats a callback it got no timely answer for: same MsgId, applied once.
    assert (await push_reply(wecom, external_userid=WECOM_CONTACT, text="好的，谢谢提醒", msgid=msgid))[
        0
    ] == 200
    consent = await _wecom_consent(channel)
    assert (
        consent is None or consent.status != customer_pb2.CONSENT_STATUS_WITHDRAWN
    )  # the forged TD did nothing
    for _ in range(200):
        published = await _published_statuses(restartable_nats.url, sent.message_id)
        if P.MESSAGE_STATUS_REPLIED in published:
            break
        await asyncio.sleep(0.05)
    assert published.count(P.MESSAGE_STATUS_REPLIED) == 1
    # An opt-out word withdraws the WeCom consent and marks the message unsubscribed.
    assert (await push_reply(wecom, external_userid=WECOM_CONTACT, text=" 退订 "))[0] == 200
    unsubscribed = await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_UNSUBSCRIBED})
    assert [h.status for h in unsubscribed.history].count(P.MESSAGE_STATUS_REPLIED) == 1
    consent = await _wecom_consent(channel)
    assert consent is not None and consent.status == customer_pb2.CONSENT_STATUS_WITHDRAWN
    assert consent.source == "wecom_reply"
    assert [code for code, _ in wecom.state["wecom"].callbacks_sent] == [200, 200, 200]


async def test_sms_provider_pushes_its_own_delivery_report_and_the_send_ends_delivered(
    stack: dict[str, Any],
) -> None:
    hub, channel, base = stack["hub"], stack["channel"], stack["base"]
    tencent = hub["tencent_sms"]
    tencent.callback_url = f"{base}/api/v1/provider-callbacks/tencent_sms"
    tencent.callback_secret = DEV_CALLBACK_SECRETS["tencent_sms"]
    tencent.settings["report_delay_ms"] = 50
    sent = await _send(channel, "gw-report-1", "svc_sms", C.CHANNEL_SMS)
    delivered = await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_DELIVERED})
    assert delivered.history[-1].provider_code == "DELIVRD"
    assert [status for status, _ in tencent.callbacks_sent] == [200]
    (report,) = tencent.callbacks_sent[0][1]
    assert report["sid"] == sent.provider_message_id and report["report_status"] == "SUCCESS"
    # A number the network cannot reach: the provider reports FAIL and the message ends FAILED.
    tencent.settings["fail_numbers"] = ["13812345678"]
    second = await _send(channel, "gw-report-2", "svc_sms", C.CHANNEL_SMS)
    failed = await _wait(channel, second.message_id, {P.MESSAGE_STATUS_FAILED})
    assert failed.history[-1].provider_code == "UNDELIV"
    # Signed with a secret the gateway does not know: refused, nothing changes.
    tencent.callback_secret = "not-the-secret"
    third = await _send(channel, "gw-report-3", "svc_sms", C.CHANNEL_SMS)
    for _ in range(100):
        if len(tencent.callbacks_sent) == 3:
            break
        await asyncio.sleep(0.05)
    assert tencent.callbacks_sent[-1][0] == 401
    await asyncio.sleep(0.3)
    assert (await _wait(channel, third.message_id, {P.MESSAGE_STATUS_SENT})).status == P.MESSAGE_STATUS_SENT


async def test_alibaba_pushes_its_sms_report_after_a_failover_send(stack: dict[str, Any]) -> None:
    hub, channel, base = stack["hub"], stack["channel"], stack["base"]
    hub["tencent_sms"].faults.down = True
    aliyun = hub["aliyun_sms"]
    aliyun.callback_url = f"{base}/api/v1/provider-callbacks/aliyun_sms"
    aliyun.callback_secret = DEV_CALLBACK_SECRETS["aliyun_sms"]
    aliyun.settings["report_delay_ms"] = 50
    sent = await _send(channel, "gw-ali-1", "svc_sms", C.CHANNEL_SMS)
    assert sent.provider == "aliyun_sms"
    delivered = await _wait(channel, sent.message_id, {P.MESSAGE_STATUS_DELIVERED})
    assert delivered.history[-1].provider_code == "DELIVERED"
    (report,) = aliyun.callbacks_sent[0][1]
    assert report["biz_id"] == sent.provider_message_id and report["out_id"] == sent.message_id
