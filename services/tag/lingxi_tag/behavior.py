"""Ingested behaviour: store events, stitch identities, maintain windowed aggregates.

One ``BehaviorBatch`` is handled in one transaction. Idempotency is per event: an event row is
inserted with ON CONFLICT DO NOTHING and only events actually inserted feed the aggregates, so a
redelivered batch (or the same events re-sent in another batch) changes nothing.

Identity stitching: ``$SignUp`` (Sensors track_signup), Segment ``alias``, ``identify`` and Sensors
id-bind carrying both a login id and an anonymous id link the anonymous id to the customer. The
events already stored under that anonymous id (``customer_id IS NULL``) are attributed to the
customer in the same transaction, and their aggregates are added then — so events that arrived
before the link count exactly once, from the moment the link exists. A login id is taken as the
customer id unless an explicit LOGIN identity maps it to another customer.

Aggregates are per customer, code and business day (``aggregate_daily``); windows are sums over the
days they cover, so values expire by date without any decrement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import cel
import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import ingest_events_pb2 as ingest_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.outbox import emit
from lingxi_common.pii import PiiCipher
from lingxi_tag.facts import BUSINESS_TZ
from lingxi_tag.models import aggregate_daily, aggregate_definitions, behavior_events, identities, outbox

log = logging.getLogger(__name__)

LINKING_TYPES = frozenset(
    {ingest_pb2.BEHAVIOR_TYPE_ALIAS, ingest_pb2.BEHAVIOR_TYPE_IDENTIFY, ingest_pb2.BEHAVIOR_TYPE_ID_BIND}
)
OFFLINE_PREFIX = "offline:"


@dataclass(frozen=True)
class AggregateRule:
    code: str
    event_names: frozenset[str]
    any_offline: bool
    measure: int
    sum_property: str
    window_days: int
    program: Any | None

    def matches(self, event_name: str, properties: dict[str, Any]) -> bool:
        if event_name not in self.event_names and not (
            self.any_offline and event_name.startswith(OFFLINE_PREFIX)
        ):
            return False
        if self.program is None:
            return True
        try:
            return self.program.execute({"properties": properties}) is True
        except Exception:
            return False  # a property missing or of another type: the filter is not met

    def amount(self, properties: dict[str, Any]) -> float:
        if self.measure != customer_pb2.AGGREGATE_MEASURE_SUM:
            return 1.0
        value = properties.get(self.sum_property)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return 0.0
        try:
            return float(value)
        except ValueError:
            return 0.0


async def load_aggregate_rules(session: AsyncSession) -> list[AggregateRule]:
    rules = []
    for row in (await session.execute(sa.select(aggregate_definitions))).all():
        names = {name.strip() for name in row.event_name.split(",") if name.strip()}
        rules.append(
            AggregateRule(
                code=row.code,
                event_names=frozenset(names - {"offline:*"}),
                any_offline="offline:*" in names,
                measure=row.measure,
                sum_property=row.sum_property,
                window_days=row.window_days,
                program=cel.compile(row.property_filter) if row.property_filter else None,
            )
        )
    return rules


@dataclass
class StoredEvent:
    event_id: str
    customer_id: str
    event_name: str
    occurred_at: dt.datetime
    properties: dict[str, Any]


@dataclass
class BatchOutcome:
    """What a batch changed: customers whose inputs moved (to re-tag) and counts for metrics."""

    affected_customers: set[str] = field(default_factory=set)
    stored: int = 0
    duplicates: int = 0
    attributed: int = 0


async def add_to_aggregates(
    session: AsyncSession, rules: Iterable[AggregateRule], events: Iterable[StoredEvent]
) -> int:
    """Add events (each exactly once, by the caller's guarantee) to the daily aggregate rows."""
    increments: dict[tuple[str, str, dt.date], tuple[float, dt.datetime]] = {}
    rule_list = list(rules)
    for event in events:
        day = event.occurred_at.astimezone(BUSINESS_TZ).date()
        for rule in rule_list:
            if rule.matches(event.event_name, event.properties):
                key = (event.customer_id, rule.code, day)
                value, seen = increments.get(key, (0.0, event.occurred_at))
                increments[key] = (value + rule.amount(event.properties), max(seen, event.occurred_at))
    if not increments:
        return 0
    statement = postgresql.insert(aggregate_daily)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[aggregate_daily.c.customer_id, aggregate_daily.c.code, aggregate_daily.c.day],
            set_={
                "value": aggregate_daily.c.value + statement.excluded.value,
                "last_seen_at": sa.func.greatest(
                    aggregate_daily.c.last_seen_at, statement.excluded.last_seen_at
                ),
            },
        ),
        [
            {"customer_id": customer, "code": code, "day": day, "value": value, "last_seen_at": seen}
            for (customer, code, day), (value, seen) in sorted(increments.items())
        ],
    )
    return len(increments)


class IdentityResolver:
    """Customer of an identity within one source, cached for the batch; links and re-attributes."""

    def __init__(self, session: AsyncSession, cipher: PiiCipher) -> None:
        self._session = session
        self._cipher = cipher
        self._cache: dict[tuple[str, str], str | None] = {}

    def index(self, value: str) -> str:
        return self._cipher.blind_index(value, context="identity")

    async def lookup(self, source_id: str, value: str) -> str | None:
        key = (source_id, self.index(value))
        if key not in self._cache:
            row = (
                await self._session.execute(
                    sa.select(identities.c.customer_id).where(
                        identities.c.source_id == source_id, identities.c.value_index == key[1]
                    )
                )
            ).first()
            self._cache[key] = row.customer_id if row else None
        return self._cache[key]

    async def customer_of_login(self, source_id: str, user_id: str) -> str:
        return await self.lookup(source_id, user_id) or user_id

    async def link(
        self, source_id: str, value: str, customer_id: str, identity_type: int, event_id: str
    ) -> list[StoredEvent] | None:
        """Link ``value`` to ``customer_id``; return the earlier events now attributed (None: no change)."""
        value_index = self.index(value)
        if self._cache.get((source_id, value_index)) == customer_id:
            return None
        statement = postgresql.insert(identities).values(
            source_id=source_id,
            value_index=value_index,
            identity_type=identity_type,
            value_enc=self._cipher.encrypt(value, context="identity"),
            customer_id=customer_id,
            linked_by_event_id=event_id,
        )
        # The latest login on a device wins (a shared or resold phone moves to its new owner).
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[identities.c.source_id, identities.c.value_index],
                set_={
                    "customer_id": statement.excluded.customer_id,
                    "linked_at": sa.func.now(),
                    "linked_by_event_id": statement.excluded.linked_by_event_id,
                },
                where=identities.c.customer_id != statement.excluded.customer_id,
            )
        )
        self._cache[(source_id, value_index)] = customer_id
        rows = (
            await self._session.execute(
                behavior_events.update()
                .where(
                    behavior_events.c.source_id == source_id,
                    behavior_events.c.identity_index == value_index,
                    behavior_events.c.customer_id.is_(None),
                )
                .values(customer_id=customer_id)
                .returning(
                    behavior_events.c.event_id,
                    behavior_events.c.event_name,
                    behavior_events.c.occurred_at,
                    behavior_events.c.properties,
                )
            )
        ).all()
        return [
            StoredEvent(row.event_id, customer_id, row.event_name, row.occurred_at, row.properties)
            for row in rows
        ]


def _identity_hash(source_id: str, value: str) -> str:
    return hashlib.sha256(f"{source_id}:{value}".encode()).hexdigest()


def _meta(causation_id: str) -> event_meta_pb2.EventMeta:
    meta = event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="tag", causation_id=causation_id)
    meta.occurred_at.GetCurrentTime()
    return meta


async def ingest_batch(
    session: AsyncSession, cipher: PiiCipher, batch: ingest_pb2.BehaviorBatch, rules: list[AggregateRule]
) -> BatchOutcome:
    """Store, stitch and aggregate one batch (the caller owns the transaction)."""
    outcome = BatchOutcome()
    resolver = IdentityResolver(session, cipher)
    new_events: list[StoredEvent] = []
    for event in batch.events:
        if event.type == ingest_pb2.BEHAVIOR_TYPE_ITEM:
            continue  # catalogue items carry no customer
        source_id = event.source_id or batch.source_id
        anonymous = event.anonymous_id or event.previous_id
        customer_id = event.customer_id
        if not customer_id and event.user_id:
            customer_id = await resolver.customer_of_login(source_id, event.user_id)
        if customer_id and event.type in LINKING_TYPES:
            for value, kind in (
                (event.anonymous_id, customer_pb2.IDENTITY_TYPE_ANONYMOUS),
                (event.previous_id, customer_pb2.IDENTITY_TYPE_ANONYMOUS),
            ):
                if not value or value == event.user_id:
                    continue
                earlier = await resolver.link(source_id, value, customer_id, kind, event.meta.event_id)
                if earlier is None:
                    continue
                new_events.extend(earlier)
                outcome.attributed += len(earlier)
                outcome.affected_customers.add(customer_id)
                await emit(
                    session,
                    outbox,
                    tag_events_pb2.IdentityLinked(
                        meta=_meta(event.meta.event_id),
                        customer_id=customer_id,
                        identity_type=customer_pb2.IdentityType.Name(kind),
                        identity_hash=_identity_hash(source_id, value),
                        source_id=source_id,
                        events_attributed=len(earlier),
                    ),
                )
        if not customer_id and anonymous:
            customer_id = await resolver.lookup(source_id, anonymous) or ""
        properties = MessageToDict(event.properties) if event.properties.fields else {}
        occurred_at = (
            event.event_time.ToDatetime(tzinfo=dt.UTC)
            if event.HasField("event_time")
            else dt.datetime.now(dt.UTC)
        )
        name = (
            event.event_name
            or ingest_pb2.BehaviorType.Name(event.type).removeprefix("BEHAVIOR_TYPE_").lower()
        )
        inserted = (
            await session.execute(
                postgresql.insert(behavior_events)
                .values(
                    event_id=event.meta.event_id or str(uuid.uuid4()),
                    source_id=source_id,
                    identity_index=resolver.index(anonymous) if anonymous else None,
                    customer_id=customer_id or None,
                    event_name=name[:200],
                    behavior_type=event.type,
                    occurred_at=occurred_at,
                    properties=properties,
                )
                .on_conflict_do_nothing(index_elements=[behavior_events.c.event_id])
                .returning(behavior_events.c.event_id)
            )
        ).first()
        if inserted is None:
            outcome.duplicates += 1
            continue
        outcome.stored += 1
        if customer_id:
            new_events.append(StoredEvent(inserted.event_id, customer_id, name, occurred_at, properties))
            outcome.affected_customers.add(customer_id)
    await add_to_aggregates(session, rules, new_events)
    return outcome
