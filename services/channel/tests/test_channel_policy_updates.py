"""Operators change the contact policy at runtime: validated field by field, versioned with who and
why, guarded against concurrent edits, and picked up by another replica without a restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

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
)
from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble

from lingxi.channel.v1 import (
    channel_pb2,
    channel_service_pb2,
    contact_policy_service_pb2,
    contact_policy_service_pb2_grpc,
)
from lingxi.common.v1 import enums_pb2
from lingxi_common.errors import field_violations
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to

pytestmark = pytest.mark.integration
P = channel_pb2
C = enums_pb2
CP = contact_policy_service_pb2
ADVISOR = Caller(subject="u-adv", role=Role.ADVISOR, advisor_id="A01")


def policy_api(
    runner: ServiceRunner, caller: Caller = HQ
) -> contact_policy_service_pb2_grpc.ContactPolicyServiceStub:
    return contact_policy_service_pb2_grpc.ContactPolicyServiceStub(channel_to(runner, caller))


async def test_policy_changes_are_validated_versioned_and_reach_every_replica(
    database_url: str, restartable_nats, tag: TagDouble, simulators: SimulatorHub
) -> None:
    settings = channel_settings(tag, simulators, policy_refresh_seconds=0.2)
    add_customer(tag, "C1")
    async with (
        channel_service(database_url, restartable_nats.url, **settings) as first,
        channel_service(database_url, restartable_nats.url, **settings) as second,
    ):
        await approved_template(first, "fund_offer_sms")
        current = (await policy_api(first).GetContactPolicy(CP.GetContactPolicyRequest())).policy
        assert current.version == 1 and current.updated_by.subject == "config"
        sms_marketing = next(
            c
            for c in current.caps
            if c.channel == C.CHANNEL_SMS and c.message_class == C.MESSAGE_CLASS_MARKETING
        )
        assert sms_marketing.per_day == 1

        # The default allows one marketing SMS a day: the second is refused on either replica.
        first_send = (
            await sender(first).Send(channel_service_pb2.SendRequest(message=message("p-1")))
        ).result
        assert first_send.disposition == P.SEND_DISPOSITION_ACCEPTED
        refused = (await sender(second).Send(channel_service_pb2.SendRequest(message=message("p-2")))).result
        assert refused.reason_code == "daily_cap_reached"

        with pytest.raises(grpc.aio.AioRpcError) as error:
            await policy_api(first, ADVISOR).UpdateContactPolicy(
                CP.UpdateContactPolicyRequest(policy=current, expected_version=1)
            )
        assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED

        broken = CP.ContactPolicy()
        broken.CopyFrom(current)
        broken.timezone = "Mars/Olympus_Mons"
        broken.quiet_hours.add(channel=C.CHANNEL_SMS, start="25:00", end="08:00")
        broken.caps.add(channel=C.CHANNEL_WECOM, per_day=1)
        broken.caps.add(channel=C.CHANNEL_CALL, message_class=C.MESSAGE_CLASS_SERVICE, per_day=-1)
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await policy_api(first).UpdateContactPolicy(
                CP.UpdateContactPolicyRequest(policy=broken, expected_version=1)
            )
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        fields = [name for name, _reason in field_violations(error.value)]
        added = len(current.caps)
        assert fields == [
            "policy.timezone",
            "policy.quiet_hours[0].start",
            f"policy.caps[{added}].message_class",
            f"policy.caps[{added + 1}].per_day",
        ]

        raised = CP.ContactPolicy()
        raised.CopyFrom(current)
        for cap in raised.caps:
            if cap.channel == C.CHANNEL_SMS and cap.message_class == C.MESSAGE_CLASS_MARKETING:
                cap.per_day = 2
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await policy_api(first).UpdateContactPolicy(
                CP.UpdateContactPolicyRequest(policy=raised, expected_version=7)
            )
        assert error.value.code() == grpc.StatusCode.ABORTED
        updated = (
            await policy_api(first).UpdateContactPolicy(
                CP.UpdateContactPolicyRequest(
                    policy=raised, expected_version=1, comment="two fund offers a day for the ETF week"
                )
            )
        ).policy
        assert updated.version == 2 and updated.updated_by.subject == HQ.subject

        # The other replica applies version 2 within its refresh interval, without a restart.
        for attempt in range(50):
            again = (
                await sender(second).Send(channel_service_pb2.SendRequest(message=message(f"p-3-{attempt}")))
            ).result
            if again.disposition == P.SEND_DISPOSITION_ACCEPTED:
                break
            assert again.reason_code == "daily_cap_reached"
            await asyncio.sleep(0.1)
        assert again.disposition == P.SEND_DISPOSITION_ACCEPTED
        seen_by_second = (await policy_api(second).GetContactPolicy(CP.GetContactPolicyRequest())).policy
        assert seen_by_second.version == 2

        history = (
            await policy_api(second, Caller("u-comp", Role.COMPLIANCE)).ListContactPolicyVersions(
                CP.ListContactPolicyVersionsRequest()
            )
        ).policies
        assert [(p.version, p.updated_by.subject) for p in history] == [(2, HQ.subject), (1, "config")]
        assert history[0].comment == "two fund offers a day for the ETF week"
        assert history[0].updated_by.role == "hq_operator"

        # Quiet hours set at runtime hold (not drop) the next SMS until the window ends.
        local = datetime.now(ZoneInfo("Asia/Shanghai"))
        quiet = CP.ContactPolicy()
        quiet.CopyFrom(updated)
        for cap in quiet.caps:
            if cap.channel == C.CHANNEL_SMS and cap.message_class == C.MESSAGE_CLASS_MARKETING:
                cap.per_day, cap.per_week = 5, 10
        quiet.quiet_hours.add(
            channel=C.CHANNEL_SMS,
            start=(local - timedelta(hours=1)).strftime("%H:%M"),
            end=(local + timedelta(hours=1)).strftime("%H:%M"),
        )
        await policy_api(second, Caller("u-comp", Role.COMPLIANCE)).UpdateContactPolicy(
            CP.UpdateContactPolicyRequest(policy=quiet, expected_version=2, comment="evening quiet window")
        )
        held = (await sender(second).Send(channel_service_pb2.SendRequest(message=message("p-4")))).result
        assert held.disposition == P.SEND_DISPOSITION_ACCEPTED and held.status == P.MESSAGE_STATUS_HELD
        assert held.decisions[-1].outcome == P.POLICY_OUTCOME_HOLD
        wait = held.scheduled_for.ToDatetime(tzinfo=UTC) - datetime.now(UTC)
        assert timedelta(minutes=55) < wait <= timedelta(minutes=61)
