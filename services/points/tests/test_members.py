"""Members open from the tag service's customer events, idempotently, and are read within scope."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
import sqlalchemy as sa

from lingxi.events.v1 import tag_events_pb2
from lingxi.points.v1 import points_service_pb2, points_service_pb2_grpc
from lingxi_common.bus import message_headers
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_points.main import DEFINITION
from lingxi_points.models import members

pytestmark = pytest.mark.integration


def changed(customer_id: str, branch: str, advisor: str, version: int = 1) -> tag_events_pb2.CustomerChanged:
    event = tag_events_pb2.CustomerChanged(
        customer_id=customer_id,
        branch_id=branch,
        advisor_id=advisor,
        kind=tag_events_pb2.CHANGE_KIND_CREATED,
        version=version,
    )
    event.meta.event_id = str(uuid.uuid4())
    return event


async def member_rows(runner: ServiceRunner) -> list[sa.Row]:
    async with runner.context.engine.connect() as connection:
        return list((await connection.execute(sa.select(members).order_by(members.c.customer_id))).all())


async def wait_rows(runner: ServiceRunner, predicate, timeout: float = 15.0) -> list[sa.Row]:
    deadline = asyncio.get_running_loop().time() + timeout
    rows: list[sa.Row] = []
    while asyncio.get_running_loop().time() < deadline:
        rows = await member_rows(runner)
        if predicate(rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"members never matched: {rows}")


async def test_member_opened_once_per_event_and_follows_changes(database_url: str, restartable_nats) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        bus = runner.context.bus
        first = changed("C1", "B01", "A01")
        await bus.publish(first, msg_id=first.meta.event_id)
        # The same event again under another transport id, as after a redelivery: applied once.
        headers = {**message_headers(first, first.meta.event_id), "Nats-Msg-Id": "redelivered"}
        await bus.js.publish("lingxi.tag.customer.changed", first.SerializeToString(), headers=headers)
        moved = changed("C1", "B02", "A09", version=3)
        await bus.publish(moved, msg_id=moved.meta.event_id)
        rows = await wait_rows(runner, lambda rows: rows and rows[0].branch_id == "B02")
        # An older version arriving late must not undo the newer state.
        stale = changed("C1", "B05", "A05", version=2)
        await bus.publish(stale, msg_id=stale.meta.event_id)
        await wait_rows(runner, lambda rows: True)
        await asyncio.sleep(0.5)
        rows = await member_rows(runner)
        assert [(r.customer_id, r.branch_id, r.advisor_id, r.tier_code) for r in rows] == [
            ("C1", "B02", "A09", "registered")
        ]
        async with runner.context.engine.connect() as connection:
            claimed = await connection.scalar(sa.text("SELECT count(*) FROM points.processed_messages"))
        assert claimed == 3


async def test_get_member_respects_scope(database_url: str, restartable_nats) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        event = changed("C7", "B01", "A01")
        await runner.context.bus.publish(event, msg_id=event.meta.event_id)
        await wait_rows(runner, lambda rows: len(rows) == 1)
        request = points_service_pb2.GetMemberRequest(customer_id="C7")
        own = Caller(subject="app-user", role=Role.CUSTOMER, customer_id="C7")
        member = (
            await points_service_pb2_grpc.PointsServiceStub(channel_to(runner, own)).GetMember(request)
        ).member
        assert member.customer_id == "C7" and member.tier_code == "registered"
        other = Caller(subject="someone", role=Role.CUSTOMER, customer_id="C8")
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await points_service_pb2_grpc.PointsServiceStub(channel_to(runner, other)).GetMember(request)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
        with pytest.raises(grpc.aio.AioRpcError) as missing:
            await points_service_pb2_grpc.PointsServiceStub(channel_to(runner, own)).GetMember(
                points_service_pb2.GetMemberRequest(customer_id="C404")
            )
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND
