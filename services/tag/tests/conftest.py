"""Fixtures of the tag service's behaviour, definition and audience tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from test_behavior_tags import wait_until

from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import running_service
from lingxi_tag.main import DEFINITION


@pytest.fixture
async def tag(database_url: str, restartable_nats: Any) -> AsyncIterator[ServiceRunner]:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        await wait_until(lambda: _library_ready(runner), "built-in library installed")
        yield runner


async def _library_ready(runner: ServiceRunner) -> bool:
    async with runner.context.sessions() as session:
        count = (await session.execute(sa.text("SELECT count(*) FROM tag.tag_definitions"))).scalar_one()
        busy = (
            await session.execute(sa.text("SELECT count(*) FROM tag.recompute_jobs WHERE state IN (1, 2)"))
        ).scalar_one()
    return bool(count >= 40 and busy == 0)
