"""Other services' events a partner may be granted, and the exact shape each is delivered in.

The channel service forwards a few events of the points, strategy and campaign services to partner
webhooks (a loyalty or reward-fulfilment partner, a call-center vendor, a co-marketing fund house).
What leaves the platform is decided here, field by field: each forwarded type lists the fields a
partner receives (an allowlist, under the names partners see), and nothing else of the event is
sent — a field added to the proto later is not forwarded until someone adds it here. Left out on
purpose: free text (reasons, task titles: they may quote a customer), business keys chosen by
callers, money amounts, staff ids, branch and advisor of the customer, and every field the
contracts mark as personal data (`(lingxi.common.v1.pii)`; `check_catalogue` refuses those).
Customers are named by their Lingxi customer id only — never a phone number, openid or name.

Tag changes are not offered: they are tens of thousands per second and are profiling data
(asset tier, risk level, investment style) that a partner has no business receiving.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from lingxi.events.v1 import campaign_events_pb2 as CE
from lingxi.events.v1 import points_events_pb2 as PE
from lingxi.events.v1 import strategy_events_pb2 as SE
from lingxi_common.contracts import event_subject, is_pii

ORIGIN = {
    "origin.campaign_id": "origin.campaign_id",
    "origin.strategy_id": "origin.strategy_id",
    "origin.task_id": "origin.task_id",
}


@dataclass(frozen=True, slots=True)
class Forwarded:
    """One forwarded event type: its class and `data` field → source field path in the event."""

    kind: type[Message]
    fields: Mapping[str, str]

    @property
    def subject(self) -> str:
        return event_subject(self.kind)


CATALOGUE: tuple[Forwarded, ...] = (
    Forwarded(
        PE.PointsEarned,
        {
            "customer_id": "customer_id",
            "posting_id": "posting_id",
            "rule_code": "rule_code",
            "points": "points",
            "pending": "pending",
            "available_after": "available_after",
            **ORIGIN,
        },
    ),
    Forwarded(
        PE.PointsSpent,
        {
            "customer_id": "customer_id",
            "posting_id": "posting_id",
            "points": "points",
            "available_after": "available_after",
            "redemption_id": "redemption_id",
        },
    ),
    Forwarded(
        PE.PointsExpired,
        {
            "customer_id": "customer_id",
            "posting_id": "posting_id",
            "points": "points",
            "expired_on": "expired_on",
            "available_after": "available_after",
        },
    ),
    Forwarded(
        PE.PointsExpiring,
        {
            "customer_id": "customer_id",
            "points": "points",
            "expires_on": "expires_on",
            "days_left": "days_left",
        },
    ),
    Forwarded(
        PE.PointsReversed,
        {
            "customer_id": "customer_id",
            "reversal_posting_id": "reversal_posting_id",
            "reversed_posting_id": "reversed_posting_id",
            "points": "points",
        },
    ),
    Forwarded(
        PE.TierChanged,
        {
            "customer_id": "customer_id",
            "from_tier_code": "from_tier_code",
            "to_tier_code": "to_tier_code",
            "upgrade": "upgrade",
            "effective_at": "effective_at",
        },
    ),
    Forwarded(
        PE.RedemptionChanged,
        {
            "redemption_id": "redemption_id",
            "customer_id": "customer_id",
            "reward_id": "reward_id",
            "previous_status": "previous_status",
            "status": "status",
            "points": "points",
            "quantity": "quantity",
        },
    ),
    Forwarded(PE.MemberEnrolled, {"customer_id": "customer_id", "tier_code": "tier_code"}),
    Forwarded(
        SE.TaskCreated,
        {
            "task_id": "task_id",
            "customer_id": "customer.customer_id",
            "assignee_kind": "assignee_kind",
            "assignee_id": "assignee_id",
            "priority": "priority",
            "due_at": "due_at",
            **ORIGIN,
        },
    ),
    Forwarded(
        SE.TaskStatusChanged,
        {
            "task_id": "task_id",
            "customer_id": "customer.customer_id",
            "previous_status": "previous_status",
            "status": "status",
            "assignee_id": "assignee_id",
            **ORIGIN,
        },
    ),
    Forwarded(
        SE.TaskCompleted,
        {
            "task_id": "task_id",
            "customer_id": "customer.customer_id",
            "outcome": "outcome",
            "product_id": "product_id",
            "completed_at": "completed_at",
            **ORIGIN,
        },
    ),
    Forwarded(
        CE.JourneyStepEntered,
        {
            "campaign_id": "campaign_id",
            "step_id": "step_id",
            "step_kind": "step_kind",
            "customer_id": "customer.customer_id",
        },
    ),
    Forwarded(
        CE.ConversionAttributed,
        {
            "conversion_id": "conversion_id",
            "campaign_id": "campaign_id",
            "customer_id": "customer.customer_id",
            "group": "group",
            "goal": "goal",
            "product_id": "product_id",
            "attributed_message_id": "attributed_message_id",
            "attributed_channel": "attributed_channel",
            "converted_at": "converted_at",
        },
    ),
)
FORWARDED: dict[str, Forwarded] = {item.subject: item for item in CATALOGUE}


def _field(descriptor: Any, path: str) -> FieldDescriptor:
    """The field a dotted path ends at; KeyError when the event has no such field."""
    parts = path.split(".")
    for part in parts[:-1]:
        descriptor = descriptor.fields_by_name[part].message_type
    field: FieldDescriptor = descriptor.fields_by_name[parts[-1]]
    return field


def check_catalogue() -> None:
    """Every listed path exists and none of them (nor a message on its way) is personal data."""
    for item in CATALOGUE:
        for name, path in item.fields.items():
            descriptor = item.kind.DESCRIPTOR
            parts = path.split(".")
            for depth in range(len(parts)):
                field = _field(descriptor, ".".join(parts[: depth + 1]))
                if is_pii(field):
                    raise ValueError(f"{item.subject}: data.{name} ({path}) is personal data")


check_catalogue()


def _lookup(document: Mapping[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def project(event: Message) -> dict[str, Any]:
    """The `data` a partner receives for a forwarded event: only its listed fields, in proto3 JSON
    (int64 as strings, enums and timestamps as text; fields at their default are left out)."""
    item = FORWARDED[event_subject(event)]
    document = MessageToDict(event, preserving_proto_field_name=True)
    data: dict[str, Any] = {}
    for name, path in item.fields.items():
        value = _lookup(document, path)
        if value is None:
            continue
        target = data
        *parents, leaf = name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return data
