"""Ingested behaviour: store a run of events, stitch identities, feed the aggregates — set-based.

A run is every event of the behaviour batches one transaction handles (many messages at once).
It costs a fixed number of statements whatever its size: two lock passes (see ``locks``), one
identity look-up, one event insert, one aggregate upsert, plus two statements per identity link
that is new. Events are still
resolved strictly in order (``IdentityBook``), so the outcome equals handling them one by one.

Idempotency is per event: rows are inserted with ON CONFLICT DO NOTHING on the event id and only
events actually inserted (or attributed to a customer for the first time by a link) feed the
aggregates, so a redelivered batch — or the same events re-sent in another batch — changes
nothing.

Identity stitching: ``$SignUp`` (Sensors track_signup), Segment ``alias``, ``identify`` and Sensors
id-bind carrying both a login id and an anonymous id link the anonymous id to the customer. The
events already stored under that anonymous id (``customer_id IS NULL``) are attributed to the
customer in the same transaction, and their aggregates are added then — so events that arrived
before the link count exactly once, from the moment the link exists.

A batch that can never be stored (an event id that is not a UUID, a NUL character PostgreSQL
refuses, a non-finite number, a time out of range) is refused by ``read_batch`` with the event
and field named, so the consumer dead-letters that message alone.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from google.protobuf import struct_pb2, timestamp_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import ingest_events_pb2 as ingest_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.outbox import emit
from lingxi_common.pii import PiiCipher
from lingxi_tag.aggregates import AggregateRule, Moved, StoredEvent, add_to_aggregates
from lingxi_tag.identity import IdentityBook, apply_link, identity_hash
from lingxi_tag.locks import lock_all, lock_key
from lingxi_tag.models import outbox

LINKING_TYPES = frozenset(
    {ingest_pb2.BEHAVIOR_TYPE_ALIAS, ingest_pb2.BEHAVIOR_TYPE_IDENTIFY, ingest_pb2.BEHAVIOR_TYPE_ID_BIND}
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NAMES = {
    number: name.removeprefix("BEHAVIOR_TYPE_").lower() for name, number in ingest_pb2.BehaviorType.items()
}

_INSERT_SQL = sa.text(
    """
    INSERT INTO tag.behavior_events (event_id, source_id, identity_index, customer_id, event_name,
                                     behavior_type, occurred_at, properties)
    SELECT i, s, x, c, n, t, o, CAST(p AS jsonb)
    FROM unnest(CAST(:ids AS uuid[]), CAST(:sources AS text[]), CAST(:indexes AS text[]),
                CAST(:customers AS text[]), CAST(:names AS text[]), CAST(:types AS smallint[]),
                CAST(:times AS timestamptz[]), CAST(:properties AS text[])) AS u(i, s, x, c, n, t, o, p)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id
    """
)


class InvalidBatch(ValueError):
    """A batch that can never be stored; the message names the event and the field."""


@dataclass(frozen=True)
class IncomingEvent:
    """One event of a behaviour batch, checked and in plain Python values."""

    event_id: str
    source_id: str
    behavior_type: int
    name: str
    customer_id: str
    user_id: str
    anonymous_id: str
    previous_id: str
    occurred_at: dt.datetime
    properties: dict[str, Any]
    causation_id: str


@dataclass
class IngestOutcome:
    """What a run changed: per customer the aggregates that moved (to re-tag), and counts."""

    moved: dict[str, Moved] = field(default_factory=dict)
    stored: int = 0
    duplicates: int = 0
    attributed: int = 0


def _text(value: str, where: str) -> str:
    if "\x00" in value:
        raise InvalidBatch(f"{where} contains a NUL character")
    return value


def _plain(value: struct_pb2.Value, where: str) -> Any:
    """A Struct value as JSON-ready Python (what json_format would give), refusing what
    PostgreSQL's jsonb cannot hold."""
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return _text(value.string_value, where)
    if kind == "number_value":
        number = value.number_value
        if not math.isfinite(number):
            raise InvalidBatch(f"{where} is not a finite number")
        return number
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return _plain_struct(value.struct_value, where)
    if kind == "list_value":
        return [_plain(item, f"{where}[{n}]") for n, item in enumerate(value.list_value.values)]
    return None


def _plain_struct(struct: struct_pb2.Struct, where: str) -> dict[str, Any]:
    return {_text(key, f"{where} key"): _plain(item, f"{where}.{key}") for key, item in struct.fields.items()}


def _moment(stamp: timestamp_pb2.Timestamp, where: str) -> dt.datetime:
    try:
        return _EPOCH + dt.timedelta(seconds=stamp.seconds, microseconds=stamp.nanos // 1000)
    except OverflowError as error:
        raise InvalidBatch(f"{where} is out of range") from error


def read_batch(batch: ingest_pb2.BehaviorBatch, received_at: dt.datetime) -> list[IncomingEvent]:
    """The storable events of a batch (catalogue items carry no customer and are skipped)."""
    events = []
    causation = batch.meta.event_id
    for number, event in enumerate(batch.events):
        if event.type == ingest_pb2.BEHAVIOR_TYPE_ITEM:
            continue
        where = f"events[{number}]"
        event_id = event.meta.event_id
        if event_id:
            try:
                event_id = str(uuid.UUID(event_id))  # the form PostgreSQL returns it in
            except ValueError as error:
                raise InvalidBatch(f"{where}.meta.event_id {event_id[:80]!r} is not a UUID") from error
        else:
            event_id = str(uuid.uuid4())
        name = event.event_name or _NAMES.get(event.type, f"type_{event.type}")
        events.append(
            IncomingEvent(
                event_id=event_id,
                source_id=_text(event.source_id or batch.source_id, f"{where}.source_id"),
                behavior_type=event.type,
                name=_text(name[:200], f"{where}.event_name"),
                customer_id=_text(event.customer_id, f"{where}.customer_id"),
                user_id=_text(event.user_id, f"{where}.user_id"),
                anonymous_id=event.anonymous_id,
                previous_id=event.previous_id,
                occurred_at=(
                    _moment(event.event_time, f"{where}.event_time")
                    if event.HasField("event_time")
                    else received_at
                ),
                properties=(
                    _plain_struct(event.properties, f"{where}.properties") if event.properties.fields else {}
                ),
                causation_id=causation,
            )
        )
    return events


def _meta(causation_id: str) -> event_meta_pb2.EventMeta:
    meta = event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="tag", causation_id=causation_id)
    meta.occurred_at.GetCurrentTime()
    return meta


async def ingest_events(
    session: AsyncSession, cipher: PiiCipher, events: Sequence[IncomingEvent], rules: list[AggregateRule]
) -> IngestOutcome:
    """Store, stitch and aggregate a run of events, in order (the caller owns the transaction)."""
    outcome = IngestOutcome()
    book = IdentityBook(cipher)
    wanted: list[tuple[str, str]] = []
    for event in events:
        wanted.extend(
            (event.source_id, value)
            for value in (event.user_id, event.anonymous_id, event.previous_id)
            if value and not event.customer_id
        )
        if event.customer_id and event.behavior_type in LINKING_TYPES:
            wanted.extend(
                (event.source_id, value) for value in (event.anonymous_id, event.previous_id) if value
            )
    # Ids that a link may change are locked before they are read (see lingxi_tag.locks).
    await lock_all(
        session,
        [
            lock_key("identity", f"{event.source_id}:{value}")
            for event in events
            for value in (event.anonymous_id, event.previous_id)
            if value
        ],
    )
    await book.load(session, wanted)

    links = []
    rows: list[tuple[int, IncomingEvent, str, str | None]] = []  # position, event, customer, identity
    seen: set[str] = set()
    for position, event in enumerate(events):
        customer_id = event.customer_id
        if not customer_id and event.user_id:
            customer_id = book.customer_of_login(event.source_id, event.user_id)
        if customer_id and event.behavior_type in LINKING_TYPES:
            for value in (event.anonymous_id, event.previous_id):
                if not value or value == event.user_id:
                    continue
                link = book.link(
                    event.source_id,
                    value,
                    customer_id,
                    customer_pb2.IDENTITY_TYPE_ANONYMOUS,
                    event.event_id,
                    event.causation_id,
                )
                if link is not None:
                    links.append((position, link))
        anonymous = event.anonymous_id or event.previous_id
        if not customer_id and anonymous:
            customer_id = book.customer_of(event.source_id, anonymous) or ""
        if event.event_id in seen:
            outcome.duplicates += 1
            continue
        seen.add(event.event_id)
        rows.append((position, event, customer_id, book.index(anonymous) if anonymous else None))

    customers = {customer_id for _, _, customer_id, _ in rows if customer_id}
    await lock_all(
        session,
        [lock_key("customer", customer) for customer in customers | {link.customer_id for _, link in links}],
    )
    inserted = await _insert(session, rows)
    outcome.stored = len(inserted)
    outcome.duplicates += len(rows) - len(inserted)
    fresh: list[tuple[int, StoredEvent]] = [
        (
            position,
            StoredEvent(
                event.event_id,
                customer_id,
                event.name,
                event.occurred_at,
                event.properties,
                event.causation_id,
            ),
        )
        for position, event, customer_id, _ in rows
        if customer_id and event.event_id in inserted
    ]
    # Links after every insert: an id linked mid-run also attributes the run's earlier events.
    for position, link in links:
        earlier = await apply_link(session, cipher, link)
        outcome.attributed += len(earlier)
        fresh.extend((position, stored) for stored in earlier)
        await emit(
            session,
            outbox,
            tag_events_pb2.IdentityLinked(
                meta=_meta(link.event_id),
                customer_id=link.customer_id,
                identity_type=customer_pb2.IdentityType.Name(link.identity_type),
                identity_hash=identity_hash(link.source_id, link.value),
                source_id=link.source_id,
                events_attributed=len(earlier),
            ),
        )
    fresh.sort(key=lambda item: item[0])
    outcome.moved = await add_to_aggregates(session, rules, [stored for _, stored in fresh])
    return outcome


async def _insert(session: AsyncSession, rows: list[tuple[int, IncomingEvent, str, str | None]]) -> set[str]:
    """Insert the run's events in one statement; the ids actually inserted (not seen before)."""
    if not rows:
        return set()
    result = await session.execute(
        _INSERT_SQL,
        {
            "ids": [event.event_id for _, event, _, _ in rows],
            "sources": [event.source_id for _, event, _, _ in rows],
            "indexes": [index for _, _, _, index in rows],
            "customers": [customer_id or None for _, _, customer_id, _ in rows],
            "names": [event.name for _, event, _, _ in rows],
            "types": [event.behavior_type for _, event, _, _ in rows],
            "times": [event.occurred_at for _, event, _, _ in rows],
            "properties": [json.dumps(event.properties, separators=(",", ":")) for _, event, _, _ in rows],
        },
    )
    return {str(row[0]) for row in result}
