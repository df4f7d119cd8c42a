"""The tag engine: evaluate active tag rules for some customers, store what changed, announce it.

Used by the real-time path (after an event changed a customer's inputs), by activation and by the
daily recompute. A change is written to ``customer_tags`` and ``tag_changes`` and published as
``CustomerTagChanged`` through the outbox in the caller's transaction, so a tag value is never
announced without being stored, nor stored without being announced. Re-evaluating without a
change in inputs produces no change, which is what makes redelivered events harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2
from lingxi_common.outbox import emit
from lingxi_tag.facts import load_contexts
from lingxi_tag.models import aggregate_definitions, customer_tags, outbox, tag_changes, tag_definitions
from lingxi_tag.rules import CompiledRule, compile_rule, tag_value

log = logging.getLogger(__name__)

ENTERED = tag_events_pb2.TAG_CHANGE_KIND_ENTERED
LEFT = tag_events_pb2.TAG_CHANGE_KIND_LEFT
VALUE_CHANGED = tag_events_pb2.TAG_CHANGE_KIND_VALUE_CHANGED


@dataclass(frozen=True)
class ActiveTag:
    code: str
    version: int
    value_type: int
    refresh_mode: int
    rule: CompiledRule
    display_name: str
    category_code: str


@dataclass(frozen=True)
class TagChange:
    customer_id: str
    tag_code: str
    change: int
    old_value: str
    new_value: str


class TagCatalog:
    """Active definitions, compiled once per (code, version); reloaded cheaply on every use.

    Reading the ~100 active rows per evaluation keeps every replica consistent with activations
    made through another replica, without a cache-invalidation protocol.
    """

    # Definitions change rarely; re-reading them at most this often keeps the real-time path to
    # one query per batch for facts while replicas still converge within a second.
    TTL_SECONDS = 1.0

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, int, str], CompiledRule] = {}
        self._cache: dict[str, tuple[float, Any]] = {}

    def _cached(self, key: str) -> Any | None:
        hit = self._cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.TTL_SECONDS:
            return hit[1]
        return None

    def invalidate(self) -> None:
        self._cache.clear()

    async def aggregate_rules(self, session: AsyncSession) -> list[Any]:
        """Compiled aggregate definitions (cached for TTL_SECONDS)."""
        cached = self._cached("rules")
        if cached is None:
            from lingxi_tag.behavior import load_aggregate_rules

            cached = await load_aggregate_rules(session)
            if cached:
                self._cache["rules"] = (time.monotonic(), cached)
        return list(cached)

    async def aggregates(self, session: AsyncSession) -> dict[str, int]:
        cached = self._cached("aggregates")
        if cached is not None:
            return dict(cached)
        rows = (
            await session.execute(sa.select(aggregate_definitions.c.code, aggregate_definitions.c.measure))
        ).all()
        measures = {row.code: int(row.measure) for row in rows}
        if measures:  # never cache "nothing installed yet": the library arrives moments later
            self._cache["aggregates"] = (time.monotonic(), measures)
        return dict(measures)

    async def active(self, session: AsyncSession, codes: Iterable[str] | None = None) -> list[ActiveTag]:
        if codes is None:
            cached = self._cached("active")
            if cached is not None:
                return list(cached)
        tags = await self._load_active(session, codes)
        if codes is None and tags:
            self._cache["active"] = (time.monotonic(), tags)
        return tags

    async def _load_active(self, session: AsyncSession, codes: Iterable[str] | None) -> list[ActiveTag]:
        query = sa.select(tag_definitions).where(tag_definitions.c.status == defs_pb2.TAG_STATUS_ACTIVE)
        if codes is not None:
            query = query.where(tag_definitions.c.code.in_(list(codes)))
        rows = (await session.execute(query)).all()
        aggregate_codes = list((await self.aggregates(session)).keys()) if rows else []
        tags = []
        for row in rows:
            key = (row.code, row.version, row.rule)
            rule = self._compiled.get(key)
            if rule is None:
                rule = compile_rule(
                    row.rule,
                    aggregate_codes=aggregate_codes,
                    value_type=row.value_type,
                    option_codes=[option["code"] for option in row.options],
                )
                self._compiled[key] = rule
            tags.append(
                ActiveTag(
                    row.code,
                    row.version,
                    row.value_type,
                    row.refresh_mode,
                    rule,
                    row.display_name,
                    row.category_code,
                )
            )
        return tags


def _meta(causation_id: str) -> event_meta_pb2.EventMeta:
    meta = event_meta_pb2.EventMeta(
        event_id=str(uuid.uuid4()), producer="tag", causation_id=causation_id, correlation_id=causation_id
    )
    meta.occurred_at.GetCurrentTime()
    return meta


def evaluate(tag: ActiveTag, context: dict[str, Any]) -> str:
    """The tag's value for one customer ("" = not tagged); a failing evaluation counts as untagged."""
    try:
        return tag_value(tag.rule.evaluate(context), tag.value_type)
    except Exception as error:  # a rule error must not block every other tag of the customer
        log.debug("rule of %s failed for %s: %s", tag.code, context["customer"]["customer_id"], error)
        return ""


async def apply_tags(
    session: AsyncSession,
    catalog: TagCatalog,
    customer_ids: Sequence[str],
    *,
    realtime_only: bool,
    tag_codes: Iterable[str] | None = None,
    causation_id: str = "",
    from_recompute: bool = False,
    today: dt.date | None = None,
) -> list[TagChange]:
    """Re-evaluate tags for ``customer_ids``; store and publish every change; return the changes."""
    tags = await catalog.active(session, tag_codes)
    if realtime_only:
        tags = [tag for tag in tags if tag.refresh_mode == defs_pb2.REFRESH_MODE_REALTIME]
    if not tags or not customer_ids:
        return []
    contexts = await load_contexts(session, customer_ids, await catalog.aggregates(session), today=today)
    codes = [tag.code for tag in tags]
    current: dict[tuple[str, str], str] = {
        (row.customer_id, row.tag_code): row.value
        for row in (
            await session.execute(
                sa.select(customer_tags.c.customer_id, customer_tags.c.tag_code, customer_tags.c.value).where(
                    customer_tags.c.customer_id.in_(list(contexts)), customer_tags.c.tag_code.in_(codes)
                )
            )
        ).all()
    }
    changes: list[TagChange] = []
    upserts: list[dict[str, Any]] = []
    removals: list[tuple[str, str]] = []
    versions = {tag.code: tag.version for tag in tags}
    for customer_id, context in contexts.items():
        for tag in tags:
            new = evaluate(tag, context)
            old = current.get((customer_id, tag.code), "")
            if new == old:
                continue
            kind = ENTERED if not old else LEFT if not new else VALUE_CHANGED
            changes.append(TagChange(customer_id, tag.code, kind, old, new))
            if new:
                upserts.append(
                    {
                        "customer_id": customer_id,
                        "tag_code": tag.code,
                        "value": new,
                        "definition_version": tag.version,
                    }
                )
            else:
                removals.append((customer_id, tag.code))
    if not changes:
        return []
    if upserts:
        statement = postgresql.insert(customer_tags)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[customer_tags.c.customer_id, customer_tags.c.tag_code],
                set_={
                    "value": statement.excluded.value,
                    "definition_version": statement.excluded.definition_version,
                    "since": sa.func.now(),
                },
            ),
            upserts,
        )
    if removals:
        await session.execute(
            customer_tags.delete().where(
                sa.tuple_(customer_tags.c.customer_id, customer_tags.c.tag_code).in_(removals)
            )
        )
    sequences = (
        (
            await session.execute(
                sa.insert(tag_changes).returning(tag_changes.c.seq, sort_by_parameter_order=True),
                [
                    {
                        "customer_id": change.customer_id,
                        "tag_code": change.tag_code,
                        "change": change.change,
                        "old_value": change.old_value,
                        "new_value": change.new_value,
                        "from_recompute": from_recompute,
                        "causation_id": causation_id,
                    }
                    for change in changes
                ],
            )
        )
        .scalars()
        .all()
    )
    for change, sequence in zip(changes, sequences, strict=True):
        facts = contexts[change.customer_id]["customer"]
        await emit(
            session,
            outbox,
            tag_events_pb2.CustomerTagChanged(
                meta=_meta(causation_id),
                customer=common_customer_pb2.CustomerRef(
                    customer_id=change.customer_id,
                    branch_id=facts["branch_id"],
                    advisor_id=facts["advisor_id"],
                ),
                tag_code=change.tag_code,
                change=change.change,
                old_value=change.old_value,
                new_value=change.new_value,
                definition_version=versions[change.tag_code],
                sequence=int(sequence),
                from_recompute=from_recompute,
            ),
        )
    return changes
