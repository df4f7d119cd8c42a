"""Partner webhooks: signed deliveries a partner can verify, retries, the dead-letter queue and replay."""

from __future__ import annotations

import hashlib
import hmac
import json
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
    sender,
    wait_for,
    wait_status,
)
from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble

from lingxi.channel.v1 import channel_pb2, channel_service_pb2, webhook_service_pb2, webhook_service_pb2_grpc
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to

pytestmark = pytest.mark.integration
P = channel_pb2
C = enums_pb2
W = webhook_service_pb2
PARTNER = Caller(subject="partner-fund-co", role=Role.PARTNER)
OTHER_PARTNER = Caller(subject="partner-other", role=Role.PARTNER)


@pytest.fixture
async def channel(
    database_url: str,
    restartable_nats,
    tag: TagDouble,
    simulators: SimulatorHub,
) -> AsyncIterator[ServiceRunner]:
    settings = channel_settings(
        tag, simulators, webhook_backoff_seconds=[0.2, 0.2], webhook_burst_attempts=2, webhook_burst_wait=0.05
    )
    async with channel_service(database_url, restartable_nats.url, **settings) as runner:
        await approved_template(
            runner,
            "fund_nav_webhook",
            channel=C.CHANNEL_WEBHOOK,
            message_class=C.MESSAGE_CLASS_SERVICE,
            body="{{ fund }} 费率 {{ rate }}",
        )
        yield runner


def hooks(runner: ServiceRunner, caller: Caller = PARTNER) -> webhook_service_pb2_grpc.WebhookServiceStub:
    return webhook_service_pb2_grpc.WebhookServiceStub(channel_to(runner, caller))


def webhook_message(key: str, subscription_id: str) -> channel_pb2.OutboundMessage:
    return P.OutboundMessage(
        idempotency_key=key,
        webhook_subscription_id=subscription_id,
        channel=C.CHANNEL_WEBHOOK,
        template_code="fund_nav_webhook",
        variables={"fund": "沪深300ETF", "rate": "0.0015"},
        message_class=C.MESSAGE_CLASS_SERVICE,
        origin=customer_pb2.Origin(source="api:partner-fund-co"),
    )


async def test_delivery_is_signed_so_the_partner_can_verify_it(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    created = await hooks(channel).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(url=f"{simulators['partner'].url}/hooks/lingxi")
        )
    )
    assert created.secret.startswith("whsec_") and created.subscription.partner_id == PARTNER.subject
    fetched = await hooks(channel).GetWebhookSubscription(
        W.GetWebhookSubscriptionRequest(subscription_id=created.subscription.subscription_id)
    )
    assert created.secret not in str(fetched)
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel, OTHER_PARTNER).GetWebhookSubscription(
            W.GetWebhookSubscriptionRequest(subscription_id=created.subscription.subscription_id)
        )
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    result = (
        await sender(channel).Send(
            channel_service_pb2.SendRequest(
                message=webhook_message("wh-1", created.subscription.subscription_id)
            )
        )
    ).result
    assert result.disposition == P.SEND_DISPOSITION_ACCEPTED
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED})
    received = simulators["partner"].accepted[0]
    # The partner's verification recipe (docs/channel.md).
    parts = dict(item.split("=", 1) for item in received.headers["Lingxi-Signature"].split(","))
    raw = json.dumps(received.body, ensure_ascii=False, sort_keys=True).encode()
    expected = hmac.new(created.secret.encode(), parts["t"].encode() + b"." + raw, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert received.body["body"] == "沪深300ETF 费率 0.15%" and received.headers["Lingxi-Delivery-Id"]
    unknown = (
        await sender(channel).Send(
            channel_service_pb2.SendRequest(message=webhook_message("wh-x", "whs_missing"))
        )
    ).result
    assert unknown.reason_code == "unknown_webhook_subscription"


async def test_failing_partner_is_retried_dead_lettered_then_replayed_with_the_same_id(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    partner = simulators["partner"]
    partner.faults.down = True
    created = await hooks(channel).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(subscription=W.WebhookSubscription(url=f"{partner.url}/hooks"))
    )
    subscription_id = created.subscription.subscription_id
    result = (
        await sender(channel).Send(
            channel_service_pb2.SendRequest(message=webhook_message("wh-2", subscription_id))
        )
    ).result
    failed = await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_FAILED}, timeout=20)
    assert failed.history[-1].detail == "webhook_delivery"
    # 3 attempts (first + 2 scheduled) × 2 quick tries each.
    assert len(partner.received) == 6
    admin = hooks(channel, HQ)
    dead = await admin.ListWebhookDeliveries(
        W.ListWebhookDeliveriesRequest(
            subscription_id=subscription_id, statuses=[W.DELIVERY_STATUS_DEAD_LETTERED]
        )
    )
    assert len(dead.deliveries) == 1 and dead.deliveries[0].last_http_status == 503
    delivery_id = dead.deliveries[0].delivery_id
    with pytest.raises(grpc.aio.AioRpcError):
        await hooks(channel).ReplayWebhookDeliveries(
            W.ReplayWebhookDeliveriesRequest(delivery_ids=[delivery_id])
        )
    partner.faults.down = False
    replayed = await admin.ReplayWebhookDeliveries(
        W.ReplayWebhookDeliveriesRequest(delivery_ids=[delivery_id])
    )
    assert replayed.replayed == 1
    await wait_for(lambda: len(partner.accepted) == 1)
    assert partner.accepted[0].headers["Lingxi-Delivery-Id"] == delivery_id
    await wait_status(channel, result.message_id, {P.MESSAGE_STATUS_DELIVERED})


def status_posts(hub: SimulatorHub, path: str) -> list[dict[str, object]]:
    return [
        r.body
        for r in hub["partner"].accepted
        if r.path == path and r.headers.get("Lingxi-Type") == "lingxi.channel.message.status"
    ]


async def test_partner_gets_signed_status_events_of_its_own_messages_only(
    channel: ServiceRunner, simulators: SimulatorHub, tag: TagDouble
) -> None:
    from lingxi_common.errors import field_violations

    partner = simulators["partner"]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel).CreateWebhookSubscription(
            W.CreateWebhookSubscriptionRequest(
                subscription=W.WebhookSubscription(url=f"{partner.url}/x", event_types=["lingxi.points.>"])
            )
        )
    # Other services' events are granted by an operator, not self-served (test_channel_webhook_forwarding).
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "subscription.event_types[0]" in (error.value.details() or "")
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel).CreateWebhookSubscription(
            W.CreateWebhookSubscriptionRequest(
                subscription=W.WebhookSubscription(url=f"{partner.url}/x", event_types=["lingxi.nothing.>"])
            )
        )
    assert field_violations(error.value)[0][0] == "subscription.event_types[0]"
    content = await hooks(channel).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(subscription=W.WebhookSubscription(url=f"{partner.url}/content"))
    )
    statuses = await hooks(channel).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(
                url=f"{partner.url}/statuses", event_types=["lingxi.events.v1.MessageStatusChanged"]
            )
        )
    )
    assert list(statuses.subscription.event_types) == ["lingxi.channel.message.status"]
    other = await hooks(channel, OTHER_PARTNER).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(url=f"{partner.url}/other", event_types=["lingxi.channel.>"])
        )
    )
    assert other.subscription.partner_id == OTHER_PARTNER.subject
    # A webhook message to the partner, an SMS sent on its behalf, and an SMS that is none of its business.
    add_customer(tag, "C1")
    await approved_template(channel, "svc_sms", message_class=C.MESSAGE_CLASS_SERVICE)
    api = sender(channel)
    mine = (
        await api.Send(
            channel_service_pb2.SendRequest(
                message=webhook_message("ev-1", content.subscription.subscription_id)
            )
        )
    ).result
    on_behalf = message("ev-2", template="svc_sms", message_class=C.MESSAGE_CLASS_SERVICE)
    on_behalf.origin.source = "api:partner-fund-co"
    sms = (await api.Send(channel_service_pb2.SendRequest(message=on_behalf))).result
    unrelated = message("ev-3", template="svc_sms", message_class=C.MESSAGE_CLASS_SERVICE)
    await api.Send(channel_service_pb2.SendRequest(message=unrelated))
    await wait_status(channel, mine.message_id, {P.MESSAGE_STATUS_DELIVERED})
    await wait_status(channel, sms.message_id, {P.MESSAGE_STATUS_SENT})

    def seen() -> set[tuple[object, object]]:
        return {
            (b["data"]["message_id"], b["data"]["status"])  # type: ignore[index]
            for b in status_posts(simulators, "/statuses")
        }

    expected = {
        (mine.message_id, "MESSAGE_STATUS_ACCEPTED"),
        (mine.message_id, "MESSAGE_STATUS_SENT"),
        (mine.message_id, "MESSAGE_STATUS_DELIVERED"),
        (sms.message_id, "MESSAGE_STATUS_ACCEPTED"),
        (sms.message_id, "MESSAGE_STATUS_SENT"),
    }
    await wait_for(lambda: seen() >= expected)
    assert seen() == expected and len(status_posts(simulators, "/statuses")) == len(expected)
    assert status_posts(simulators, "/other") == []
    delivery = next(
        r
        for r in partner.accepted
        if r.path == "/statuses" and r.body["data"]["message_id"] == sms.message_id
    )
    parts = dict(item.split("=", 1) for item in delivery.headers["Lingxi-Signature"].split(","))
    raw = json.dumps(delivery.body, ensure_ascii=False, sort_keys=True).encode()
    expected_sig = hmac.new(
        statuses.secret.encode(), parts["t"].encode() + b"." + raw, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected_sig)
    assert delivery.body["type"] == "lingxi.channel.message.status" and delivery.body["id"]


async def test_subscriptions_are_updated_and_deleted_by_their_partner(
    channel: ServiceRunner, simulators: SimulatorHub
) -> None:
    from google.protobuf import field_mask_pb2

    from lingxi_common.errors import field_violations

    partner = simulators["partner"]
    created = await hooks(channel).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(subscription=W.WebhookSubscription(url=f"{partner.url}/a"))
    )
    subscription_id = created.subscription.subscription_id
    change = W.WebhookSubscription(
        subscription_id=subscription_id,
        url=f"{partner.url}/b",
        event_types=["lingxi.channel.*.status"],
        description="statuses for the fund desk",
    )
    updated = await hooks(channel).UpdateWebhookSubscription(
        W.UpdateWebhookSubscriptionRequest(
            subscription=change,
            update_mask=field_mask_pb2.FieldMask(paths=["url", "event_types", "description"]),
        )
    )
    assert updated.subscription.url.endswith("/b") and updated.subscription.active
    assert list(updated.subscription.event_types) == ["lingxi.channel.*.status"]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel).UpdateWebhookSubscription(
            W.UpdateWebhookSubscriptionRequest(
                subscription=change, update_mask=field_mask_pb2.FieldMask(paths=["partner_id"])
            )
        )
    assert field_violations(error.value)[0][0] == "update_mask.paths[0]"
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel).UpdateWebhookSubscription(
            W.UpdateWebhookSubscriptionRequest(
                subscription=W.WebhookSubscription(subscription_id=subscription_id, url="ftp://x"),
                update_mask=field_mask_pb2.FieldMask(paths=["url"]),
            )
        )
    assert field_violations(error.value)[0][0] == "subscription.url"
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel, OTHER_PARTNER).DeleteWebhookSubscription(
            W.DeleteWebhookSubscriptionRequest(subscription_id=subscription_id)
        )
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    await hooks(channel).DeleteWebhookSubscription(
        W.DeleteWebhookSubscriptionRequest(subscription_id=subscription_id)
    )
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel).GetWebhookSubscription(
            W.GetWebhookSubscriptionRequest(subscription_id=subscription_id)
        )
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    listed = await hooks(channel).ListWebhookSubscriptions(W.ListWebhookSubscriptionsRequest())
    assert subscription_id not in [s.subscription_id for s in listed.subscriptions]
    # A send naming the deleted subscription is refused and recorded.
    refused = (
        await sender(channel).Send(
            channel_service_pb2.SendRequest(message=webhook_message("del-1", subscription_id))
        )
    ).result
    assert refused.reason_code == "unknown_webhook_subscription"
