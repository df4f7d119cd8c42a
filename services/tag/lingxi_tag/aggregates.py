"""Behaviour aggregates: which events count towards which aggregate, and the daily counters.

Aggregates are kept per customer, code and business day (``aggregate_daily``); a window is the
sum over the days it covers, so values expire by date without any decrement. Callers guarantee
that every event is added exactly once (only freshly stored or freshly attributed events reach
``add_to_aggregates``), which is what makes redelivery harmless.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import cel
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.tag.v1 import customer_pb2
from lingxi_tag.facts import BUSINESS_TZ
from lingxi_tag.models import aggregate_definitions

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
        return self.program is None or self.passes({"properties": properties})

    def passes(self, context: dict[str, Any] | cel.Context) -> bool:
        """Whether the property filter holds (``context`` holds ``properties``)."""
        try:
            return self.program is None or self.program.execute(context) is True
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
    """An event attributed to a customer, as the aggregates see it (``causation_id``: the message
    that brought it — or linked it — in, named as the cause of the tag changes it leads to)."""

    event_id: str
    customer_id: str
    event_name: str
    occurred_at: dt.datetime
    properties: dict[str, Any]
    causation_id: str = ""


@dataclass
class Moved:
    """Which aggregates of one customer moved, and the last message that moved them."""

    codes: set[str] = field(default_factory=set)
    causation_id: str = ""

    @property
    def inputs(self) -> set[str]:
        """The rule inputs that changed (``agg.<code>``), for picking the tags to re-evaluate."""
        return {f"agg.{code}" for code in self.codes}


Increments = dict[tuple[str, str, dt.date], tuple[float, dt.datetime]]

# One statement for any number of (customer, code, day) rows; sorted input keeps row locks in a
# fixed order, so two transactions adding to the same customers cannot deadlock.
_UPSERT_SQL = sa.text(
    """
    INSERT INTO tag.aggregate_daily (customer_id, code, day, value, last_seen_at)
    SELECT * FROM unnest(CAST(:customers AS text[]), CAST(:codes AS text[]), CAST(:days AS date[]),
                         CAST(:amounts AS numeric[]), CAST(:seen AS timestamptz[]))
    ON CONFLICT (customer_id, code, day) DO UPDATE
    SET value = aggregate_daily.value + excluded.value,
        last_seen_at = greatest(aggregate_daily.last_seen_at, excluded.last_seen_at)
    """
)


def _rules_by_event(
    rules: Iterable[AggregateRule],
) -> tuple[dict[str, list[AggregateRule]], list[AggregateRule]]:
    """Rules by the event names they count, and the rules counting every offline touch."""
    by_name: dict[str, list[AggregateRule]] = {}
    any_offline = []
    for rule in rules:
        for name in rule.event_names:
            by_name.setdefault(name, []).append(rule)
        if rule.any_offline:
            any_offline.append(rule)
    return by_name, any_offline


def increments_of(
    rules: Iterable[AggregateRule], events: Iterable[StoredEvent]
) -> tuple[Increments, dict[str, Moved]]:
    """What ``events`` add to each (customer, aggregate code, business day), and per customer
    which aggregates moved (events are taken in order, so the last cause wins)."""
    increments: Increments = {}
    moved: dict[str, Moved] = {}
    by_name, any_offline = _rules_by_event(rules)
    for event in events:
        candidates = by_name.get(event.event_name, [])
        if any_offline and event.event_name.startswith(OFFLINE_PREFIX):
            candidates = [*candidates, *(rule for rule in any_offline if rule not in candidates)]
        if not candidates:
            continue
        day = event.occurred_at.astimezone(BUSINESS_TZ).date()
        properties: Any = None  # converted for CEL once per event, shared by every filter
        for rule in candidates:
            if rule.program is not None:
                if properties is None:
                    properties = cel.Context(variables={"properties": event.properties})
                if not rule.passes(properties):
                    continue
            key = (event.customer_id, rule.code, day)
            value, seen = increments.get(key, (0.0, event.occurred_at))
            increments[key] = (value + rule.amount(event.properties), max(seen, event.occurred_at))
            customer = moved.get(event.customer_id)
            if customer is None:
                customer = moved[event.customer_id] = Moved()
            customer.codes.add(rule.code)
            customer.causation_id = event.causation_id
    return increments, moved


async def store_increments(session: AsyncSession, increments: Increments) -> None:
    if not increments:
        return
    ordered = sorted(increments.items())
    await session.execute(
        _UPSERT_SQL,
        {
            "customers": [customer for (customer, _, _), _ in ordered],
            "codes": [code for (_, code, _), _ in ordered],
            "days": [day for (_, _, day), _ in ordered],
            "amounts": [value for _, (value, _) in ordered],
            "seen": [seen for _, (_, seen) in ordered],
        },
    )


async def add_to_aggregates(
    session: AsyncSession, rules: Iterable[AggregateRule], events: Iterable[StoredEvent]
) -> dict[str, Moved]:
    """Add events (each exactly once, by the caller's guarantee) to the daily aggregate rows;
    returns, per customer, which aggregates moved."""
    increments, moved = increments_of(rules, events)
    await store_increments(session, increments)
    return moved
