"""Read side of the tag catalog and the category tree: versions of a tag, categories, aggregates.

Small lists (tens to hundreds of rows), returned whole; the page fields of the requests are
accepted but every answer is a single page.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from google.protobuf import duration_pb2
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.tag.v1 import customer_pb2
from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2
from lingxi_common.errors import InvalidArgument, NotFound
from lingxi_common.identity import Caller
from lingxi_tag.definitions import require_reader, require_writer, to_proto
from lingxi_tag.models import aggregate_definitions, tag_categories, tag_definitions

_CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


async def versions(session: AsyncSession, caller: Caller, code: str) -> list[defs_pb2.TagDefinition]:
    """Every version of one tag, newest first (audit of who changed the rule when)."""
    require_reader(caller)
    rows = (
        await session.execute(
            sa.select(tag_definitions)
            .where(tag_definitions.c.code == code)
            .order_by(tag_definitions.c.version.desc())
        )
    ).all()
    if not rows:
        raise NotFound("tag", code)
    return [to_proto(row) for row in rows]


def _category(row: Any) -> defs_pb2.TagCategory:
    return defs_pb2.TagCategory(
        code=row.code, display_name=row.display_name, parent_code=row.parent_code, ordinal=row.ordinal
    )


async def categories(session: AsyncSession, caller: Caller) -> list[defs_pb2.TagCategory]:
    require_reader(caller)
    rows = (
        await session.execute(
            sa.select(tag_categories).order_by(
                tag_categories.c.parent_code, tag_categories.c.ordinal, tag_categories.c.code
            )
        )
    ).all()
    return [_category(row) for row in rows]


async def upsert_category(
    session: AsyncSession, caller: Caller, category: defs_pb2.TagCategory
) -> defs_pb2.TagCategory:
    """Create a category or rename / move / reorder one; a parent must exist and not be itself."""
    require_writer(caller)
    if not _CATEGORY.match(category.code):
        raise InvalidArgument("category.code", "1-64 characters: lower-case letters, digits, '_'")
    if not category.display_name.strip() or len(category.display_name) > 64:
        raise InvalidArgument("category.display_name", "required, at most 64 characters")
    if category.parent_code:
        if category.parent_code == category.code:
            raise InvalidArgument("category.parent_code", "a category cannot be its own parent")
        parent = (
            await session.execute(
                sa.select(tag_categories.c.code).where(tag_categories.c.code == category.parent_code)
            )
        ).first()
        if parent is None:
            raise InvalidArgument("category.parent_code", f"unknown category {category.parent_code!r}")
    values = {
        "display_name": category.display_name.strip(),
        "parent_code": category.parent_code,
        "ordinal": category.ordinal,
    }
    statement = postgresql.insert(tag_categories).values(code=category.code, **values)
    row = (
        await session.execute(
            statement.on_conflict_do_update(index_elements=[tag_categories.c.code], set_=values).returning(
                *tag_categories.c
            )
        )
    ).one()
    return _category(row)


async def aggregates(session: AsyncSession, caller: Caller) -> list[customer_pb2.AggregateDefinition]:
    require_reader(caller)
    result = []
    for row in (
        await session.execute(sa.select(aggregate_definitions).order_by(aggregate_definitions.c.code))
    ).all():
        definition = customer_pb2.AggregateDefinition(
            code=row.code,
            description=row.description,
            event_name=row.event_name,
            property_filter=row.property_filter,
            measure=row.measure,
            sum_property=row.sum_property,
            window=duration_pb2.Duration(seconds=row.window_days * 86400),
        )
        definition.created_at.FromDatetime(row.created_at)
        result.append(definition)
    return result
