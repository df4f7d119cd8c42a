"""Set-based writes for the hot path: a whole batch of rows in one statement over `unnest`.

A SendBatch writes a thousand ledger rows and their history; the dispatcher records hundreds of
outcomes at a time. As executemany each row's parameters pass through SQLAlchemy one by one (and
each row is a statement for PostgreSQL); here each column travels as one array parameter, which
asyncpg encodes in C, and PostgreSQL plans one statement for the batch. The statements still run
on the session's connection, inside its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession


def _sql_type(column: sa.Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, JSONB):
        return "jsonb"
    if isinstance(kind, sa.DateTime):
        return "timestamptz"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.LargeBinary):
        return "bytea"
    if isinstance(kind, sa.SmallInteger):
        return "smallint"
    if isinstance(kind, sa.BigInteger):
        return "bigint"
    if isinstance(kind, sa.Integer):
        return "integer"
    if isinstance(kind, sa.Boolean):
        return "boolean"
    return "text"


def _arrays(table: sa.Table, names: Sequence[str], rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    params: dict[str, list[Any]] = {}
    for index, name in enumerate(names):
        values = [row.get(name) for row in rows]
        if _sql_type(table.c[name]) == "jsonb":  # travels as text, cast in SQL
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        params[f"p{index}"] = values
    return params


def _unnest(table: sa.Table, names: Sequence[str]) -> tuple[str, str]:
    """(FROM clause, select list) reading `names` of `table` from array parameters p0…pN."""
    arrays = []
    selected = []
    for index, name in enumerate(names):
        kind = _sql_type(table.c[name])
        arrays.append(f"CAST(:p{index} AS {'text' if kind == 'jsonb' else kind}[])")
        selected.append(f"u.{name}::jsonb" if kind == "jsonb" else f"u.{name}")
    return f"unnest({', '.join(arrays)}) AS u({', '.join(names)})", ", ".join(selected)


async def insert(
    session: AsyncSession,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    on_conflict: str = "",
    returning: str = "",
) -> list[sa.Row[Any]]:
    """INSERT every row in one statement (`on_conflict` / `returning` as SQL text, e.g.
    "ON CONFLICT (idempotency_key) DO NOTHING", "message_id")."""
    if not rows:
        return []
    names = list(rows[0])
    source, selected = _unnest(table, names)
    # Identifiers come from the table's metadata and clauses from our code; values are parameters.
    target = f"{table.schema}.{table.name} ({', '.join(names)})"
    sql = f"INSERT INTO {target} SELECT {selected} FROM {source} {on_conflict}"  # noqa: S608
    if returning:
        sql += f" RETURNING {returning}"
    result = await session.execute(sa.text(sql), _arrays(table, names, rows))
    return list(result.all()) if returning else []


async def update(
    session: AsyncSession,
    table: sa.Table,
    key: str,
    rows: Sequence[dict[str, Any]],
    assignments: str,
) -> None:
    """UPDATE the rows matching each row's `key` in one statement; `assignments` is the SET list,
    reading new values as `u.<column>` and current ones as `t.<column>`."""
    if not rows:
        return
    names = list(rows[0])
    source, _ = _unnest(table, names)
    # Identifiers come from the table's metadata and clauses from our code; values are parameters.
    sql = f"UPDATE {table.schema}.{table.name} AS t SET {assignments} FROM {source} WHERE t.{key} = u.{key}"  # noqa: S608
    await session.execute(sa.text(sql), _arrays(table, names, rows))
