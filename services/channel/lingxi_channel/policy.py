"""The contact policy: may this message reach this customer on this channel now, and if not, why?

Pure functions over what the send path loaded (consents, preferences, contact counts, the
customer's addresses), so the rules are testable without a database and every decision carries a
machine-readable reason for the ledger. Order matters: consent first (PIPL — a withdrawn consent
is never bypassed, not even by a mandatory notice, which falls back to another channel instead),
then address, do-not-disturb, personalisation, caps and finally quiet hours, which only HOLD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from google.protobuf.timestamp_pb2 import Timestamp

from lingxi.channel.v1 import channel_pb2
from lingxi.common.v1 import customer_pb2, enums_pb2

C = enums_pb2
P = channel_pb2
MARKETING = C.MESSAGE_CLASS_MARKETING
SERVICE = C.MESSAGE_CLASS_SERVICE
MANDATORY = C.MESSAGE_CLASS_MANDATORY_NOTICE

# Channels a customer registered on themself: a service message needs no recorded consent there.
SELF_REGISTERED = frozenset(
    {C.CHANNEL_APP_PUSH, C.CHANNEL_INBOX, C.CHANNEL_WECHAT_OA, C.CHANNEL_WECHAT_MINI, C.CHANNEL_WECOM}
)
# Personalised marketing shown inside the app (push, inbox) honours the 个性化推送 opt-out.
PERSONALIZED_CHANNELS = frozenset({C.CHANNEL_APP_PUSH, C.CHANNEL_INBOX})


@dataclass(frozen=True, slots=True)
class Cap:
    per_day: int = 0
    per_week: int = 0


@dataclass(frozen=True, slots=True)
class ContactPolicy:
    """Quiet hours and caps; the defaults are the brokerage's compliance baseline."""

    timezone: str = "Asia/Shanghai"
    quiet_hours: dict[int, tuple[time, time]] = field(
        default_factory=lambda: {
            C.CHANNEL_SMS: (time(22, 0), time(8, 0)),
            C.CHANNEL_CALL: (time(22, 0), time(8, 0)),
        }
    )
    # (channel, class) → cap; channel 0 = any channel of that class.
    caps: dict[tuple[int, int], Cap] = field(
        default_factory=lambda: {
            (C.CHANNEL_SMS, MARKETING): Cap(1, 3),
            (C.CHANNEL_CALL, MARKETING): Cap(1, 2),
            (0, MARKETING): Cap(2, 7),
            (0, SERVICE): Cap(20, 60),
        }
    )
    global_marketing_per_day: int = 3
    global_marketing_per_week: int = 10
    version: int = 1
    # Who made this version and why (the stored versions are the audit trail).
    updated_at: datetime | None = None
    updated_by: str = ""
    updated_by_role: str = ""
    comment: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def cap_for(self, channel: int, message_class: int) -> Cap:
        return self.caps.get((channel, message_class)) or self.caps.get((0, message_class)) or Cap()

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()


@dataclass(slots=True)
class CustomerContext:
    """Everything the rules need about one customer, loaded once per batch."""

    customer_id: str
    addresses: dict[int, str]
    # Channel → ConsentStatus (the channel service's record, or the tag service's copy).
    consents: dict[int, int] = field(default_factory=dict)
    personalization_opt_out: bool = False
    do_not_disturb: bool = False
    do_not_disturb_until: datetime | None = None
    # (channel, class, local_day) → contacts already counted.
    counts: dict[tuple[int, int, date], int] = field(default_factory=dict)

    def count(
        self, policy: ContactPolicy, at: datetime, *, channel: int | None, message_class: int, week: bool
    ) -> int:
        today = policy.local_day(at)
        first = today - timedelta(days=today.weekday()) if week else today
        return sum(
            n
            for (ch, cls, day), n in self.counts.items()
            if cls == message_class and (channel is None or ch == channel) and first <= day <= today
        )


@dataclass(slots=True)
class Verdict:
    channel: int
    outcome: int
    decisions: list[channel_pb2.PolicyDecision]
    reason_code: str = ""
    hold_until: datetime | None = None


@lru_cache(maxsize=8)
def _stamp(at: datetime) -> Timestamp:
    """A batch decides everything at one instant: its Timestamp is built once (copied into each)."""
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def _decision(
    check: int, outcome: int, channel: int, reason: str, at: datetime
) -> channel_pb2.PolicyDecision:
    return channel_pb2.PolicyDecision(
        check=check, outcome=outcome, channel=channel, reason=reason, decided_at=_stamp(at)
    )


def quiet_until(policy: ContactPolicy, channel: int, at: datetime) -> datetime | None:
    """End of the quiet window `at` falls in (UTC-aware), or None outside quiet hours."""
    window = policy.quiet_hours.get(channel)
    if window is None:
        return None
    start, end = window
    local = at.astimezone(policy.zone)
    now = local.time()
    inside = (start <= now or now < end) if start > end else (start <= now < end)
    if not inside:
        return None
    end_day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=policy.zone)


def evaluate_channel(
    policy: ContactPolicy,
    customer: CustomerContext,
    channel: int,
    message_class: int,
    at: datetime,
) -> Verdict:
    """Run every rule for one channel; stops at the first DENY (later rules would not matter)."""
    decisions: list[channel_pb2.PolicyDecision] = []

    def deny(check: int, reason: str) -> Verdict:
        decisions.append(_decision(check, P.POLICY_OUTCOME_DENY, channel, reason, at))
        return Verdict(channel, P.POLICY_OUTCOME_DENY, decisions, reason.split(":")[0])

    def passed(check: int, reason: str, outcome: int = P.POLICY_OUTCOME_PASS) -> None:
        decisions.append(_decision(check, outcome, channel, reason, at))

    mandatory = message_class == MANDATORY
    consent = customer.consents.get(channel, customer_pb2.CONSENT_STATUS_UNSPECIFIED)
    if consent == customer_pb2.CONSENT_STATUS_WITHDRAWN:
        return deny(P.POLICY_CHECK_CONSENT, "consent_withdrawn")
    if consent == customer_pb2.CONSENT_STATUS_GRANTED:
        passed(P.POLICY_CHECK_CONSENT, "consent_granted")
    elif mandatory:
        passed(P.POLICY_CHECK_CONSENT, "mandatory_notice_no_opt_out")
    elif message_class == SERVICE and channel in SELF_REGISTERED:
        passed(P.POLICY_CHECK_CONSENT, "service_on_self_registered_channel")
    else:
        return deny(P.POLICY_CHECK_CONSENT, "no_consent")

    if not customer.addresses.get(channel):
        return deny(P.POLICY_CHECK_ADDRESS, "no_address")
    passed(P.POLICY_CHECK_ADDRESS, "address_known")

    dnd = customer.do_not_disturb and (
        customer.do_not_disturb_until is None or customer.do_not_disturb_until > at
    )
    if dnd:
        if mandatory:
            passed(P.POLICY_CHECK_DO_NOT_DISTURB, "mandatory_notice", P.POLICY_OUTCOME_BYPASS)
        else:
            return deny(P.POLICY_CHECK_DO_NOT_DISTURB, "do_not_disturb")

    if message_class == MARKETING and channel in PERSONALIZED_CHANNELS:
        if customer.personalization_opt_out:
            return deny(P.POLICY_CHECK_PERSONALIZATION, "personalization_opt_out")
        passed(P.POLICY_CHECK_PERSONALIZATION, "personalization_allowed")

    if mandatory:
        passed(P.POLICY_CHECK_FREQUENCY_CAP, "mandatory_notice", P.POLICY_OUTCOME_BYPASS)
    else:
        cap = policy.cap_for(channel, message_class)
        today = customer.count(policy, at, channel=channel, message_class=message_class, week=False)
        week = customer.count(policy, at, channel=channel, message_class=message_class, week=True)
        if cap.per_day and today >= cap.per_day:
            return deny(P.POLICY_CHECK_FREQUENCY_CAP, f"daily_cap_reached:{today}/{cap.per_day}")
        if cap.per_week and week >= cap.per_week:
            return deny(P.POLICY_CHECK_FREQUENCY_CAP, f"weekly_cap_reached:{week}/{cap.per_week}")
        passed(P.POLICY_CHECK_FREQUENCY_CAP, f"within_cap:{today}/{cap.per_day or '-'}")
        if message_class == MARKETING:
            g_day = customer.count(policy, at, channel=None, message_class=MARKETING, week=False)
            g_week = customer.count(policy, at, channel=None, message_class=MARKETING, week=True)
            if policy.global_marketing_per_day and g_day >= policy.global_marketing_per_day:
                return deny(
                    P.POLICY_CHECK_GLOBAL_MARKETING_CAP,
                    f"global_marketing_daily_cap_reached:{g_day}/{policy.global_marketing_per_day}",
                )
            if policy.global_marketing_per_week and g_week >= policy.global_marketing_per_week:
                return deny(
                    P.POLICY_CHECK_GLOBAL_MARKETING_CAP,
                    f"global_marketing_weekly_cap_reached:{g_week}/{policy.global_marketing_per_week}",
                )
            passed(P.POLICY_CHECK_GLOBAL_MARKETING_CAP, f"within_global_cap:{g_day}")

    until = quiet_until(policy, channel, at)
    if until is not None:
        if mandatory:
            passed(P.POLICY_CHECK_QUIET_HOURS, "mandatory_notice", P.POLICY_OUTCOME_BYPASS)
        else:
            reason = f"quiet_hours_until:{until.strftime('%H:%M')}"
            decisions.append(
                _decision(P.POLICY_CHECK_QUIET_HOURS, P.POLICY_OUTCOME_HOLD, channel, reason, at)
            )
            return Verdict(channel, P.POLICY_OUTCOME_HOLD, decisions, "quiet_hours", until)
    return Verdict(channel, P.POLICY_OUTCOME_PASS, decisions)


def choose_channel(
    policy: ContactPolicy,
    customer: CustomerContext,
    channels: list[int],
    message_class: int,
    at: datetime,
) -> tuple[Verdict, list[channel_pb2.PolicyDecision]]:
    """The first channel (requested, then fallbacks) the policy allows, with every decision made.

    A denied channel followed by another is recorded as FALLBACK so the ledger shows why the
    message moved; the final verdict is DENY only when no channel is left.
    """
    history: list[channel_pb2.PolicyDecision] = []
    verdict: Verdict | None = None
    for index, channel in enumerate(channels):
        verdict = evaluate_channel(policy, customer, channel, message_class, at)
        if verdict.outcome != P.POLICY_OUTCOME_DENY:
            history.extend(verdict.decisions)
            return verdict, history
        last = verdict.decisions[-1]
        if index + 1 < len(channels):
            history.extend(verdict.decisions[:-1])
            history.append(
                _decision(last.check, P.POLICY_OUTCOME_FALLBACK, channel, f"{last.reason}->next_channel", at)
            )
        else:
            history.extend(verdict.decisions)
    assert verdict is not None
    return verdict, history
