"""Where the test servers come from, in order of preference.

1. DATABASE_URL / NATS_URL: existing servers (a developer's own, or CI services). Nothing is
   started or stopped; each test still gets its own database.
2. testcontainers, when a Docker engine answers a ping: `postgres:16-alpine`, `nats:2.10 -js`.
3. The embedded servers from the wheels, on free ports in temporary directories — what runs on a
   machine without Docker (and in this repository's CI). They run fine when pytest is root:
   PostgreSQL then drops to the `pgserver` system user.

Whatever the source, tests see the same two small objects below, so no test knows or cares.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lingxi_common.runtime import pg_admin
from lingxi_common.runtime.embedded_nats import EmbeddedNats
from lingxi_common.runtime.embedded_postgres import FAST_UNSAFE_SETTINGS, EmbeddedPostgres
from lingxi_common.runtime.ports import find_free_port

log = logging.getLogger(__name__)

POSTGRES_IMAGE = "postgres:16-alpine"
NATS_IMAGE = "nats:2.10"
_DOCKER_SOCKETS = (
    Path("/var/run/docker.sock"),
    Path.home() / ".docker" / "run" / "docker.sock",
    Path.home() / ".docker" / "desktop" / "docker.sock",
    Path(f"/run/user/{os.getuid()}/docker.sock"),
)


def _noop() -> None:
    return None


@dataclass
class PostgresServer:
    """A PostgreSQL server for the test session.

    `url` is a postgresql+asyncpg:// URL of a database the tests may use; `kind` says where the
    server came from ("external", "container" or "embedded").
    """

    url: str
    kind: str
    _stop: Callable[[], None] = field(default=_noop, repr=False)

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL (same credentials as `url`)."""
        pg_admin.create_database(self.url, name)
        return pg_admin.sqlalchemy_url(pg_admin.with_database(self.url, name))

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting sessions a test may have leaked."""
        pg_admin.drop_database(self.url, name)

    def stop(self) -> None:
        """Stop the server if this session started it (external servers are left alone)."""
        stop, self._stop = self._stop, _noop
        stop()


@dataclass
class NatsServer:
    """A NATS JetStream server for the test session: `url` (nats://…) and `kind`."""

    url: str
    kind: str
    _stop: Callable[[], None] = field(default=_noop, repr=False)

    def stop(self) -> None:
        stop, self._stop = self._stop, _noop
        stop()


@functools.lru_cache(maxsize=1)
def docker_available() -> bool:
    """True when a Docker engine answers a ping (checked once per session, 3 s at most).

    LINGXI_TESTS_NO_DOCKER=1 forces the embedded servers even where Docker runs.
    """
    if os.environ.get("LINGXI_TESTS_NO_DOCKER", "").strip() in {"1", "true", "yes"}:
        return False
    if not os.environ.get("DOCKER_HOST") and not any(path.exists() for path in _DOCKER_SOCKETS):
        # No engine to ask; also spares the docker client's unclosed-socket warning on failure.
        return False
    try:
        import docker

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def _temp_dir(prefix: str) -> Path:
    """A private directory directly under the system temp dir.

    Not pytest's tmp_path: pytest keeps `/tmp/pytest-of-<user>` at mode 0700 (and resets it at
    every session start), which the unprivileged PostgreSQL user cannot traverse when we are root.
    """
    return Path(tempfile.mkdtemp(prefix=prefix))


def start_postgres_server() -> PostgresServer:
    """Provide PostgreSQL from DATABASE_URL, a container, or the embedded server."""
    external = os.environ.get("DATABASE_URL", "").strip()
    if external:
        return PostgresServer(url=pg_admin.sqlalchemy_url(external), kind="external")
    if docker_available():
        from testcontainers.community.postgres import PostgresContainer

        container = PostgresContainer(POSTGRES_IMAGE, driver="asyncpg")
        container.start()
        return PostgresServer(url=container.get_connection_url(), kind="container", _stop=container.stop)
    directory = _temp_dir("lingxi-test-pg-")
    server = EmbeddedPostgres(directory, find_free_port(), settings=FAST_UNSAFE_SETTINGS)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise

    def stop() -> None:
        try:
            server.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    return PostgresServer(url=server.url, kind="embedded", _stop=stop)


def start_nats_server() -> NatsServer:
    """Provide NATS JetStream from NATS_URL, a container, or the embedded server."""
    external = os.environ.get("NATS_URL", "").strip()
    if external:
        return NatsServer(url=external, kind="external")
    if docker_available():
        with warnings.catch_warnings():  # its readiness decorator is deprecated upstream; not our call
            warnings.simplefilter("ignore", DeprecationWarning)
            from testcontainers.community.nats import NatsContainer

        container = NatsContainer(NATS_IMAGE, jetstream=True)
        container.start()
        return NatsServer(url=container.nats_uri(), kind="container", _stop=container.stop)
    directory = _temp_dir("lingxi-test-nats-")
    server = EmbeddedNats(directory, find_free_port())
    try:
        server.start()
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise

    def stop() -> None:
        try:
            server.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    return NatsServer(url=server.url, kind="embedded", _stop=stop)


def stop_quietly(stop: Callable[[], None], what: str) -> None:
    """Run a teardown step; a failure becomes a warning so it cannot mask the test's own result."""
    try:
        stop()
    except Exception as error:
        warnings.warn(f"stopping the test {what} failed: {error!r}", RuntimeWarning, stacklevel=2)
