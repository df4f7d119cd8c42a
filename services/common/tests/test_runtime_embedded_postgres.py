"""The embedded PostgreSQL: real connections, databases, restarts and crash recovery."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import psutil
import pytest

from lingxi_common.runtime.embedded_postgres import FAST_UNSAFE_SETTINGS, EmbeddedPostgres
from lingxi_common.runtime.errors import PortInUseError
from lingxi_common.runtime.pg_admin import asyncpg_dsn
from lingxi_common.runtime.ports import find_free_port
from lingxi_common.testing import PostgresServer


@pytest.fixture(scope="module")
def pg_dir() -> Iterator[Path]:
    # Under /tmp directly: the unprivileged server user cannot traverse pytest's 0700 tmp root.
    directory = Path(tempfile.mkdtemp(prefix="lingxi-test-embedded-pg-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def embedded_pg(pg_dir: Path) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(pg_dir, find_free_port(), settings=FAST_UNSAFE_SETTINGS)
    server.start()
    yield server
    server.stop()


async def _scalar(url: str, sql: str) -> object:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def test_accepts_asyncpg_connection_as_lingxi(embedded_pg: EmbeddedPostgres) -> None:
    assert embedded_pg.url == f"postgresql+asyncpg://lingxi@127.0.0.1:{embedded_pg.port}/lingxi"
    assert (
        await _scalar(embedded_pg.url, "SELECT current_user || '@' || current_database()") == "lingxi@lingxi"
    )
    version = await _scalar(embedded_pg.url, "SHOW server_version")
    assert isinstance(version, str) and version.startswith("16.")
    assert await _scalar(embedded_pg.url, "SHOW server_encoding") == "UTF8"


async def test_create_database_returns_a_working_url(embedded_pg: EmbeddedPostgres) -> None:
    url = embedded_pg.create_database("runtime_created")
    assert url.endswith(f":{embedded_pg.port}/runtime_created")
    assert await _scalar(url, "SELECT current_database()") == "runtime_created"
    assert (
        await _scalar(
            url,
            "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()",
        )
        == "lingxi"
    )
    embedded_pg.drop_database("runtime_created")
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await _scalar(url, "SELECT 1")


def test_create_database_rejects_unsafe_names(embedded_pg: EmbeddedPostgres) -> None:
    with pytest.raises(ValueError, match="plain identifier"):
        embedded_pg.create_database('x"; DROP DATABASE lingxi; --')


def test_not_running_as_root(embedded_pg: EmbeddedPostgres) -> None:
    assert embedded_pg.pid is not None
    owner = psutil.Process(embedded_pg.pid).uids().effective
    assert owner != 0
    if os.geteuid() != 0:
        assert owner == os.geteuid()


def test_port_collision_names_the_holder(embedded_pg: EmbeddedPostgres, tmp_path: Path) -> None:
    other = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="lingxi-test-pg-clash-")), embedded_pg.port)
    try:
        with pytest.raises(PortInUseError) as caught:
            other.start()
        message = str(caught.value)
        assert (
            f"127.0.0.1:{embedded_pg.port} is already in use by postgres (pid {embedded_pg.pid})" in message
        )
        assert "DATABASE_URL" in message
        assert not other.is_running()
    finally:
        shutil.rmtree(other.data_dir, ignore_errors=True)


def _crash_leaving_a_misleading_pidfile(server: EmbeddedPostgres) -> None:
    """SIGKILL the postmaster (postmaster.pid stays behind), then point the file at a live process
    that is not PostgreSQL, as happens when the pid is reused after a reboot."""
    assert server.pid is not None
    os.killpg(server.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while server.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    pidfile = server.pgdata / "postmaster.pid"
    assert pidfile.exists()
    lines = pidfile.read_text().splitlines()
    pidfile.write_text("\n".join([str(os.getpid()), *lines[1:]]) + "\n")


async def test_restart_keeps_data_and_recovers_from_a_crash(embedded_pg: EmbeddedPostgres) -> None:
    url = embedded_pg.create_database("survives")
    conn = await asyncpg.connect(asyncpg_dsn(url))
    await conn.execute("CREATE TABLE t (v int); INSERT INTO t VALUES (42)")
    await conn.close()

    embedded_pg.stop()
    assert not embedded_pg.is_running()
    embedded_pg.start()
    assert await _scalar(url, "SELECT v FROM t") == 42

    old_pid = embedded_pg.pid
    _crash_leaving_a_misleading_pidfile(embedded_pg)
    embedded_pg.start()
    assert embedded_pg.pid != old_pid
    assert await _scalar(url, "SELECT v FROM t") == 42


def test_session_fixture_serves_isolated_databases(
    postgres_server: PostgresServer, database_url: str
) -> None:
    assert postgres_server.kind in {"external", "container", "embedded"}
    assert database_url.startswith("postgresql+asyncpg://")
    assert database_url != postgres_server.url


async def test_database_url_fixture_is_empty(database_url: str) -> None:
    tables = await _scalar(
        database_url,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN "
        "('pg_catalog', 'information_schema')",
    )
    assert tables == 0
    await _scalar(database_url, "CREATE TABLE leftover (id int)")  # must not leak into other tests
