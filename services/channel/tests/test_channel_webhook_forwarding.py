"""Other services' events reach partner webhooks they were granted: through real NATS and the channel
service's consumers, signed, once per (subscription, event), in the documented shape and no more."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import grpc
import nats
import pytest
from aiohttp import web
from channel_testkit import HQ, channel_service, channel_settings, wait_for
from google.protobuf import field_mask_pb2
from google.protobuf.message import Message
from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble

from lingxi.channel.v1 import webhook_service_pb2 as W
from lingxi.channel.v1 import webhook_service_pb2_grpc
from lingxi.common.v1 import customer_pb2, event_meta_pb2
from lingxi.events.v1 import points_events_pb2 as PE
from lingxi.events.v1 import strategy_events_pb2 as SE
from lingxi_channel.event_forwarding import CONSUMERS
from lingxi_channel.forwarded_events import FORWARDED, project
from lingxi_common.bus import HEADER_EVENT_ID, HEADER_MSG_ID, message_headers
from lingxi_common.contracts import event_subject
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.streams import load_declarations
from lingxi_common.testing.services import channel_to

PARTNER = Caller(subject="partner-loyalty-co", role=Role.PARTNER)
integration = pytest.mark.integration


@dataclass
class PartnerEndpoint:
    """A partner's HTTP endpoint: keeps every request's raw body and headers, answers 2xx."""

    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    fail_first: int = 0
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def on(self, path: str) -> list[tuple[dict[str, str], bytes]]:
        return [(headers, raw) for p, headers, raw in self.requests if p == path]

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if self.fail_first > 0:
            self.fail_first -= 1
            return web.Response(status=503, text="busy")
        self.requests.append((request.path, dict(request.headers), raw))
        return web.Response(status=204)


@pytest.fixture
async def endpoint() -> AsyncIterator[PartnerEndpoint]:
    partner = PartnerEndpoint()
    app = web.Application()
    app.router.add_post("/{tail:.*}", partner.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    partner.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield partner
    finally:
        await runner.cleanup()


@pytest.fixture
async def channel(
    database_url: str, restartable_nats, tag: TagDouble, simulators: SimulatorHub
) -> AsyncIterator[ServiceRunner]:
    settings = channel_settings(
        tag, simulators, webhook_backoff_seconds=[0.2, 0.2], webhook_burst_attempts=2, webhook_burst_wait=0.05
    )
    async with channel_service(database_url, restartable_nats.url, **settings) as runner:
        yield runner


def hooks(runner: ServiceRunner, caller: Caller) -> webhook_service_pb2_grpc.WebhookServiceStub:
    return webhook_service_pb2_grpc.WebhookServiceStub(channel_to(runner, caller))


def verified(secret: str, headers: dict[str, str], raw: bytes) -> bool:
    """The partner's verification recipe of docs/channel.md, on the raw body."""
    parts = dict(item.split("=", 1) for item in headers["Lingxi-Signature"].split(","))
    if abs(time.time() - int(parts["t"])) > 300:
        return False
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(parts["v1"], expected)


async def publish(nats_url: str, event: Message, event_id: str, *, msg_id: str | None = None) -> None:
    """Publish as a producer's outbox relay does (Lingxi-Type, Lingxi-Event-Id, Nats-Msg-Id)."""
    connection = await nats.connect(nats_url)
    try:
        headers = message_headers(event, event_id)
        headers[HEADER_EVENT_ID] = event_id
        headers[HEADER_MSG_ID] = msg_id or event_id
        await connection.jetstream().publish(
            event_subject(event),
            event.SerializeToString(),
            headers=headers,
        )
    finally:
        await connection.close()


def earned(event_id: str) -> PE.PointsEarned:
    meta = event_meta_pb2.EventMeta(event_id=event_id, producer="points")
    meta.occurred_at.FromSeconds(1_760_000_000)
    return PE.PointsEarned(
        meta=meta,
        customer_id="C1",
        posting_id="pst_1",
        business_key="deposit:13812345678",  # a caller's key: never forwarded
        rule_code="first_deposit",
        points=100,
        available_after=1100,
        origin=customer_pb2.Origin(campaign_id="cmp_9", source="system:deposits"),
    )


@integration
async def test_granted_points_events_reach_the_partner_once_signed_and_unsubscribed_ones_do_not(
    channel: ServiceRunner, endpoint: PartnerEndpoint, restartable_nats
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel, PARTNER).CreateWebhookSubscription(
            W.CreateWebhookSubscriptionRequest(
                subscription=W.WebhookSubscription(
                    url=endpoint.url("/self"), event_types=["lingxi.points.points.earned"]
                )
            )
        )
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "subscription.event_types[0]" in (error.value.details() or "")
    granted = await hooks(channel, HQ).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(
                partner_id=PARTNER.subject,
                url=endpoint.url("/points"),
                event_types=["lingxi.events.v1.PointsEarned", "lingxi.points.redemption.changed"],
            )
        )
    )
    assert list(granted.subscription.event_types) == [
        "lingxi.points.points.earned",
        "lingxi.points.redemption.changed",
    ]
    # The partner's own catch-all: channel events only, never the points stream.
    wide = await hooks(channel, PARTNER).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(url=endpoint.url("/wide"), event_types=["lingxi.>"])
        )
    )
    assert wide.subscription.partner_id == PARTNER.subject
    endpoint.fail_first = 1  # the first post fails: retried, still delivered once

    earned_id = str(uuid.uuid4())
    await publish(restartable_nats.url, earned(earned_id), earned_id)
    # The same event again under another NATS message id (a relay re-publishing after a crash):
    # JetStream keeps both, the consumer sees both, the partner gets it once.
    await publish(restartable_nats.url, earned(earned_id), earned_id, msg_id=f"{earned_id}-again")
    tier_id = str(uuid.uuid4())
    await publish(
        restartable_nats.url,
        PE.TierChanged(customer_id="C1", from_tier_code="silver", to_tier_code="gold", upgrade=True),
        tier_id,
    )
    fulfilled_id = str(uuid.uuid4())
    await publish(
        restartable_nats.url,
        PE.RedemptionChanged(
            redemption_id="rdm_1",
            customer_id="C1",
            reward_id="rwd_cinema",
            previous_status="REDEMPTION_STATUS_RESERVED",
            status="REDEMPTION_STATUS_FULFILLED",
            points=500,
            quantity=1,
        ),
        fulfilled_id,
    )
    # One consumer reads the points stream in order: once the redemption is delivered, the
    # duplicate and the tier change before it have been handled too.
    await wait_for(lambda: len(endpoint.on("/points")) >= 2, timeout=20)
    deliveries = await hooks(channel, HQ).ListWebhookDeliveries(
        W.ListWebhookDeliveriesRequest(subscription_id=granted.subscription.subscription_id)
    )
    assert all(d.status == W.DELIVERY_STATUS_DELIVERED for d in deliveries.deliveries)
    assert sorted(d.event_id for d in deliveries.deliveries) == sorted([earned_id, fulfilled_id])
    posts = endpoint.on("/points")
    assert len(posts) == 2
    bodies = {json.loads(raw)["type"]: (headers, raw) for headers, raw in posts}
    assert set(bodies) == {"lingxi.points.points.earned", "lingxi.points.redemption.changed"}
    for headers, raw in posts:
        assert verified(granted.secret, headers, raw)
        assert not verified(wide.secret, headers, raw)
    headers, raw = bodies["lingxi.points.points.earned"]
    body = json.loads(raw)
    assert headers["Lingxi-Type"] == "lingxi.points.points.earned"
    assert body == {
        "id": earned_id,
        "type": "lingxi.points.points.earned",
        "occurred_at": "2025-10-09T08:53:20+00:00",
        "data": {
            "customer_id": "C1",
            "posting_id": "pst_1",
            "rule_code": "first_deposit",
            "points": "100",
            "available_after": "1100",
            "origin": {"campaign_id": "cmp_9"},
        },
    }
    assert b"13812345678" not in raw and b"deposits" not in raw
    fulfilled = json.loads(bodies["lingxi.points.redemption.changed"][1])
    assert fulfilled["id"] == fulfilled_id and fulfilled["data"]["status"] == "REDEMPTION_STATUS_FULFILLED"
    assert endpoint.on("/wide") == []


@integration
async def test_a_forwarded_event_the_partner_could_not_take_is_dead_lettered_then_replayed(
    channel: ServiceRunner, endpoint: PartnerEndpoint, restartable_nats
) -> None:
    granted = await hooks(channel, HQ).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(
                partner_id=PARTNER.subject, url=endpoint.url("/tiers"), event_types=["lingxi.points.tier.>"]
            )
        )
    )
    subscription_id = granted.subscription.subscription_id
    endpoint.fail_first = 1_000  # down for longer than every attempt
    tier_id = str(uuid.uuid4())
    await publish(
        restartable_nats.url,
        PE.TierChanged(customer_id="C7", from_tier_code="gold", to_tier_code="platinum", upgrade=True),
        tier_id,
    )
    admin = hooks(channel, HQ)
    dead: list[W.WebhookDelivery] = []

    async def dead_letters() -> list[W.WebhookDelivery]:
        listed = await admin.ListWebhookDeliveries(
            W.ListWebhookDeliveriesRequest(
                subscription_id=subscription_id, statuses=[W.DELIVERY_STATUS_DEAD_LETTERED]
            )
        )
        return list(listed.deliveries)

    for _ in range(300):
        dead = await dead_letters()
        if dead:
            break
        await asyncio.sleep(0.05)
    assert [d.event_id for d in dead] == [tier_id] and dead[0].attempts == 3
    assert dead[0].last_http_status == 503 and endpoint.on("/tiers") == []
    endpoint.fail_first = 0
    replayed = await admin.ReplayWebhookDeliveries(
        W.ReplayWebhookDeliveriesRequest(subscription_id=subscription_id)
    )
    assert replayed.replayed == 1
    await wait_for(lambda: len(endpoint.on("/tiers")) == 1)
    headers, raw = endpoint.on("/tiers")[0]
    assert headers["Lingxi-Delivery-Id"] == dead[0].delivery_id and verified(granted.secret, headers, raw)
    assert json.loads(raw)["data"] == {
        "customer_id": "C7",
        "from_tier_code": "gold",
        "to_tier_code": "platinum",
        "upgrade": True,
    }


@integration
async def test_a_partner_keeps_or_drops_a_grant_but_cannot_add_one(
    channel: ServiceRunner, endpoint: PartnerEndpoint
) -> None:
    created = await hooks(channel, HQ).CreateWebhookSubscription(
        W.CreateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(
                partner_id=PARTNER.subject,
                url=endpoint.url("/tasks"),
                event_types=["lingxi.strategy.task.created"],
            )
        )
    )
    subscription_id = created.subscription.subscription_id
    mask = field_mask_pb2.FieldMask(paths=["event_types"])
    kept = await hooks(channel, PARTNER).UpdateWebhookSubscription(
        W.UpdateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(
                subscription_id=subscription_id,
                event_types=["lingxi.strategy.task.created", "lingxi.channel.message.status"],
            ),
            update_mask=mask,
        )
    )
    assert list(kept.subscription.event_types) == [
        "lingxi.strategy.task.created",
        "lingxi.channel.message.status",
    ]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel, PARTNER).UpdateWebhookSubscription(
            W.UpdateWebhookSubscriptionRequest(
                subscription=W.WebhookSubscription(
                    subscription_id=subscription_id,
                    event_types=["lingxi.strategy.task.created", "lingxi.strategy.>"],
                ),
                update_mask=mask,
            )
        )
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "subscription.event_types[1]" in (error.value.details() or "")
    dropped = await hooks(channel, PARTNER).UpdateWebhookSubscription(
        W.UpdateWebhookSubscriptionRequest(
            subscription=W.WebhookSubscription(
                subscription_id=subscription_id, event_types=["lingxi.channel.message.status"]
            ),
            update_mask=mask,
        )
    )
    assert list(dropped.subscription.event_types) == ["lingxi.channel.message.status"]
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await hooks(channel, PARTNER).UpdateWebhookSubscription(
            W.UpdateWebhookSubscriptionRequest(
                subscription=W.WebhookSubscription(
                    subscription_id=subscription_id, event_types=["lingxi.strategy.task.created"]
                ),
                update_mask=mask,
            )
        )
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED  # dropped grants do not come back


def test_only_listed_fields_leave_and_the_consumers_read_every_forwarded_subject() -> None:
    task = SE.TaskCreated(
        task_id="tsk_1",
        customer=customer_pb2.CustomerRef(customer_id="C1", branch_id="B01", advisor_id="A01"),
        title="张三 两融维持担保比例 141%",
        assignee_kind="ASSIGNEE_KIND_CALL_CENTER",
        assignee_id="cc-vendor",
        priority="TASK_PRIORITY_HIGH",
        origin=customer_pb2.Origin(strategy_id="stg_margin", source="system:margin-monitor"),
    )
    assert project(task) == {
        "task_id": "tsk_1",
        "customer_id": "C1",
        "assignee_kind": "ASSIGNEE_KIND_CALL_CENTER",
        "assignee_id": "cc-vendor",
        "priority": "TASK_PRIORITY_HIGH",
        "origin": {"strategy_id": "stg_margin"},
    }
    declarations = load_declarations()
    consumed = {
        subject for durable in CONSUMERS for subject in declarations.consumer(durable).filter_subjects
    }
    assert consumed == set(FORWARDED)
    assert all(declarations.consumer(durable).stream == stream for durable, stream in CONSUMERS.items())
