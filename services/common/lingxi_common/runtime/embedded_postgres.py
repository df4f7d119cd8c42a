"""PostgreSQL 16 from the `pgserver` wheel, as a child process on a loopback TCP port.

pgserver's own `get_server` listens on a Unix socket only, and Lingxi's processes (and anyone's
psql or IDE) connect over TCP with a normal URL, so we drive the wheel's binaries ourselves:
`initdb` once, then `postgres -D … -p … -h 127.0.0.1 -k <socket dir>` under our supervision.

Layout under `data_dir`:
    pgdata/          the cluster (owned by the server's user, mode 0700)
    run/             the Unix socket directory (a short temp dir when the path is too long)
    postgres.log     the server's stdout/stderr unless `log_path` says otherwise

Authentication is `trust`: the server listens on loopback only and exists for development and
tests. Never point production at it.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import asyncpg
import psutil

from lingxi_common.runtime import pg_admin
from lingxi_common.runtime.errors import EmbeddedServerError
from lingxi_common.runtime.ports import describe_process, ensure_port_free
from lingxi_common.runtime.privileges import (
    RunAs,
    ensure_binaries_usable,
    ensure_traversable,
    postgres_run_as,
)
from lingxi_common.runtime.processes import (
    death_signal_preexec,
    indent,
    live_owner,
    open_log,
    stop_orphan,
    stop_process_group,
    tail,
)
from lingxi_common.runtime.sync_async import run_sync

log = logging.getLogger(__name__)

BOOTSTRAP_SUPERUSER = "postgres"
# Unix socket paths are limited to 108 bytes (sun_path) including the terminating NUL.
_MAX_SOCKET_PATH = 100

# Settings for throw-away test clusters: durability traded for speed, never for `lingxi up`.
FAST_UNSAFE_SETTINGS: Mapping[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


def postgres_bin_dir() -> Path:
    """Where the pgserver wheel installed its PostgreSQL binaries.

    Importing pgserver pulls in platformdirs, which warns when XDG_RUNTIME_DIR is unset (always,
    in containers); the warning is about a feature we do not use, so it is silenced.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


class EmbeddedPostgres:
    """A PostgreSQL server owned by this process: initialised once, started, stopped.

    `start()` is idempotent and recovers from a crash of a previous owner (stale
    `postmaster.pid`, orphaned postmaster). The role and database `lingxi` are created when
    missing, so `url` works right after `start()`.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int,
        host: str = "127.0.0.1",
        *,
        log_path: Path | None = None,
        user: str = "lingxi",
        database: str = "lingxi",
        settings: Mapping[str, str] | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.host = host
        self.user = user
        self.database = database
        self.pgdata = self.data_dir / "pgdata"
        self.log_path = Path(log_path).absolute() if log_path else self.data_dir / "postgres.log"
        self.start_timeout = start_timeout
        self.settings: dict[str, str] = {"max_connections": "300", **(settings or {})}
        self.started_in: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._socket_dir: Path | None = None
        self._temp_socket_dir = False

    # -- URLs -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the `lingxi` database as the `lingxi` role."""
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def admin_url(self) -> str:
        """URL of the bootstrap superuser on the maintenance database (for DDL on databases)."""
        return f"postgresql+asyncpg://{BOOTSTRAP_SUPERUSER}@{self.host}:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        """URL of database `name` on this server as the `lingxi` role."""
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{name}"

    def create_database(self, name: str, *, exist_ok: bool = False) -> str:
        """Create an empty database owned by the `lingxi` role and return its URL."""
        pg_admin.create_database(self.admin_url, name, exist_ok=exist_ok)
        owner = pg_admin.quote_identifier(self.user)
        run_sync(
            lambda: _execute(
                self.admin_url, f"ALTER DATABASE {pg_admin.quote_identifier(name)} OWNER TO {owner}"
            )
        )
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        """Drop database `name`, disconnecting its sessions."""
        pg_admin.drop_database(self.admin_url, name)

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Initialise the cluster if needed, start the server and wait until it accepts connections."""
        if self.is_running():
            return
        began = time.monotonic()
        run_as = postgres_run_as()
        self._prepare_directories(run_as)
        self._handle_previous_postmaster()
        ensure_port_free(
            self.host,
            self.port,
            "the embedded PostgreSQL",
            "Stop that process, or use an existing server by setting DATABASE_URL.",
        )
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(run_as)
        self._spawn(run_as)
        try:
            self._wait_until_ready(began + self.start_timeout)
            self._bootstrap()
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began
        log.info("PostgreSQL ready on %s:%s in %.2fs", self.host, self.port, self.started_in)

    def stop(self, timeout: float = 15.0) -> None:
        """Fast shutdown (SIGINT: roll back sessions, checkpoint, exit); SIGKILL after `timeout`."""
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process_group(proc, first_signal=signal.SIGINT, grace=timeout, signal_leader_only=True)
        if self._temp_socket_dir and self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- steps ------------------------------------------------------------------------------

    def _prepare_directories(self, run_as: RunAs | None) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        socket_dir = self.data_dir / "run"
        self._temp_socket_dir = len(str(socket_dir / f".s.PGSQL.{self.port}")) > _MAX_SOCKET_PATH
        if self._temp_socket_dir:
            socket_dir = Path(tempfile.mkdtemp(prefix="lingxi-pg-"))
        socket_dir.mkdir(exist_ok=True)
        self._socket_dir = socket_dir
        if self.pgdata.exists() and not (self.pgdata / "PG_VERSION").exists():
            # initdb died half-way in an earlier run; it refuses a non-empty directory.
            log.warning("removing incomplete PostgreSQL data directory %s", self.pgdata)
            shutil.rmtree(self.pgdata)
        if run_as is None:
            return
        ensure_binaries_usable(postgres_bin_dir(), run_as)
        run_as.chown(self.data_dir)
        run_as.chown(socket_dir)
        ensure_traversable(self.data_dir, run_as)
        ensure_traversable(socket_dir, run_as)
        if self.pgdata.exists() and self.pgdata.stat().st_uid != run_as.uid:
            run_as.chown_tree(self.pgdata)

    def _handle_previous_postmaster(self) -> None:
        """Deal with a postmaster.pid left behind by an earlier owner of this data directory.

        A dead pid (or one reused by an unrelated process) means a crash: the file is removed,
        because PostgreSQL would otherwise refuse to start whenever the pid happens to be alive.
        A live postmaster on our data directory whose parent is gone is an orphan of a killed
        run: it is shut down. One whose parent still runs belongs to someone else: we stop.
        """
        pidfile = self.pgdata / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except FileNotFoundError:
            return
        except (ValueError, IndexError, OSError):
            log.warning("removing unreadable %s", pidfile)
            pidfile.unlink(missing_ok=True)
            return
        if not self._is_our_postmaster(pid):
            log.warning("removing stale %s (pid %s is not a running postmaster)", pidfile, pid)
            pidfile.unlink(missing_ok=True)
            return
        parent = live_owner(pid)
        if parent is not None:
            raise EmbeddedServerError(
                f"PostgreSQL for {self.pgdata} is already running (pid {pid}, started by "
                f"{describe_process(parent)}). Stop that first, or use another data directory."
            )
        log.warning("shutting down orphaned PostgreSQL (pid %s) left by an earlier run", pid)
        stop_orphan(pid, signal.SIGINT, grace_seconds=15)  # SIGINT = PostgreSQL's fast shutdown
        pidfile.unlink(missing_ok=True)

    def _is_our_postmaster(self, pid: int) -> bool:
        try:
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                return False
            cmdline = proc.cmdline()
        except psutil.Error:
            return False
        return bool(cmdline) and Path(cmdline[0]).name == "postgres" and str(self.pgdata) in cmdline

    def _initdb(self, run_as: RunAs | None) -> None:
        began = time.monotonic()
        argv = [
            str(postgres_bin_dir() / "initdb"),
            "--pgdata",
            str(self.pgdata),
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            f"--username={BOOTSTRAP_SUPERUSER}",
        ]
        if self.settings.get("fsync") == "off":
            argv.append("--no-sync")  # a cluster that never fsyncs gains nothing from a synced initdb
        result = subprocess.run(  # noqa: S603 - fixed binary from the wheel, no shell
            argv,
            capture_output=True,
            text=True,
            cwd=self.data_dir,
            env=self._server_env(),
            check=False,
            user=run_as.uid if run_as else None,
            group=run_as.gid if run_as else None,
            extra_groups=[] if run_as else None,
        )
        if result.returncode != 0:
            raise EmbeddedServerError(
                f"initdb failed (exit {result.returncode}) for {self.pgdata}:\n"
                + indent((result.stdout + result.stderr).strip()[-3000:])
            )
        log.info("initialised PostgreSQL cluster in %s (%.2fs)", self.pgdata, time.monotonic() - began)

    def _spawn(self, run_as: RunAs | None) -> None:
        assert self._socket_dir is not None
        argv = [
            str(postgres_bin_dir() / "postgres"),
            "-D",
            str(self.pgdata),
            "-p",
            str(self.port),
            "-h",
            self.host,
            "-k",
            str(self._socket_dir),
        ]
        for name, value in self.settings.items():
            argv += ["-c", f"{name}={value}"]
        log_fd = open_log(self.log_path)
        try:
            self._proc = subprocess.Popen(  # noqa: S603 - fixed binary from the wheel, no shell
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log_fd,
                stderr=log_fd,
                cwd=self.data_dir,
                env=self._server_env(),
                start_new_session=True,
                # SIGINT = fast shutdown: sessions are rolled back and the cluster stays clean.
                preexec_fn=death_signal_preexec(signal.SIGINT),
                user=run_as.uid if run_as else None,
                group=run_as.gid if run_as else None,
                extra_groups=[] if run_as else None,
            )
        finally:
            os.close(log_fd)

    def _wait_until_ready(self, deadline: float) -> None:
        """Wait for the postmaster to report 'ready' in postmaster.pid, then for a real login."""
        assert self._proc is not None
        while True:
            code = self._proc.poll()
            if code is not None:
                raise EmbeddedServerError(
                    f"PostgreSQL exited with code {code} while starting; last lines of {self.log_path}:\n"
                    + indent(tail(self.log_path))
                )
            if self._postmaster_status() == "ready" and self._accepts_login():
                return
            if time.monotonic() > deadline:
                raise EmbeddedServerError(
                    f"PostgreSQL did not accept connections on {self.host}:{self.port} within "
                    f"{self.start_timeout:.0f}s; last lines of {self.log_path}:\n"
                    + indent(tail(self.log_path))
                )
            time.sleep(0.05)

    def _postmaster_status(self) -> str | None:
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
        except OSError:
            return None
        return lines[7].strip() if len(lines) > 7 else None

    def _accepts_login(self) -> bool:
        try:
            run_sync(lambda: _execute(self.admin_url, "SELECT 1"), timeout=10)
        except Exception:  # not up yet: refused, starting up, timed out, …
            return False
        return True

    def _bootstrap(self) -> None:
        """Create the `lingxi` role and database when missing (first start, or an older cluster)."""
        role = pg_admin.quote_identifier(self.user)
        run_sync(
            lambda: _execute(
                self.admin_url,
                "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                f"'{self.user}') THEN CREATE ROLE {role} LOGIN SUPERUSER; END IF; END$$",
            )
        )
        self.create_database(self.database, exist_ok=True)

    def _server_env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        return env


async def _execute(url: str, sql: str) -> None:
    conn = await asyncpg.connect(pg_admin.asyncpg_dsn(url), timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
