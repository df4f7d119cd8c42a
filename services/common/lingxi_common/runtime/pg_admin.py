"""Database-level administration over asyncpg: create and drop databases, rewrite URLs.

Shared by the embedded server, the test fixtures and external servers alike, so a test gets the
same fresh-database behaviour whether PostgreSQL is embedded, a container or named by
DATABASE_URL. URLs stay in SQLAlchemy form (postgresql+asyncpg://…) because that is what every
Lingxi process reads; asyncpg gets the plain libpq form.
"""

from __future__ import annotations

import re

import asyncpg
from sqlalchemy.engine import make_url

from lingxi_common.runtime.sync_async import run_sync

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def quote_identifier(name: str) -> str:
    """Quote a database or role name, accepting only plain identifiers.

    CREATE/DROP DATABASE cannot take bind parameters, so names are validated instead of escaped.
    """
    if not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a plain identifier (letters, digits, underscore; max 63)")
    return f'"{name}"'


def sqlalchemy_url(url: str) -> str:
    """The same server and database as a postgresql+asyncpg:// URL."""
    return make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def asyncpg_dsn(url: str) -> str:
    """The libpq-style DSN asyncpg accepts for a SQLAlchemy or plain PostgreSQL URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, database: str) -> str:
    """`url` pointing at another database on the same server."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


async def _execute(url: str, sql: str, time_limit: float) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url), timeout=time_limit)
    try:
        await conn.execute(sql, timeout=time_limit)
    finally:
        await conn.close(timeout=time_limit)


async def _database_exists(url: str, name: str, time_limit: float) -> bool:
    conn = await asyncpg.connect(asyncpg_dsn(url), timeout=time_limit)
    try:
        found = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name, timeout=time_limit)
    finally:
        await conn.close(timeout=time_limit)
    return bool(found)


def create_database(admin_url: str, name: str, *, exist_ok: bool = False, timeout: float = 30.0) -> str:
    """Create database `name` on the server of `admin_url`; return its SQLAlchemy URL."""
    quoted = quote_identifier(name)
    if exist_ok and run_sync(lambda: _database_exists(admin_url, name, timeout)):
        return sqlalchemy_url(with_database(admin_url, name))
    run_sync(lambda: _execute(admin_url, f"CREATE DATABASE {quoted}", timeout))
    return sqlalchemy_url(with_database(admin_url, name))


def drop_database(admin_url: str, name: str, *, timeout: float = 30.0) -> None:
    """Drop database `name` if it exists, disconnecting whoever still uses it (PostgreSQL 13+)."""
    quoted = quote_identifier(name)
    run_sync(lambda: _execute(admin_url, f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", timeout))
