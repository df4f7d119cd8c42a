"""The contact policy's rules as pure functions, at chosen moments (no clock dependence)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from lingxi.channel.v1 import channel_pb2
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi_channel.policy import (
    ContactPolicy,
    CustomerContext,
    choose_channel,
    evaluate_channel,
    quiet_until,
)

P = channel_pb2
C = enums_pb2
SH = ZoneInfo("Asia/Shanghai")
POLICY = ContactPolicy()
GRANTED = customer_pb2.CONSENT_STATUS_GRANTED
WITHDRAWN = customer_pb2.CONSENT_STATUS_WITHDRAWN


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=SH).astimezone(UTC)


def customer(**overrides: object) -> CustomerContext:
    ctx = CustomerContext(
        customer_id="C1",
        addresses={C.CHANNEL_SMS: "13800000000", C.CHANNEL_APP_PUSH: "C1", C.CHANNEL_INBOX: "C1"},
        consents={C.CHANNEL_SMS: GRANTED, C.CHANNEL_APP_PUSH: GRANTED},
    )
    for key, value in overrides.items():
        setattr(ctx, key, value)
    return ctx


def test_quiet_hours_hold_sms_until_eight_and_mandatory_notices_bypass() -> None:
    late = at(23, 30)
    verdict = evaluate_channel(POLICY, customer(), C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, late)
    assert verdict.outcome == P.POLICY_OUTCOME_HOLD
    assert verdict.hold_until == datetime(2026, 11, 24, 8, 0, tzinfo=SH)
    assert verdict.decisions[-1].reason == "quiet_hours_until:08:00"
    early = evaluate_channel(POLICY, customer(), C.CHANNEL_SMS, C.MESSAGE_CLASS_SERVICE, at(7, 59))
    assert early.outcome == P.POLICY_OUTCOME_HOLD and early.hold_until == datetime(
        2026, 11, 23, 8, 0, tzinfo=SH
    )
    mandatory = evaluate_channel(POLICY, customer(), C.CHANNEL_SMS, C.MESSAGE_CLASS_MANDATORY_NOTICE, late)
    assert mandatory.outcome == P.POLICY_OUTCOME_PASS
    assert any(
        d.outcome == P.POLICY_OUTCOME_BYPASS and d.check == P.POLICY_CHECK_QUIET_HOURS
        for d in mandatory.decisions
    )
    assert quiet_until(POLICY, C.CHANNEL_SMS, at(8, 0)) is None
    assert quiet_until(POLICY, C.CHANNEL_APP_PUSH, late) is None


def test_withdrawn_consent_is_never_bypassed_and_mandatory_falls_back() -> None:
    ctx = customer(consents={C.CHANNEL_SMS: WITHDRAWN, C.CHANNEL_APP_PUSH: GRANTED})
    verdict, decisions = choose_channel(
        POLICY, ctx, [C.CHANNEL_SMS, C.CHANNEL_APP_PUSH], C.MESSAGE_CLASS_MANDATORY_NOTICE, at(12)
    )
    assert verdict.outcome == P.POLICY_OUTCOME_PASS and verdict.channel == C.CHANNEL_APP_PUSH
    assert decisions[0].outcome == P.POLICY_OUTCOME_FALLBACK and decisions[0].reason.startswith(
        "consent_withdrawn"
    )
    only_sms, _ = choose_channel(POLICY, ctx, [C.CHANNEL_SMS], C.MESSAGE_CLASS_MANDATORY_NOTICE, at(12))
    assert only_sms.outcome == P.POLICY_OUTCOME_DENY and only_sms.reason_code == "consent_withdrawn"


def test_marketing_needs_recorded_consent_service_needs_it_only_off_app() -> None:
    ctx = customer(consents={})
    assert (
        evaluate_channel(POLICY, ctx, C.CHANNEL_APP_PUSH, C.MESSAGE_CLASS_MARKETING, at(12)).reason_code
        == "no_consent"
    )
    assert (
        evaluate_channel(POLICY, ctx, C.CHANNEL_APP_PUSH, C.MESSAGE_CLASS_SERVICE, at(12)).outcome
        == P.POLICY_OUTCOME_PASS
    )
    assert (
        evaluate_channel(POLICY, ctx, C.CHANNEL_SMS, C.MESSAGE_CLASS_SERVICE, at(12)).reason_code
        == "no_consent"
    )


def test_do_not_disturb_personalization_and_address() -> None:
    dnd = customer(do_not_disturb=True, do_not_disturb_until=at(12) + timedelta(days=1))
    assert (
        evaluate_channel(POLICY, dnd, C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, at(12)).reason_code
        == "do_not_disturb"
    )
    assert (
        evaluate_channel(POLICY, dnd, C.CHANNEL_SMS, C.MESSAGE_CLASS_MANDATORY_NOTICE, at(12)).outcome
        == P.POLICY_OUTCOME_PASS
    )
    expired = customer(do_not_disturb=True, do_not_disturb_until=at(11))
    assert (
        evaluate_channel(POLICY, expired, C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, at(12)).outcome
        == P.POLICY_OUTCOME_PASS
    )
    opted = customer(personalization_opt_out=True)
    verdict = evaluate_channel(POLICY, opted, C.CHANNEL_APP_PUSH, C.MESSAGE_CLASS_MARKETING, at(12))
    assert verdict.reason_code == "personalization_opt_out"
    assert (
        evaluate_channel(POLICY, opted, C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, at(12)).outcome
        == P.POLICY_OUTCOME_PASS
    )
    no_phone = customer(addresses={})
    assert (
        evaluate_channel(POLICY, no_phone, C.CHANNEL_SMS, C.MESSAGE_CLASS_SERVICE, at(12)).reason_code
        == "no_address"
    )


def test_frequency_caps_per_channel_week_and_global_marketing() -> None:
    today = POLICY.local_day(at(12))
    sms_once = customer(counts={(C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, today): 1})
    verdict = evaluate_channel(POLICY, sms_once, C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, at(12))
    assert (
        verdict.outcome == P.POLICY_OUTCOME_DENY and verdict.decisions[-1].reason == "daily_cap_reached:1/1"
    )
    monday = today - timedelta(days=today.weekday())
    weekly = customer(counts={(C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, monday): 3})
    if monday != today:
        assert (
            evaluate_channel(POLICY, weekly, C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, at(12))
            .decisions[-1]
            .reason.startswith("weekly_cap_reached")
        )
    busy = customer(
        counts={
            (C.CHANNEL_APP_PUSH, C.MESSAGE_CLASS_MARKETING, today): 1,
            (C.CHANNEL_INBOX, C.MESSAGE_CLASS_MARKETING, today): 1,
            (C.CHANNEL_WECHAT_OA, C.MESSAGE_CLASS_MARKETING, today): 1,
        }
    )
    capped = evaluate_channel(POLICY, busy, C.CHANNEL_SMS, C.MESSAGE_CLASS_MARKETING, at(12))
    assert (
        capped.outcome == P.POLICY_OUTCOME_DENY and capped.reason_code == "global_marketing_daily_cap_reached"
    )
    mandatory = evaluate_channel(POLICY, sms_once, C.CHANNEL_SMS, C.MESSAGE_CLASS_MANDATORY_NOTICE, at(12))
    assert mandatory.outcome == P.POLICY_OUTCOME_PASS
    service = evaluate_channel(POLICY, sms_once, C.CHANNEL_SMS, C.MESSAGE_CLASS_SERVICE, at(12))
    assert service.outcome == P.POLICY_OUTCOME_PASS
