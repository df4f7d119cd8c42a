"""Consent, do-not-disturb and personalisation opt-out: the channel service is their system of record.

Every change is kept as evidence (consent_changes) and announced on lingxi.channel.consent.changed
in the same transaction. A customer may change their own preferences (app settings); operators
with hq_operator, compliance or call_center may record them on the customer's behalf; services
record opt-outs from SMS replies and WeChat unsubscribes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.channel.v1 import contact_policy_service_pb2 as cp_pb2
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi.events.v1 import channel_events_pb2
from lingxi_channel.models import consent_changes, consents, contact_counts, contact_preferences, outbox
from lingxi_channel.policy import ContactPolicy
from lingxi_common.errors import InvalidArgument, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.outbox import emit

WRITER_ROLES = frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE, Role.CALL_CENTER, Role.SERVICE})


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def check_access(caller: Caller, customer_id: str, *, write: bool) -> None:
    if not customer_id:
        raise InvalidArgument("customer_id", "required")
    if caller.role is Role.CUSTOMER:
        if caller.customer_id != customer_id:
            raise PermissionDenied("a customer may only see and change their own preferences")
        return
    if write and caller.role not in WRITER_ROLES:
        raise PermissionDenied(
            "preferences are changed by the customer, hq_operator, compliance or call_center"
        )
    if not write and caller.role not in WRITER_ROLES | {Role.BRANCH_MANAGER, Role.ADVISOR, Role.SRE}:
        raise PermissionDenied("not allowed to read contact preferences")


async def get_preferences(
    session: AsyncSession, policy: ContactPolicy, customer_id: str
) -> cp_pb2.ContactPreferences:
    prefs = cp_pb2.ContactPreferences(customer_id=customer_id)
    for row in (
        await session.execute(sa.select(consents).where(consents.c.customer_id == customer_id))
    ).all():
        prefs.consents.append(
            customer_pb2.ChannelConsent(
                channel=row.channel, status=row.status, updated_at=_ts(row.updated_at), source=row.source
            )
        )
    stored = (
        await session.execute(
            sa.select(contact_preferences).where(contact_preferences.c.customer_id == customer_id)
        )
    ).one_or_none()
    if stored is not None:
        prefs.personalization_opt_out = stored.personalization_opt_out
        prefs.do_not_disturb = stored.do_not_disturb
        if stored.do_not_disturb_until:
            prefs.do_not_disturb_until.CopyFrom(_ts(stored.do_not_disturb_until))
        prefs.updated_at.CopyFrom(_ts(stored.updated_at))
    today = policy.local_day(datetime.now(UTC))
    week_start = today.toordinal() - today.weekday()
    for count in (
        await session.execute(sa.select(contact_counts).where(contact_counts.c.customer_id == customer_id))
    ).all():
        name = enums_pb2.Channel.Name(count.channel)
        if count.local_day == today:
            prefs.sent_today[name] = prefs.sent_today.get(name, 0) + count.sent
        if count.local_day.toordinal() >= week_start:
            prefs.sent_this_week[name] = prefs.sent_this_week.get(name, 0) + count.sent
    return prefs


async def set_consent(session: AsyncSession, caller: Caller, request: cp_pb2.SetConsentRequest) -> bool:
    """Records the consent; returns whether it changed (a repeated opt-out is a no-op)."""
    check_access(caller, request.customer_id, write=True)
    if request.channel == enums_pb2.CHANNEL_UNSPECIFIED:
        raise InvalidArgument("channel", "required")
    if request.status == customer_pb2.CONSENT_STATUS_UNSPECIFIED:
        raise InvalidArgument("status", "GRANTED or WITHDRAWN")
    if not request.source:
        raise InvalidArgument("source", "say where the decision came from (e.g. app_settings, sms_reply)")
    at = request.occurred_at.ToDatetime(tzinfo=UTC) if request.HasField("occurred_at") else datetime.now(UTC)
    current = (
        await session.execute(
            sa.select(consents)
            .where(consents.c.customer_id == request.customer_id, consents.c.channel == request.channel)
            .with_for_update()
        )
    ).one_or_none()
    previous = current.status if current is not None else customer_pb2.CONSENT_STATUS_UNSPECIFIED
    if current is not None and current.updated_at > at:
        return False  # an older decision arriving late never overrides a newer one
    if previous == request.status:
        return False
    statement = pg_insert(consents).values(
        customer_id=request.customer_id,
        channel=request.channel,
        status=request.status,
        source=request.source,
        evidence_ref=request.evidence_ref,
        updated_at=at,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["customer_id", "channel"],
            set_={
                "status": request.status,
                "source": request.source,
                "evidence_ref": request.evidence_ref,
                "updated_at": at,
            },
        )
    )
    await session.execute(
        consent_changes.insert().values(
            customer_id=request.customer_id,
            channel=request.channel,
            previous_status=previous,
            status=request.status,
            source=request.source,
            evidence_ref=request.evidence_ref,
            changed_by=caller.subject,
            changed_by_role=caller.role.value,
            occurred_at=at,
        )
    )
    await emit(
        session,
        outbox,
        channel_events_pb2.ConsentChanged(
            customer_id=request.customer_id,
            channel=request.channel,
            previous_status=previous,
            status=request.status,
            source=request.source,
            changed_at=_ts(at),
        ),
    )
    return True


async def _set_preferences(
    session: AsyncSession, customer_id: str, values: dict[str, object], source: str
) -> None:
    now = datetime.now(UTC)
    statement = pg_insert(contact_preferences).values(customer_id=customer_id, updated_at=now, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["customer_id"], set_={**values, "updated_at": now})
    )
    row = (
        await session.execute(
            sa.select(contact_preferences).where(contact_preferences.c.customer_id == customer_id)
        )
    ).one()
    await emit(
        session,
        outbox,
        channel_events_pb2.ConsentChanged(
            customer_id=customer_id,
            source=source,
            personalization_opt_out=row.personalization_opt_out,
            do_not_disturb=row.do_not_disturb,
            changed_at=_ts(now),
        ),
    )


async def set_personalization(
    session: AsyncSession, caller: Caller, request: cp_pb2.SetPersonalizationOptOutRequest
) -> None:
    check_access(caller, request.customer_id, write=True)
    await _set_preferences(
        session,
        request.customer_id,
        {"personalization_opt_out": request.opt_out},
        request.source or "app_settings",
    )


async def set_do_not_disturb(
    session: AsyncSession, caller: Caller, request: cp_pb2.SetDoNotDisturbRequest
) -> None:
    check_access(caller, request.customer_id, write=True)
    until = request.until.ToDatetime(tzinfo=UTC) if request.HasField("until") else None
    await _set_preferences(
        session,
        request.customer_id,
        {"do_not_disturb": request.do_not_disturb, "do_not_disturb_until": until},
        request.reason or "operator",
    )


async def list_changes(
    session: AsyncSession, request: cp_pb2.ListConsentChangesRequest
) -> list[cp_pb2.ConsentChange]:
    query = (
        sa.select(consent_changes)
        .order_by(consent_changes.c.id)
        .limit(min(request.page.page_size or 100, 1000))
    )
    if request.customer_id:
        query = query.where(consent_changes.c.customer_id == request.customer_id)
    if request.HasField("since"):
        query = query.where(consent_changes.c.occurred_at >= request.since.ToDatetime(tzinfo=UTC))
    if request.HasField("until"):
        query = query.where(consent_changes.c.occurred_at < request.until.ToDatetime(tzinfo=UTC))
    return [
        cp_pb2.ConsentChange(
            customer_id=row.customer_id,
            channel=row.channel,
            previous_status=row.previous_status,
            status=row.status,
            source=row.source,
            evidence_ref=row.evidence_ref,
            occurred_at=_ts(row.occurred_at),
            changed_by=customer_pb2.Actor(subject=row.changed_by, role=row.changed_by_role),
        )
        for row in (await session.execute(query)).all()
    ]
