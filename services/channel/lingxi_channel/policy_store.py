"""The contact policy in force: stored, versioned, changed by operators, picked up by every replica.

Each change is a new row of `contact_policies` (the full policy, who made it, why), so the audit
trail is the table itself and nothing is ever overwritten. Version 1 of a new database is the
configured default (`LINGXI_POLICY_JSON` over the compliance baseline); after that only
UpdateContactPolicy changes it, with optimistic concurrency (`expected_version`, ABORTED when
someone else changed it first) and every invalid field reported by name. Replicas re-read the
newest version every `refresh` seconds (one indexed row), so a change reaches all of them within
that time without a restart; the replica that made the change uses it at once.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import grpc
import sqlalchemy as sa
from google.protobuf import any_pb2
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.channel.v1 import contact_policy_service_pb2 as cp_pb2
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi_channel.models import contact_policies
from lingxi_channel.policy import Cap, ContactPolicy
from lingxi_common.errors import Conflict, InvalidArgument, PermissionDenied
from lingxi_common.identity import Caller, Role

EDITORS = frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE})
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class InvalidFields(InvalidArgument):
    """INVALID_ARGUMENT naming every bad field at once (an operator fixes the form in one go)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(*problems[0])
        self.problems = problems
        self.message = "; ".join(f"{name}: {reason}" for name, reason in problems)
        self.args = (self.message,)

    def to_status(self) -> grpc.Status:
        detail = any_pb2.Any()
        detail.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=name, description=reason)
                    for name, reason in self.problems
                ]
            )
        )
        proto = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message=self.message, details=[detail])
        return rpc_status.to_status(proto)


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def to_proto(policy: ContactPolicy) -> cp_pb2.ContactPolicy:
    proto = cp_pb2.ContactPolicy(
        version=policy.version,
        timezone=policy.timezone,
        global_marketing_per_day=policy.global_marketing_per_day,
        global_marketing_per_week=policy.global_marketing_per_week,
        comment=policy.comment,
    )
    for channel, (start, end) in sorted(policy.quiet_hours.items()):
        proto.quiet_hours.append(
            cp_pb2.QuietHours(channel=channel, start=start.strftime("%H:%M"), end=end.strftime("%H:%M"))
        )
    for (channel, message_class), cap in sorted(policy.caps.items()):
        proto.caps.append(
            cp_pb2.FrequencyCap(
                channel=channel, message_class=message_class, per_day=cap.per_day, per_week=cap.per_week
            )
        )
    if policy.updated_at is not None:
        proto.updated_at.CopyFrom(_ts(policy.updated_at))
    if policy.updated_by:
        proto.updated_by.CopyFrom(customer_pb2.Actor(subject=policy.updated_by, role=policy.updated_by_role))
    return proto


def _enum_ok(enum: Any, value: int) -> bool:
    return value in enum.values()


def from_proto(proto: cp_pb2.ContactPolicy, field: str = "policy") -> ContactPolicy:
    """The rules of a ContactPolicy message, or InvalidFields naming every problem."""
    problems: list[tuple[str, str]] = []
    if not proto.timezone:
        problems.append((f"{field}.timezone", "required (an IANA zone such as Asia/Shanghai)"))
    else:
        try:
            ZoneInfo(proto.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append((f"{field}.timezone", f"{proto.timezone!r} is not an IANA time zone"))
    quiet: dict[int, tuple[clock, clock]] = {}
    for index, window in enumerate(proto.quiet_hours):
        name = f"{field}.quiet_hours[{index}]"
        if window.channel == enums_pb2.CHANNEL_UNSPECIFIED or not _enum_ok(enums_pb2.Channel, window.channel):
            problems.append((f"{name}.channel", "a channel is required"))
        elif window.channel in quiet:
            problems.append((f"{name}.channel", "this channel already has quiet hours"))
        bounds = []
        for part in ("start", "end"):
            text = getattr(window, part)
            if not _HHMM.match(text):
                problems.append((f"{name}.{part}", f"{text!r} is not HH:MM (00:00–23:59)"))
            else:
                bounds.append(clock.fromisoformat(text))
        if len(bounds) == 2:
            if bounds[0] == bounds[1]:
                problems.append((f"{name}.end", "must differ from start"))
            else:
                quiet[window.channel] = (bounds[0], bounds[1])
    caps: dict[tuple[int, int], Cap] = {}
    for index, cap in enumerate(proto.caps):
        name = f"{field}.caps[{index}]"
        if not _enum_ok(enums_pb2.Channel, cap.channel):
            problems.append((f"{name}.channel", "unknown channel (0 = every channel)"))
        if cap.message_class == enums_pb2.MESSAGE_CLASS_UNSPECIFIED or not _enum_ok(
            enums_pb2.MessageClass, cap.message_class
        ):
            problems.append((f"{name}.message_class", "a message class is required"))
        if cap.per_day < 0:
            problems.append((f"{name}.per_day", "must not be negative (0 = unlimited)"))
        if cap.per_week < 0:
            problems.append((f"{name}.per_week", "must not be negative (0 = unlimited)"))
        if cap.per_day > 0 and 0 < cap.per_week < cap.per_day:
            problems.append((f"{name}.per_week", "is smaller than per_day"))
        key = (cap.channel, cap.message_class)
        if key in caps:
            problems.append((name, "the same channel and class are capped twice"))
        caps[key] = Cap(cap.per_day, cap.per_week)
    for name in ("global_marketing_per_day", "global_marketing_per_week"):
        if getattr(proto, name) < 0:
            problems.append((f"{field}.{name}", "must not be negative (0 = unlimited)"))
    if problems:
        raise InvalidFields(problems)
    return ContactPolicy(
        timezone=proto.timezone,
        quiet_hours=quiet,
        caps=caps,
        global_marketing_per_day=proto.global_marketing_per_day,
        global_marketing_per_week=proto.global_marketing_per_week,
    )


def _stored_json(policy: ContactPolicy) -> dict[str, Any]:
    from google.protobuf.json_format import MessageToDict

    proto = to_proto(replace(policy, version=0, updated_at=None, updated_by="", comment=""))
    return MessageToDict(proto, preserving_proto_field_name=True, use_integers_for_enums=True)


def _from_row(row: sa.Row) -> ContactPolicy:
    from google.protobuf.json_format import ParseDict

    policy = from_proto(ParseDict(row.policy, cp_pb2.ContactPolicy()))
    return replace(
        policy,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        updated_by_role=row.updated_by_role,
        comment=row.comment,
    )


class PolicyStore:
    """The newest stored policy version, re-read at most every `refresh` seconds."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], seed: ContactPolicy, *, refresh: float = 2.0
    ) -> None:
        self._sessions = sessions
        self._seed = seed
        self._refresh = refresh
        self._current = seed
        self._loaded_at = 0.0

    @property
    def current(self) -> ContactPolicy:
        return self._current

    async def refresh(self, *, force: bool = False) -> ContactPolicy:
        if not force and time.monotonic() - self._loaded_at < self._refresh:
            return self._current
        async with self._sessions.begin() as session:
            row = await self._newest(session)
            if row is None:
                await session.execute(
                    pg_insert(contact_policies)
                    .values(
                        version=1,
                        policy=_stored_json(self._seed),
                        updated_by="config",
                        updated_by_role="",
                        comment="initial policy from configuration (LINGXI_POLICY_JSON)",
                    )
                    .on_conflict_do_nothing()
                )
                row = await self._newest(session)
        assert row is not None
        if row.version != self._current.version or self._current.updated_at is None:
            self._current = _from_row(row)
        self._loaded_at = time.monotonic()
        return self._current

    @staticmethod
    async def _newest(session: AsyncSession) -> sa.Row | None:
        return (
            await session.execute(
                sa.select(contact_policies).order_by(contact_policies.c.version.desc()).limit(1)
            )
        ).one_or_none()

    async def update(self, caller: Caller, request: cp_pb2.UpdateContactPolicyRequest) -> ContactPolicy:
        """Validates and stores a new version (the caller's transaction of its own)."""
        if caller.role not in EDITORS:
            raise PermissionDenied("the contact policy is changed by hq_operator or compliance")
        if request.expected_version <= 0:
            raise InvalidArgument("expected_version", "required: the version the change was based on")
        if len(request.comment) > 500:
            raise InvalidArgument("comment", "at most 500 characters")
        policy = from_proto(request.policy)
        await self.refresh(force=True)
        async with self._sessions.begin() as session:
            newest = await self._newest(session)
            current = newest.version if newest is not None else 0
            if current != request.expected_version:
                raise Conflict(
                    f"the policy is at version {current}, not {request.expected_version}; re-read it"
                )
            inserted = (
                await session.execute(
                    pg_insert(contact_policies)
                    .values(
                        version=current + 1,
                        policy=_stored_json(policy),
                        updated_by=caller.subject,
                        updated_by_role=caller.role.value,
                        comment=request.comment,
                        updated_at=datetime.now(UTC),
                    )
                    .on_conflict_do_nothing()
                    .returning(*contact_policies.c)
                )
            ).one_or_none()
            if inserted is None:  # another change won the same version a moment ago
                raise Conflict(f"the policy changed while saving; re-read version {current + 1}")
        self._current = _from_row(inserted)
        self._loaded_at = time.monotonic()
        return self._current

    async def versions(self, limit: int = 100) -> list[ContactPolicy]:
        await self.refresh()
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    sa.select(contact_policies).order_by(contact_policies.c.version.desc()).limit(limit)
                )
            ).all()
        return [_from_row(row) for row in rows]


def seed_from_json(text: str) -> ContactPolicy:
    """The compliance baseline with LINGXI_POLICY_JSON's overrides: version 1 of a new database.

    Keys: timezone, global_marketing_per_day/_week, caps [{channel, message_class, per_day,
    per_week}] (merged over the defaults), quiet_hours [{channel, start, end}] (replaces them).
    """
    policy = ContactPolicy()
    if not text:
        return policy
    data: dict[str, Any] = json.loads(text)
    caps = dict(policy.caps)
    for item in data.get("caps", []):
        channel = (
            enums_pb2.Channel.Value(item["channel"])
            if isinstance(item.get("channel"), str)
            else int(item.get("channel", 0))
        )
        cls = item["message_class"]
        message_class = enums_pb2.MessageClass.Value(cls) if isinstance(cls, str) else int(cls)
        caps[(channel, message_class)] = Cap(int(item.get("per_day", 0)), int(item.get("per_week", 0)))
    quiet = dict(policy.quiet_hours)
    if "quiet_hours" in data:  # replaces the default windows ([] = none)
        quiet = {}
        for item in data["quiet_hours"]:
            channel = item["channel"]
            key = enums_pb2.Channel.Value(channel) if isinstance(channel, str) else int(channel)
            quiet[key] = (clock.fromisoformat(item["start"]), clock.fromisoformat(item["end"]))
    return ContactPolicy(
        timezone=data.get("timezone", policy.timezone),
        quiet_hours=quiet,
        caps=caps,
        global_marketing_per_day=int(data.get("global_marketing_per_day", policy.global_marketing_per_day)),
        global_marketing_per_week=int(
            data.get("global_marketing_per_week", policy.global_marketing_per_week)
        ),
    )
