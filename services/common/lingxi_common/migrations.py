"""Alembic migrations, one history per service, each in its own schema.

A service's `migrations/env.py` is two lines that call `run_env`; the shared logic here creates
the schema, keeps the version table inside it, and holds a PostgreSQL advisory lock so that
replicas starting together do not migrate twice. Schema changes happen only here, never through
`metadata.create_all`.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from lingxi_common.db import async_url
from lingxi_common.settings import CommonSettings, load_settings

log = logging.getLogger(__name__)


def alembic_config(service_name: str, database_url: str) -> Config:
    package = importlib.import_module(f"lingxi_{service_name}")
    assert package.__file__ is not None
    config = Config()
    config.set_main_option("script_location", str(Path(package.__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", async_url(database_url).replace("%", "%%"))
    config.attributes["service_name"] = service_name
    return config


def _lock_id(schema: str) -> int:
    return int.from_bytes(
        hashlib.sha256(f"lingxi-migrate:{schema}".encode()).digest()[:8], "big", signed=True
    )


def _run_upgrade(connection: Connection, metadata: MetaData, schema: str) -> None:
    connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _lock_id(schema)})
    try:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=False,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _lock_id(schema)})
        connection.commit()


def run_env(metadata: MetaData) -> None:
    """Body of every service's `migrations/env.py` (online mode only: we always have a DB)."""
    schema = metadata.schema
    if not schema:
        raise RuntimeError("service metadata must name its schema")
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None

    async def upgrade() -> None:
        engine = create_async_engine(url, poolclass=sa.pool.NullPool)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(_run_upgrade, metadata, schema)
        finally:
            await engine.dispose()

    asyncio.run(upgrade())


async def migrate_service(service_name: str, database_url: str) -> None:
    """Upgrade one service's schema to head; safe to call from a running event loop."""
    config = alembic_config(service_name, database_url)
    # Alembic's env.py runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(command.upgrade, config, "head")
    log.info("schema migrated", extra={"schema": service_name})


async def migrate_services(service_names: list[str], database_url: str | None = None) -> None:
    url = database_url or load_settings(CommonSettings).database_url
    for name in service_names:
        await migrate_service(name, url)
