"""pytest fixtures giving tests real PostgreSQL and NATS (loaded for the whole repository).

Session-scoped servers start once, on first use, and are stopped at session end whatever the
outcome (and, should pytest itself be killed, by the parent-death signal of the embedded
servers). Per-test isolation comes from a fresh database per test, not from fresh servers,
which keeps the suite fast.

Fixtures:
    postgres_server   PostgresServer: .url, .kind, .create_database(name) -> url, .drop_database(name)
    nats_server       NatsServer: .url, .kind
    database_url      str: URL of an empty database of its own, dropped after the test
    restartable_nats  EmbeddedNats of the test's own: .url, .stop(), .start(), .restart()
                      (same port and JetStream store), for outage tests
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lingxi_common.runtime.embedded_nats import EmbeddedNats
from lingxi_common.runtime.ports import find_free_port
from lingxi_common.testing.servers import (
    NatsServer,
    PostgresServer,
    start_nats_server,
    start_postgres_server,
    stop_quietly,
)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL (DATABASE_URL, a container, or embedded)."""
    server = start_postgres_server()
    try:
        yield server
    finally:
        stop_quietly(server.stop, "PostgreSQL server")


@pytest.fixture(scope="session")
def nats_server() -> Iterator[NatsServer]:
    """The session's NATS JetStream (NATS_URL, a container, or embedded)."""
    server = start_nats_server()
    try:
        yield server
    finally:
        stop_quietly(server.stop, "NATS server")


def _database_name(test_name: str) -> str:
    """A unique, valid and recognisable database name: t_<test name>_<random>."""
    slug = re.sub(r"[^a-z0-9_]+", "_", test_name.lower()).strip("_")[:40]
    return f"t_{slug}_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def database_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """URL (postgresql+asyncpg://…) of a fresh, empty database for this test only."""
    name = _database_name(request.node.name)
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        stop_quietly(lambda: postgres_server.drop_database(name), f"database {name}")


@pytest.fixture
def restartable_nats(tmp_path: Path) -> Iterator[EmbeddedNats]:
    """A NATS JetStream server of this test's own that the test may stop and start again."""
    server = EmbeddedNats(tmp_path / "nats", find_free_port())
    server.start()
    try:
        yield server
    finally:
        stop_quietly(server.stop, "restartable NATS server")
