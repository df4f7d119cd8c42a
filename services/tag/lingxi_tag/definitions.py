"""Tag definitions: versioned CEL rules with a draft → preview → active → retired lifecycle.

Editing an active tag creates a new draft version; activation swaps the active version in one
transaction (the previous one is marked retired with ``retired_at``) and queues a recompute of
that tag for every customer. Rules are compiled on every write, so an invalid rule never reaches
the table: the caller gets INVALID_ARGUMENT naming line, column and reason.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2
from lingxi.tag.v1 import tag_definition_service_pb2 as svc_pb2
from lingxi_common.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.outbox import emit
from lingxi_tag import library
from lingxi_tag.facts import business_today, load_contexts
from lingxi_tag.models import (
    aggregate_definitions,
    customers,
    outbox,
    recompute_jobs,
    tag_categories,
    tag_definitions,
)
from lingxi_tag.rules import RuleInvalid, compile_rule, tag_value

WRITERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
PREVIEW_CHUNK = 2_000


def require_writer(caller: Caller) -> None:
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role.value} may not change tag definitions (hq_operator only)")


def require_reader(caller: Caller) -> None:
    if caller.role in (Role.CUSTOMER, Role.PARTNER):
        raise PermissionDenied(f"role {caller.role.value} may not read tag definitions")


def rule_error(error: RuleInvalid) -> InvalidArgument:
    first = error.errors[0]
    return InvalidArgument(
        "definition.rule",
        f"line {first.line}, column {first.column} (offset {first.offset}): {first.message}",
    )


def _meta(correlation_id: str = "") -> event_meta_pb2.EventMeta:
    meta = event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="tag", correlation_id=correlation_id)
    meta.occurred_at.GetCurrentTime()
    return meta


def to_proto(row: Any, customer_count: int = 0) -> defs_pb2.TagDefinition:
    m = row._mapping
    definition = defs_pb2.TagDefinition(
        code=m["code"],
        version=m["version"],
        display_name=m["display_name"],
        description=m["description"],
        category_code=m["category_code"],
        owner=m["owner"],
        status=m["status"],
        value_type=m["value_type"],
        options=[
            defs_pb2.TagValueOption(code=o["code"], display_name=o.get("display_name", ""), ordinal=index)
            for index, o in enumerate(m["options"] or [])
        ],
        rule=m["rule"],
        refresh_mode=m["refresh_mode"],
        inputs=list(m["inputs"] or []),
        builtin=m["builtin"],
        customer_count=customer_count,
    )
    definition.created_at.FromDatetime(m["created_at"])
    definition.created_by.CopyFrom(common_customer_pb2.Actor(subject=m["created_by"]))
    if m["activated_at"] is not None:
        definition.activated_at.FromDatetime(m["activated_at"])
    if m["retired_at"] is not None:
        definition.retired_at.FromDatetime(m["retired_at"])
    return definition


async def aggregate_codes(session: AsyncSession) -> list[str]:
    return list((await session.execute(sa.select(aggregate_definitions.c.code))).scalars().all())


async def checked(session: AsyncSession, definition: defs_pb2.TagDefinition) -> list[str]:
    """Validate every field of a definition to be written; returns the rule's inputs."""
    if not _CODE.match(definition.code):
        raise InvalidArgument(
            "definition.code", "2-64 characters: lower-case letters, digits, '_' (starting with a letter)"
        )
    if not definition.display_name.strip():
        raise InvalidArgument("definition.display_name", "required")
    if not definition.category_code:
        raise InvalidArgument("definition.category_code", "required")
    category = (
        await session.execute(
            sa.select(tag_categories.c.code).where(tag_categories.c.code == definition.category_code)
        )
    ).first()
    if category is None:
        raise NotFound("tag category", definition.category_code)
    if definition.value_type == defs_pb2.TAG_VALUE_TYPE_UNSPECIFIED:
        raise InvalidArgument("definition.value_type", "required")
    if definition.value_type == defs_pb2.TAG_VALUE_TYPE_ENUM and not definition.options:
        raise InvalidArgument("definition.options", "an enum tag needs its allowed values")
    if definition.refresh_mode == defs_pb2.REFRESH_MODE_UNSPECIFIED:
        raise InvalidArgument("definition.refresh_mode", "required: REALTIME or DAILY")
    try:
        rule = compile_rule(
            definition.rule,
            aggregate_codes=await aggregate_codes(session),
            value_type=definition.value_type,
            option_codes=[option.code for option in definition.options],
        )
    except RuleInvalid as error:
        raise rule_error(error) from error
    if rule.time_based and definition.refresh_mode == defs_pb2.REFRESH_MODE_REALTIME:
        raise InvalidArgument(
            "definition.refresh_mode",
            "the rule reads time-based inputs (days since/until): it must be refreshed DAILY",
        )
    return list(rule.inputs)


def _values(definition: defs_pb2.TagDefinition, inputs: list[str]) -> dict[str, Any]:
    return {
        "display_name": definition.display_name.strip(),
        "description": definition.description,
        "category_code": definition.category_code,
        "owner": definition.owner,
        "value_type": definition.value_type,
        "options": [{"code": o.code, "display_name": o.display_name} for o in definition.options],
        "rule": definition.rule,
        "refresh_mode": definition.refresh_mode,
        "inputs": inputs,
    }


async def create(
    session: AsyncSession, caller: Caller, definition: defs_pb2.TagDefinition
) -> defs_pb2.TagDefinition:
    require_writer(caller)
    inputs = await checked(session, definition)
    exists = (
        await session.execute(
            sa.select(tag_definitions.c.code).where(tag_definitions.c.code == definition.code)
        )
    ).first()
    if exists is not None:
        raise Conflict(f"tag {definition.code!r} already exists; edit it instead")
    row = (
        await session.execute(
            tag_definitions.insert()
            .values(
                code=definition.code,
                version=1,
                status=defs_pb2.TAG_STATUS_DRAFT,
                created_by=caller.subject,
                **_values(definition, inputs),
            )
            .returning(*tag_definitions.c)
        )
    ).one()
    await _announce(session, row.code, 1, tag_events_pb2.TAG_DEFINITION_CHANGE_CREATED, caller)
    return to_proto(row)


async def _versions(session: AsyncSession, code: str) -> list[Any]:
    rows = (
        await session.execute(
            sa.select(tag_definitions)
            .where(tag_definitions.c.code == code)
            .order_by(tag_definitions.c.version.desc())
        )
    ).all()
    if not rows:
        raise NotFound("tag", code)
    return list(rows)


async def update(
    session: AsyncSession,
    caller: Caller,
    definition: defs_pb2.TagDefinition,
    paths: Iterable[str],
    expected_version: int,
) -> defs_pb2.TagDefinition:
    require_writer(caller)
    versions = await _versions(session, definition.code)
    latest = versions[0]
    if expected_version and expected_version != latest.version:
        raise Conflict(f"tag {definition.code!r} is at version {latest.version}, not {expected_version}")
    merged = to_proto(latest)
    editable = (
        "display_name",
        "description",
        "category_code",
        "owner",
        "value_type",
        "options",
        "rule",
        "refresh_mode",
    )
    chosen = [path for path in paths] or list(editable)
    for path in chosen:
        if path not in editable:
            raise InvalidArgument("update_mask", f"{path!r} is not editable")
        if path == "options":
            del merged.options[:]
            merged.options.extend(definition.options)
        else:
            setattr(merged, path, getattr(definition, path))
    inputs = await checked(session, merged)
    if latest.status == defs_pb2.TAG_STATUS_DRAFT:
        row = (
            await session.execute(
                tag_definitions.update()
                .where(tag_definitions.c.code == latest.code, tag_definitions.c.version == latest.version)
                .values(**_values(merged, inputs))
                .returning(*tag_definitions.c)
            )
        ).one()
        return to_proto(row)
    if latest.status == defs_pb2.TAG_STATUS_RETIRED and all(
        v.status != defs_pb2.TAG_STATUS_ACTIVE for v in versions
    ):
        raise FailedPrecondition(f"tag {definition.code!r} is retired")
    row = (
        await session.execute(
            tag_definitions.insert()
            .values(
                code=latest.code,
                version=latest.version + 1,
                status=defs_pb2.TAG_STATUS_DRAFT,
                builtin=latest.builtin,
                created_by=caller.subject,
                **_values(merged, inputs),
            )
            .returning(*tag_definitions.c)
        )
    ).one()
    return to_proto(row)


async def get(session: AsyncSession, caller: Caller, code: str, version: int = 0) -> defs_pb2.TagDefinition:
    require_reader(caller)
    versions = await _versions(session, code)
    if version:
        for row in versions:
            if row.version == version:
                return to_proto(row)
        raise NotFound("tag version", f"{code}@{version}")
    active = [row for row in versions if row.status == defs_pb2.TAG_STATUS_ACTIVE]
    return to_proto(active[0] if active else versions[0])


async def list_definitions(
    session: AsyncSession, caller: Caller, request: svc_pb2.ListTagDefinitionsRequest
) -> list[defs_pb2.TagDefinition]:
    require_reader(caller)
    statuses = list(request.statuses) or [defs_pb2.TAG_STATUS_DRAFT, defs_pb2.TAG_STATUS_ACTIVE]
    query = sa.select(tag_definitions).where(tag_definitions.c.status.in_(statuses))
    if request.category_code:
        query = query.where(tag_definitions.c.category_code == request.category_code)
    if request.owner:
        query = query.where(tag_definitions.c.owner == request.owner)
    if request.query:
        like = f"%{request.query}%"
        query = query.where(
            sa.or_(
                tag_definitions.c.code.ilike(like),
                tag_definitions.c.display_name.ilike(like),
                tag_definitions.c.description.ilike(like),
            )
        )
    rows = (
        await session.execute(query.order_by(tag_definitions.c.code, tag_definitions.c.version.desc()))
    ).all()
    return [to_proto(row) for row in rows]


async def _announce(session: AsyncSession, code: str, version: int, change: int, caller: Caller) -> None:
    await emit(
        session,
        outbox,
        tag_events_pb2.TagDefinitionChanged(
            meta=_meta(),
            tag_code=code,
            version=version,
            change=change,
            actor=common_customer_pb2.Actor(subject=caller.subject, role=caller.role.value),
        ),
    )


async def preview(
    session: AsyncSession, caller: Caller, code: str, version: int, sample_size: int
) -> svc_pb2.PreviewTagDefinitionResponse:
    """Evaluate one version over every customer in the caller's scope, writing nothing."""
    require_reader(caller)
    started = time.perf_counter()
    versions = await _versions(session, code)
    candidates = [
        row
        for row in versions
        if (row.version == version if version else row.status == defs_pb2.TAG_STATUS_DRAFT)
    ]
    row = candidates[0] if candidates else versions[0]
    codes = await aggregate_codes(session)
    try:
        rule = compile_rule(
            row.rule,
            aggregate_codes=codes,
            value_type=row.value_type,
            option_codes=[o["code"] for o in row.options],
        )
    except RuleInvalid as error:
        raise rule_error(error) from error
    measures = {
        row.code: row.measure
        for row in (
            await session.execute(sa.select(aggregate_definitions.c.code, aggregate_definitions.c.measure))
        ).all()
    }
    sample_size = max(0, min(sample_size or 10, 100))
    distribution: dict[str, int] = {}
    sample: list[str] = []
    evaluated = errors = 0
    example_error = ""
    after = ""
    today = business_today()
    while True:
        query = sa.select(customers.c.customer_id, customers.c.branch_id, customers.c.advisor_id).where(
            customers.c.customer_id > after
        )
        if caller.role is Role.BRANCH_MANAGER:
            query = query.where(customers.c.branch_id == caller.branch_id)
        elif caller.role is Role.ADVISOR:
            query = query.where(customers.c.advisor_id == caller.advisor_id)
        elif not caller.sees_all_customers:
            raise PermissionDenied(f"role {caller.role.value} may not preview tags")
        ids = list(
            (await session.execute(query.order_by(customers.c.customer_id).limit(PREVIEW_CHUNK)))
            .scalars()
            .all()
        )
        if not ids:
            break
        after = ids[-1]
        contexts = await load_contexts(session, ids, measures, today=today)
        for customer_id, context in contexts.items():
            evaluated += 1
            try:
                value = tag_value(rule.evaluate(context), row.value_type)
            except Exception as error:
                errors += 1
                example_error = example_error or f"{customer_id}: {error}"
                continue
            if value:
                distribution[value] = distribution.get(value, 0) + 1
                if len(sample) < sample_size:
                    sample.append(customer_id)
    return svc_pb2.PreviewTagDefinitionResponse(
        count=sum(distribution.values()),
        evaluated=evaluated,
        distribution=[
            svc_pb2.TagValueCount(value=v, count=c)
            for v, c in sorted(distribution.items(), key=lambda i: -i[1])
        ],
        sample_customer_ids=sample,
        errors=errors,
        example_error=example_error,
        elapsed_ms=int((time.perf_counter() - started) * 1000),
    )


async def queue_recompute(
    session: AsyncSession, tag_codes: list[str], business_date: dt.date, job_id: str | None = None
) -> Any:
    statement = (
        postgresql.insert(recompute_jobs)
        .values(
            job_id=job_id or f"rc_{uuid.uuid4().hex[:16]}",
            state=defs_pb2.RECOMPUTE_STATE_QUEUED,
            tag_codes=tag_codes,
            business_date=business_date,
            customers_total=sa.select(sa.func.count()).select_from(customers).scalar_subquery(),
        )
        .on_conflict_do_nothing(index_elements=[recompute_jobs.c.job_id])
        .returning(*recompute_jobs.c)
    )
    row = (await session.execute(statement)).first()
    if row is None and job_id:
        row = (
            await session.execute(sa.select(recompute_jobs).where(recompute_jobs.c.job_id == job_id))
        ).one()
    return row


def job_proto(row: Any) -> defs_pb2.RecomputeJob:
    m = row._mapping
    job = defs_pb2.RecomputeJob(
        job_id=m["job_id"],
        state=m["state"],
        tag_codes=list(m["tag_codes"] or []),
        business_date=m["business_date"].isoformat(),
        customers_total=m["customers_total"],
        customers_done=m["customers_done"],
        changes=m["changes"],
        error=m["error"],
    )
    job.started_at.FromDatetime(m["started_at"])
    if m["finished_at"] is not None:
        job.finished_at.FromDatetime(m["finished_at"])
    return job


async def activate(
    session: AsyncSession, caller: Caller, code: str, version: int
) -> tuple[defs_pb2.TagDefinition, defs_pb2.RecomputeJob]:
    require_writer(caller)
    versions = await _versions(session, code)
    target = (
        next((row for row in versions if row.version == version), None)
        if version
        else next((row for row in versions if row.status == defs_pb2.TAG_STATUS_DRAFT), None)
    )
    if target is None:
        raise NotFound("tag version", f"{code}@{version or 'draft'}")
    if target.status != defs_pb2.TAG_STATUS_DRAFT:
        raise FailedPrecondition(f"version {target.version} of {code!r} is not a draft")
    await session.execute(
        tag_definitions.update()
        .where(tag_definitions.c.code == code, tag_definitions.c.status == defs_pb2.TAG_STATUS_ACTIVE)
        .values(status=defs_pb2.TAG_STATUS_RETIRED, retired_at=sa.func.now())
    )
    row = (
        await session.execute(
            tag_definitions.update()
            .where(tag_definitions.c.code == code, tag_definitions.c.version == target.version)
            .values(status=defs_pb2.TAG_STATUS_ACTIVE, activated_at=sa.func.now())
            .returning(*tag_definitions.c)
        )
    ).one()
    job = await queue_recompute(session, [code], business_today())
    await _announce(session, code, row.version, tag_events_pb2.TAG_DEFINITION_CHANGE_ACTIVATED, caller)
    return to_proto(row), job_proto(job)


async def retire(session: AsyncSession, caller: Caller, code: str) -> defs_pb2.TagDefinition:
    require_writer(caller)
    versions = await _versions(session, code)
    active = next((row for row in versions if row.status == defs_pb2.TAG_STATUS_ACTIVE), None)
    if active is None:
        raise FailedPrecondition(f"tag {code!r} is not active")
    row = (
        await session.execute(
            tag_definitions.update()
            .where(tag_definitions.c.code == code, tag_definitions.c.version == active.version)
            .values(status=defs_pb2.TAG_STATUS_RETIRED, retired_at=sa.func.now())
            .returning(*tag_definitions.c)
        )
    ).one()
    await _announce(session, code, row.version, tag_events_pb2.TAG_DEFINITION_CHANGE_RETIRED, caller)
    return to_proto(row)


async def delete_draft(session: AsyncSession, caller: Caller, code: str) -> None:
    require_writer(caller)
    versions = await _versions(session, code)
    if any(row.status != defs_pb2.TAG_STATUS_DRAFT for row in versions):
        raise FailedPrecondition(f"tag {code!r} has been activated; retire it instead")
    if any(row.builtin for row in versions):
        raise FailedPrecondition(f"tag {code!r} is built in")
    await session.execute(tag_definitions.delete().where(tag_definitions.c.code == code))


async def create_aggregate(
    session: AsyncSession, caller: Caller, definition: customer_pb2.AggregateDefinition
) -> customer_pb2.AggregateDefinition:
    require_writer(caller)
    import cel

    if not _CODE.match(definition.code):
        raise InvalidArgument("definition.code", "2-64 characters: lower-case letters, digits, '_'")
    if not definition.event_name.strip():
        raise InvalidArgument("definition.event_name", "required (comma-separated event names)")
    if definition.measure == customer_pb2.AGGREGATE_MEASURE_UNSPECIFIED:
        raise InvalidArgument("definition.measure", "required")
    if definition.measure == customer_pb2.AGGREGATE_MEASURE_SUM and not definition.sum_property:
        raise InvalidArgument("definition.sum_property", "required for SUM")
    days = definition.window.seconds // 86400
    if days < 1 or days > 400:
        raise InvalidArgument("definition.window", "whole days between 1 and 400")
    if definition.property_filter:
        try:
            cel.compile(definition.property_filter)
        except ValueError as error:
            from lingxi_tag.rules import parse_errors

            first = parse_errors(definition.property_filter, str(error))[0]
            raise InvalidArgument("definition.property_filter", first.describe()) from error
    inserted = (
        await session.execute(
            postgresql.insert(aggregate_definitions)
            .values(
                code=definition.code,
                description=definition.description,
                event_name=definition.event_name,
                property_filter=definition.property_filter,
                measure=definition.measure,
                sum_property=definition.sum_property,
                window_days=days,
            )
            .on_conflict_do_nothing(index_elements=[aggregate_definitions.c.code])
            .returning(aggregate_definitions.c.code)
        )
    ).first()
    if inserted is None:
        raise Conflict(f"aggregate {definition.code!r} already exists")
    return definition


async def install_library(session: AsyncSession) -> int:
    """Install missing built-in categories, aggregates and tags (active, version 1); idempotent."""
    for ordinal, (code, name) in enumerate(library.CATEGORIES):
        await session.execute(
            postgresql.insert(tag_categories)
            .values(code=code, display_name=name, ordinal=ordinal)
            .on_conflict_do_nothing(index_elements=[tag_categories.c.code])
        )
    for aggregate in library.AGGREGATES:
        await session.execute(
            postgresql.insert(aggregate_definitions)
            .values(
                code=aggregate.code,
                description=aggregate.description,
                event_name=aggregate.event_name,
                property_filter=aggregate.property_filter,
                measure=aggregate.measure,
                sum_property=aggregate.sum_property,
                window_days=aggregate.window_days,
            )
            .on_conflict_do_nothing(index_elements=[aggregate_definitions.c.code])
        )
    codes = [aggregate.code for aggregate in library.AGGREGATES]
    installed = 0
    for tag in library.TAGS:
        rule = compile_rule(
            tag.rule,
            aggregate_codes=codes,
            value_type=tag.value_type,
            option_codes=[o for o, _ in tag.options],
        )
        result = await session.execute(
            postgresql.insert(tag_definitions)
            .values(
                code=tag.code,
                version=1,
                display_name=tag.display_name,
                description=tag.description,
                category_code=tag.category,
                owner="lingxi",
                status=defs_pb2.TAG_STATUS_ACTIVE,
                value_type=tag.value_type,
                options=[{"code": code, "display_name": name} for code, name in tag.options],
                rule=tag.rule,
                refresh_mode=tag.refresh,
                inputs=list(rule.inputs),
                builtin=True,
                created_by="lingxi",
                activated_at=sa.func.now(),
            )
            .on_conflict_do_nothing(index_elements=[tag_definitions.c.code, tag_definitions.c.version])
            .returning(tag_definitions.c.code)
        )
        installed += len(result.all())
    return installed
