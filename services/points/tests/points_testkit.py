"""Helpers of the points service tests: a migrated database, members, and the invariant check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.events.v1 import tag_events_pb2
from lingxi_common.db import create_engine, session_factory, transaction
from lingxi_common.migrations import migrate_service
from lingxi_points.audit import ledger_violations
from lingxi_points.members import open_or_update_member


@asynccontextmanager
async def ledger_database(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The points schema migrated into the test's database, and a session factory on it."""
    await migrate_service("points", database_url)
    engine = create_engine(database_url, application_name="points-tests", pool_size=20)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def open_members(
    sessions: async_sessionmaker[AsyncSession], *customer_ids: str, branch: str = "B01", advisor: str = "A01"
) -> None:
    async with transaction(sessions) as session:
        for customer_id in customer_ids:
            await open_or_update_member(
                session,
                tag_events_pb2.CustomerChanged(
                    customer_id=customer_id, branch_id=branch, advisor_id=advisor, version=1
                ),
            )


async def assert_ledger_sound(
    sessions: async_sessionmaker[AsyncSession], customer_ids: list[str] | None = None
) -> None:
    async with sessions() as session:
        violations = await ledger_violations(session, customer_ids)
    assert violations == [], violations
