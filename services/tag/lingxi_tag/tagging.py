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
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cel
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2
from lingxi_common.outbox import emit_many
from lingxi_tag.facts import load_contexts
from lingxi_tag.models import aggregate_definitions, customer_tags, outbox, tag_definitions
from lingxi_tag.rules import CompiledRule, Projection, compile_rule, tag_value

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
            from lingxi_tag.aggregates import load_aggregate_rules

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


def evaluate(tag: ActiveTag, context: dict[str, Any] | cel.Context, customer_id: str = "") -> str:
    """The tag's value for one customer ("" = not tagged); a failing evaluation counts as untagged.

    ``context`` is the customer's full context map, or a ``cel.Context`` prepared by a
    ``Projection`` of the rules being evaluated (much cheaper when several tags share it).
    """
    try:
        return tag_value(tag.rule.evaluate(context), tag.value_type)
    except Exception as error:  # a rule error must not block every other tag of the customer
        who = customer_id or (context["customer"]["customer_id"] if isinstance(context, dict) else "")
        log.debug("rule of %s failed for %s: %s", tag.code, who, error)
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
    changed_inputs: Collection[str] | None = None,
    causation_by_customer: Mapping[str, str] | None = None,
) -> list[TagChange]:
    """Re-evaluate tags for ``customer_ids``; store and publish every change; return the changes.

    ``changed_inputs`` (e.g. ``{"agg.live_view_120s_30d"}``) narrows the work to the tags whose
    rules read one of them: a tag whose inputs did not move cannot change, so the event path
    evaluates a few tags per customer instead of the whole real-time library. A change's
    causation is ``causation_by_customer[customer]`` when given, else ``causation_id``.
    """
    tags = await catalog.active(session, tag_codes)
    if realtime_only:
        tags = [tag for tag in tags if tag.refresh_mode == defs_pb2.REFRESH_MODE_REALTIME]
    if changed_inputs is not None:
        tags = [tag for tag in tags if tag.rule.reads_any(changed_inputs)]
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
    causes = causation_by_customer or {}
    changes: list[TagChange] = []
    upserts: list[tuple[str, str, str, int]] = []
    removals: list[tuple[str, str]] = []
    versions = {tag.code: tag.version for tag in tags}
    projection = Projection(tag.rule for tag in tags)
    for customer_id, context in contexts.items():
        prepared = projection.context(context)
        for tag in tags:
            new = evaluate(tag, prepared, customer_id)
            old = current.get((customer_id, tag.code), "")
            if new == old:
                continue
            kind = ENTERED if not old else LEFT if not new else VALUE_CHANGED
            changes.append(TagChange(customer_id, tag.code, kind, old, new))
            if new:
                upserts.append((customer_id, tag.code, new, tag.version))
            else:
                removals.append((customer_id, tag.code))
    if not changes:
        return []
    await _store_values(session, upserts, removals)
    sequence_of = await _record_changes(session, changes, from_recompute, causes, causation_id)
    announcements = []
    for change in changes:
        sequence = sequence_of[(change.customer_id, change.tag_code)]
        facts = contexts[change.customer_id]["customer"]
        announcements.append(
            tag_events_pb2.CustomerTagChanged(
                meta=_meta(causes.get(change.customer_id, causation_id)),
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
                sequence=sequence,
                from_recompute=from_recompute,
            )
        )
    # One multi-row insert (and one NOTIFY) instead of two statements per change.
    await emit_many(session, outbox, announcements)
    return changes


# Set-based writes: one statement each, whatever the number of changes (the event path and the
# recompute write hundreds per transaction).
_UPSERT_VALUES_SQL = sa.text(
    """
    INSERT INTO tag.customer_tags (customer_id, tag_code, value, definition_version)
    SELECT * FROM unnest(CAST(:customers AS text[]), CAST(:codes AS text[]), CAST(:values AS text[]),
                         CAST(:versions AS integer[]))
    ON CONFLICT (customer_id, tag_code) DO UPDATE
    SET value = excluded.value, definition_version = excluded.definition_version, since = now()
    """
)
_REMOVE_VALUES_SQL = sa.text(
    """
    DELETE FROM tag.customer_tags t
    USING unnest(CAST(:customers AS text[]), CAST(:codes AS text[])) AS r(customer_id, tag_code)
    WHERE t.customer_id = r.customer_id AND t.tag_code = r.tag_code
    """
)
_RECORD_CHANGES_SQL = sa.text(
    """
    INSERT INTO tag.tag_changes (customer_id, tag_code, change, old_value, new_value, from_recompute,
                                 causation_id)
    SELECT c, t, k, o, n, CAST(:from_recompute AS boolean), x
    FROM unnest(CAST(:customers AS text[]), CAST(:codes AS text[]), CAST(:kinds AS smallint[]),
                CAST(:olds AS text[]), CAST(:news AS text[]), CAST(:causes AS text[])) AS u(c, t, k, o, n, x)
    RETURNING seq, customer_id, tag_code
    """
)


async def _store_values(
    session: AsyncSession, upserts: list[tuple[str, str, str, int]], removals: list[tuple[str, str]]
) -> None:
    if upserts:
        await session.execute(
            _UPSERT_VALUES_SQL,
            {
                "customers": [row[0] for row in upserts],
                "codes": [row[1] for row in upserts],
                "values": [row[2] for row in upserts],
                "versions": [row[3] for row in upserts],
            },
        )
    if removals:
        await session.execute(
            _REMOVE_VALUES_SQL,
            {"customers": [row[0] for row in removals], "codes": [row[1] for row in removals]},
        )


async def _record_changes(
    session: AsyncSession,
    changes: list[TagChange],
    from_recompute: bool,
    causes: Mapping[str, str],
    causation_id: str,
) -> dict[tuple[str, str], int]:
    """Append the changes to ``tag_changes``; the sequence number of each (customer, tag)."""
    rows = await session.execute(
        _RECORD_CHANGES_SQL,
        {
            "from_recompute": from_recompute,
            "customers": [change.customer_id for change in changes],
            "codes": [change.tag_code for change in changes],
            "kinds": [change.change for change in changes],
            "olds": [change.old_value for change in changes],
            "news": [change.new_value for change in changes],
            "causes": [causes.get(change.customer_id, causation_id) for change in changes],
        },
    )
    return {(row.customer_id, row.tag_code): int(row.seq) for row in rows}
