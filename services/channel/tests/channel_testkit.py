"""Shared test helpers: customers in the tag service, approved templates, waiting for outcomes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble

from lingxi.channel.v1 import (
    channel_pb2,
    channel_service_pb2,
    channel_service_pb2_grpc,
    template_service_pb2_grpc,
)
from lingxi.channel.v1 import template_service_pb2 as T
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi.tag.v1 import customer_pb2 as tag_customer_pb2
from lingxi_channel.main import DEFINITION
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service

HQ = Caller(subject="u-hq", role=Role.HQ_OPERATOR)
COMPLIANCE = Caller(subject="u-comp", role=Role.COMPLIANCE)
SYSTEM = Caller.system("campaign")
C = enums_pb2


def add_customer(
    tag: TagDouble, customer_id: str, *, sms: bool = True, phone: str = "13812345678", **extra: str
) -> None:
    """Registers a customer as the tag service would return it (SMS consent from account opening)."""
    consents = []
    if sms:
        consents.append(
            customer_pb2.ChannelConsent(
                channel=C.CHANNEL_SMS, status=customer_pb2.CONSENT_STATUS_GRANTED, source="account_opening"
            )
        )
    tag.book.customers[customer_id] = tag_customer_pb2.Customer(
        customer_id=customer_id,
        branch_id=extra.get("branch_id", "B01"),
        advisor_id=extra.get("advisor_id", "A01"),
        phone=phone,
        wechat_openid=extra.get("openid", ""),
        display_name="张三",
        consents=consents,
    )


async def approved_template(
    channel_runner: ServiceRunner,
    code: str,
    *,
    channel: int = C.CHANNEL_SMS,
    message_class: int = C.MESSAGE_CLASS_MARKETING,
    body: str = "尊敬的客户，您关注的{{ fund }}今日开放申购，费率{{ rate }}。",
    variables: list[T.TemplateVariable] | None = None,
    approve: bool = True,
    wechat_fields: list[T.WechatField] | None = None,
) -> T.TemplateVersion:
    author = template_service_pb2_grpc.TemplateServiceStub(channel_to(channel_runner, HQ))
    reviewer = template_service_pb2_grpc.TemplateServiceStub(channel_to(channel_runner, COMPLIANCE))
    created = await author.CreateTemplate(
        T.CreateTemplateRequest(
            template=T.Template(template_code=code, name=code, channel=channel, message_class=message_class),
            content=T.TemplateContent(
                title="灵犀", body=body, provider_template_id="1800001", wechat_fields=wechat_fields or []
            ),
            variables=variables
            if variables is not None
            else [
                T.TemplateVariable(name="fund", type=T.VARIABLE_TYPE_STRING, required=True, max_length=20),
                T.TemplateVariable(name="rate", type=T.VARIABLE_TYPE_PERCENT, required=True),
            ],
        )
    )
    version = created.version
    if approve:
        await author.SubmitTemplateVersion(T.SubmitTemplateVersionRequest(template_code=code, version=1))
        version = (
            await reviewer.ApproveTemplateVersion(
                T.ApproveTemplateVersionRequest(
                    template_code=code, version=1, content_sha256=version.content_sha256, comment="ok"
                )
            )
        ).version
    return version


def message(
    key: str,
    customer_id: str = "C1",
    *,
    template: str = "fund_offer_sms",
    channel: int = C.CHANNEL_SMS,
    message_class: int = C.MESSAGE_CLASS_MARKETING,
    variables: dict[str, str] | None = None,
    fallback: list[int] | None = None,
    campaign_id: str = "cmp_1",
) -> channel_pb2.OutboundMessage:
    return channel_pb2.OutboundMessage(
        idempotency_key=key,
        customer_id=customer_id,
        channel=channel,
        fallback_channels=fallback or [],
        template_code=template,
        variables=variables if variables is not None else {"fund": "沪深300ETF", "rate": "0.0015"},
        message_class=message_class,
        origin=customer_pb2.Origin(campaign_id=campaign_id, source="test"),
    )


def sender(runner: ServiceRunner, caller: Caller = SYSTEM) -> channel_service_pb2_grpc.ChannelServiceStub:
    return channel_service_pb2_grpc.ChannelServiceStub(channel_to(runner, caller))


async def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def wait_status(
    runner: ServiceRunner, message_id: str, statuses: set[int], timeout: float = 15.0
) -> channel_pb2.Message:
    api = sender(runner, HQ)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = (await api.GetMessage(channel_service_pb2.GetMessageRequest(message_id=message_id))).message
        if found.status in statuses:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"message stayed {channel_pb2.MessageStatus.Name(found.status)}")
        await asyncio.sleep(0.05)


def accounts_for(hub: SimulatorHub) -> str:
    return json.dumps(
        [
            {
                "account_id": "tencent_sms_main",
                "channel": "CHANNEL_SMS",
                "provider": "tencent_sms",
                "endpoint": hub["tencent_sms"].endpoint,
                "sms_signature": "【灵犀证券】",
                "failover_order": 1,
                "enabled": True,
            },
            {
                "account_id": "aliyun_sms_backup",
                "channel": "CHANNEL_SMS",
                "provider": "aliyun_sms",
                "endpoint": hub["aliyun_sms"].endpoint,
                "sms_signature": "【灵犀证券】",
                "failover_order": 2,
                "enabled": True,
            },
            {
                "account_id": "wechat_oa_main",
                "channel": "CHANNEL_WECHAT_OA",
                "provider": "wechat_oa",
                "endpoint": hub["wechat"].endpoint,
                "failover_order": 1,
                "enabled": True,
            },
            {
                "account_id": "wechat_mini_main",
                "channel": "CHANNEL_WECHAT_MINI",
                "provider": "wechat_mini",
                "endpoint": hub["wechat"].endpoint,
                "failover_order": 1,
                "enabled": True,
            },
            {
                "account_id": "call_center_main",
                "channel": "CHANNEL_CALL",
                "provider": "call",
                "endpoint": hub["call"].endpoint,
                "failover_order": 1,
                "enabled": True,
            },
            {
                "account_id": "jpush_app",
                "channel": "CHANNEL_APP_PUSH",
                "provider": "jpush",
                "endpoint": hub["jpush"].endpoint,
                "failover_order": 1,
                "enabled": True,
            },
            {
                "account_id": "wecom_main",
                "channel": "CHANNEL_WECOM",
                "provider": "wecom",
                "endpoint": hub["wecom"].endpoint,
                "failover_order": 1,
                "enabled": True,
            },
        ]
    )


def policy_json(**overrides: object) -> str:
    """LINGXI_POLICY_JSON for tests: no quiet hours unless asked, so results do not depend on the time
    of day the suite runs (quiet hours have their own tests, at fixed times and set at runtime)."""
    return json.dumps({"quiet_hours": [], **overrides})


def channel_settings(tag: TagDouble, hub: SimulatorHub, **extra: object) -> dict[str, object]:
    return {
        "policy_json": policy_json(),
        "tag_address": f"127.0.0.1:{tag.port}",
        "seed_accounts": accounts_for(hub),
        "dispatch_poll_interval": 0.05,
        "webhook_poll_interval": 0.05,
        "dispatch_lease_seconds": 2.0,
        "wecom_result_interval": 0.1,
        **extra,
    }


@asynccontextmanager
async def channel_service(
    database_url: str, nats_url: str, **settings: object
) -> AsyncIterator[ServiceRunner]:
    """The channel service in this event loop (PostgreSQL, NATS and migrations real), stopped after."""
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=nats_url, **settings
    ) as runner:
        yield runner
