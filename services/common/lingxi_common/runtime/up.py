"""`lingxi up`: the whole platform on one machine, from nothing but the project's venv.

Order matters and is deliberate:
  1. PostgreSQL and NATS — embedded (from wheels, data under `data_dir`) unless DATABASE_URL /
     NATS_URL name existing servers;
  2. `lingxi migrate` and `lingxi provision-streams` as one-shot children, so no service races
     another to create schemas or streams;
  3. the deployables in dependency order (tag, product, points, channel, strategy, campaign,
     gateway), each gated by the readiness check Kubernetes uses in production;
  4. demo data through the `lingxi_common.runtime.demo` hook;
then a summary of every URL, and supervision until Ctrl-C / SIGTERM, after which everything is
stopped in reverse order and nothing is left running.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import nats
from sqlalchemy.engine import make_url

from lingxi_common.runtime.embedded_nats import EmbeddedNats
from lingxi_common.runtime.embedded_postgres import EmbeddedPostgres
from lingxi_common.runtime.errors import EmbeddedServerError
from lingxi_common.runtime.pg_admin import asyncpg_dsn
from lingxi_common.runtime.ports import ensure_port_free
from lingxi_common.runtime.probes import grpc_health_probe, http_probe
from lingxi_common.runtime.processes import indent, tail
from lingxi_common.runtime.supervisor import (
    ProcessSpec,
    Reporter,
    ShutdownRequested,
    Supervisor,
    console_reporter,
)
from lingxi_common.runtime.sync_async import run_sync
from lingxi_common.settings import (
    DEFAULT_GRPC_PORTS,
    DEFAULT_METRICS_PORTS,
    EMBEDDED_NATS_PORT,
    EMBEDDED_POSTGRES_PORT,
)

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
START_ORDER: tuple[str, ...] = (
    "tag",
    "product",
    "points",
    "simulators",  # local provider simulators (dev tool) so the channel service sends for real
    "channel",
    "strategy",
    "campaign",
    "gateway",
)
# The provider simulators of tools/simulators: Tencent SMS, Alibaba SMS, JPush, WeChat, call, partner,
# WeCom.
SIMULATOR_PORTS: tuple[int, ...] = (18101, 18102, 18103, 18104, 18105, 18106, 18107)
GATEWAY_PORT = 8080
EMBEDDED_NATS_MONITOR_PORT = 18222
SERVICE_READY_TIMEOUT = 45.0
ONE_SHOT_TIMEOUT = 300.0
EXTERNAL_CHECK_TIMEOUT = 5.0


class PlatformError(RuntimeError):
    """`lingxi up` cannot continue; the message says why and what to do."""


def cli_argv(*args: str) -> list[str]:
    """argv running a `lingxi` sub-command with this very interpreter (same venv, no PATH lookup)."""
    return [sys.executable, "-m", "lingxi_common.cli", *args]


def child_env(database_url: str, nats_url: str) -> dict[str, str]:
    """Environment every child gets on top of ours."""
    return {
        "DATABASE_URL": database_url,
        "NATS_URL": nats_url,
        "LINGXI_ENVIRONMENT": "development",
        "LINGXI_LOG_FORMAT": "json",
    }


def deployable_ports(name: str) -> list[int]:
    """Loopback ports a deployable binds, checked before start so a collision is named clearly."""
    if name == "gateway":
        return [GATEWAY_PORT]
    if name == "simulators":
        return list(SIMULATOR_PORTS)
    return [DEFAULT_GRPC_PORTS[name], DEFAULT_METRICS_PORTS[name]]


def deployable_spec(name: str, env: dict[str, str]) -> ProcessSpec:
    """How to run one deployable and how to know it is healthy."""
    argv = cli_argv("serve", name)
    if name == "gateway":
        ready = http_probe(f"http://{LOOPBACK}:{GATEWAY_PORT}/readyz")
    elif name == "simulators":
        ready = http_probe(f"http://{LOOPBACK}:{SIMULATOR_PORTS[0]}/_sim/requests")
        argv = [sys.executable, "-m", "lingxi_simulators"]
    else:
        ready = grpc_health_probe(LOOPBACK, DEFAULT_GRPC_PORTS[name])
    return ProcessSpec(name=name, argv=argv, env=env, ready=ready, ready_timeout=SERVICE_READY_TIMEOUT)


def selected_deployables(only: Sequence[str] | None) -> list[str]:
    if not only:
        return list(START_ORDER)
    unknown = sorted(set(only) - set(START_ORDER))
    if unknown:
        raise PlatformError(f"unknown deployables {unknown}; choose from {', '.join(START_ORDER)}")
    return [name for name in START_ORDER if name in only]


# -- servers ----------------------------------------------------------------------------------


@dataclass
class Backends:
    """Where PostgreSQL and NATS are, and the embedded servers we own (None when external)."""

    database_url: str = ""
    nats_url: str = ""
    postgres: EmbeddedPostgres | None = None
    nats: EmbeddedNats | None = None
    restart_after: dict[str, float] = field(default_factory=dict)

    def stop(self, report: Reporter) -> None:
        if self.nats is not None and self.nats.is_running():
            report(f"stopping embedded NATS (pid {self.nats.pid})")
            self.nats.stop()
        if self.postgres is not None and self.postgres.is_running():
            report(f"stopping embedded PostgreSQL (pid {self.postgres.pid})")
            self.postgres.stop()


def _env_url(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def mask_url(url: str) -> str:
    """A URL safe to print: the password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _check_external_postgres(url: str) -> None:
    async def connect() -> None:
        conn = await asyncpg.connect(asyncpg_dsn(url), timeout=EXTERNAL_CHECK_TIMEOUT)
        await conn.close()

    try:
        make_url(url)
        run_sync(connect, timeout=EXTERNAL_CHECK_TIMEOUT * 2)
    except Exception as error:
        raise PlatformError(
            f"DATABASE_URL is set ({mask_url(url)}) but PostgreSQL there cannot be reached: {error!r}. "
            "Fix the URL or unset DATABASE_URL to use the embedded server."
        ) from error


def _check_external_nats(url: str) -> None:
    async def connect() -> None:
        client = await nats.connect(
            servers=[u.strip() for u in url.split(",")],
            connect_timeout=EXTERNAL_CHECK_TIMEOUT,
            max_reconnect_attempts=0,
            allow_reconnect=False,
        )
        await client.close()

    try:
        run_sync(connect, timeout=EXTERNAL_CHECK_TIMEOUT * 2)
    except Exception as error:
        raise PlatformError(
            f"NATS_URL is set ({mask_url(url)}) but NATS there cannot be reached: {error!r}. "
            "Fix the URL or unset NATS_URL to use the embedded server."
        ) from error


def start_backends(data_dir: Path, backends: Backends, report: Reporter) -> None:
    """Use the servers named in the environment, or start the embedded ones."""
    external_db = _env_url("DATABASE_URL", "LINGXI_DATABASE_URL")
    if external_db:
        _check_external_postgres(external_db)
        backends.database_url = external_db
        report(f"✓ PostgreSQL: using DATABASE_URL {mask_url(external_db)}")
    else:
        backends.postgres = EmbeddedPostgres(
            data_dir / "postgres",
            EMBEDDED_POSTGRES_PORT,
            LOOPBACK,
            log_path=data_dir / "logs" / "postgres.log",
        )
        backends.postgres.start()
        backends.database_url = backends.postgres.url
        report(f"✓ PostgreSQL (embedded) ready in {backends.postgres.started_in or 0:.1f}s")

    external_nats = _env_url("NATS_URL", "LINGXI_NATS_URL")
    if external_nats:
        _check_external_nats(external_nats)
        backends.nats_url = external_nats
        report(f"✓ NATS: using NATS_URL {mask_url(external_nats)}")
    else:
        backends.nats = EmbeddedNats(
            data_dir / "nats",
            EMBEDDED_NATS_PORT,
            LOOPBACK,
            monitor_port=EMBEDDED_NATS_MONITOR_PORT,
            log_path=data_dir / "logs" / "nats.log",
        )
        backends.nats.start()
        backends.nats_url = backends.nats.url
        report(f"✓ NATS JetStream (embedded) ready in {backends.nats.started_in or 0:.1f}s")


def _watch_backends(backends: Backends, report: Reporter) -> None:
    """Restart an embedded server that died; services reconnect on their own."""
    servers: list[tuple[str, EmbeddedPostgres | EmbeddedNats | None]] = [
        ("PostgreSQL", backends.postgres),
        ("NATS", backends.nats),
    ]
    now = time.monotonic()
    for label, server in servers:
        if server is None or server.is_running() or now < backends.restart_after.get(label, 0.0):
            continue
        report(f"⚠ embedded {label} stopped unexpectedly; restarting it (see {server.log_path})")
        try:
            server.stop()
            server.start()
            report(f"✓ embedded {label} is back")
        except EmbeddedServerError as error:
            report(f"✗ embedded {label} failed to restart: {error}")
            backends.restart_after[label] = now + 5.0


# -- steps --------------------------------------------------------------------------------


def _run_one_shot(
    supervisor: Supervisor, name: str, argv: list[str], env: dict[str, str], report: Reporter
) -> None:
    began = time.monotonic()
    code = supervisor.run_once(ProcessSpec(name=name, argv=argv, env=env), timeout=ONE_SHOT_TIMEOUT)
    if code != 0:
        log_path = supervisor.log_path(name)
        raise PlatformError(
            f"`lingxi {' '.join(argv[3:])}` failed with exit code {code}; last lines of {log_path}:\n"
            + indent(tail(log_path, 25))
        )
    report(f"✓ {name} done in {time.monotonic() - began:.1f}s")


def _seed_demo_data(backends: Backends, customers: int, report: Reporter) -> None:
    """Call `lingxi_common.runtime.demo.seed` when it exists; sync or async seeders both work."""
    if customers <= 0:
        return
    try:
        module = importlib.import_module("lingxi_common.runtime.demo")
    except ImportError:
        return
    seed: Callable[..., Any] | None = getattr(module, "seed", None)
    if seed is None:
        return
    began = time.monotonic()
    try:
        result = seed(backends.database_url, backends.nats_url, customers)
        if inspect.iscoroutine(result):
            coroutine = result
            run_sync(lambda: coroutine)
    except Exception:
        report("✗ demo seeding failed (the platform keeps running):\n" + traceback.format_exc())
        return
    report(f"✓ demo data hook returned after {time.monotonic() - began:.1f}s")


def summary(data_dir: Path, backends: Backends, names: Sequence[str], not_ready: Sequence[str]) -> str:
    """The block printed once everything is started: every URL a developer needs."""
    services = [name for name in names if name not in ("gateway", "simulators")]
    lines = [""]
    if "gateway" in names:
        base = f"http://{LOOPBACK}:{GATEWAY_PORT}"
        lines += [
            f"  Gateway      {base}",
            f"  API docs     {base}/docs   (OpenAPI: {base}/openapi.json)",
        ]
    if services:
        grpc = ", ".join(f"{name} {LOOPBACK}:{DEFAULT_GRPC_PORTS[name]}" for name in services)
        metrics = ", ".join(f"{name} :{DEFAULT_METRICS_PORTS[name]}" for name in services)
        lines += [f"  gRPC         {grpc}", f"  Metrics      {metrics}   (http://{LOOPBACK}:<port>/metrics)"]
    if "simulators" in names:
        lines.append(
            "  Simulators   SMS Tencent :18101, SMS Alibaba :18102, JPush :18103, WeChat :18104, "
            "call :18105, partner :18106, WeCom :18107   "
            "(what they received: http://127.0.0.1:18101/_sim/requests)"
        )
    pg_note = f"embedded, data in {backends.postgres.data_dir}" if backends.postgres else "external"
    nats_note = f"embedded, JetStream store in {backends.nats.store_dir}" if backends.nats else "external"
    lines += [
        f"  PostgreSQL   {mask_url(backends.database_url)}   ({pg_note})",
        f"  NATS         {mask_url(backends.nats_url)}   ({nats_note})",
    ]
    if backends.nats is not None and backends.nats.monitor_url:
        lines.append(f"  NATS monitor {backends.nats.monitor_url}")
    lines += [
        f"  Logs         {data_dir / 'logs'}/<name>.log",
        f"  Token        {Path(sys.executable).parent / 'lingxi'} token --role hq_operator",
    ]
    if not_ready:
        lines.append(f"  NOT HEALTHY  {', '.join(not_ready)} — still being restarted; see their logs")
    lines += ["", "Press Ctrl-C to stop everything.", ""]
    return "\n".join(lines)


# -- entry point ----------------------------------------------------------------------------


@contextmanager
def _stop_on_signals(supervisor: Supervisor) -> Iterator[None]:
    """Turn SIGINT / SIGTERM / SIGHUP into a stop request (a second one shortens the grace)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        supervisor.request_stop()

    watched = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    previous = {sig: signal.signal(sig, handler) for sig in watched}
    try:
        yield
    finally:
        for sig, old in previous.items():
            with suppress(ValueError, TypeError):
                signal.signal(sig, old)


def _checkpoint(supervisor: Supervisor) -> None:
    if supervisor.stop_requested:
        raise ShutdownRequested("before start-up finished")


def run_platform(
    data_dir: str | Path = ".lingxi", demo_customers: int = 0, only: Sequence[str] | None = None
) -> int:
    """Start everything, print the URLs, supervise until asked to stop. Returns the exit code."""
    began = time.monotonic()
    root = Path(data_dir).absolute()
    (root / "logs").mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    report = console_reporter(sys.stdout)
    supervisor = Supervisor(root / "logs", report=report)
    backends = Backends()
    with _stop_on_signals(supervisor):
        try:
            names = selected_deployables(only)
            report(f"starting Lingxi ({', '.join(names)}); data and logs in {root}")
            for name in names:
                for port in deployable_ports(name):
                    ensure_port_free(LOOPBACK, port, f"the {name} deployable", "Stop that process first.")
            start_backends(root, backends, report)
            _checkpoint(supervisor)
            env = child_env(backends.database_url, backends.nats_url)
            _run_one_shot(supervisor, "migrate", cli_argv("migrate"), env, report)
            _checkpoint(supervisor)
            _run_one_shot(supervisor, "provision-streams", cli_argv("provision-streams"), env, report)
            not_ready = [name for name in names if not supervisor.start(deployable_spec(name, env))]
            elapsed = time.monotonic() - began
            if not_ready:
                report(
                    f"⚠ started in {elapsed:.1f}s but {len(not_ready)} of {len(names)} "
                    "deployables are not healthy"
                )
            else:
                report(f"✓ Lingxi is healthy — {len(names)} deployables in {elapsed:.1f}s")
            _checkpoint(supervisor)
            seeders = ("tag", "product", "points")
            if all(name in names and name not in not_ready for name in seeders):
                _seed_demo_data(backends, demo_customers, report)
            elif demo_customers:
                report(f"⚠ demo data skipped: it needs {', '.join(seeders)} running")
            print(summary(root, backends, names, not_ready), flush=True)
            while not supervisor.wait_for_stop_request(1.0):
                _watch_backends(backends, report)
            return 0
        except ShutdownRequested:
            return 130
        except (PlatformError, EmbeddedServerError, TimeoutError) as error:
            report(f"✗ {error}")
            return 1
        finally:
            report("stopping Lingxi … (press Ctrl-C again to skip the grace period)")
            supervisor.stop()
            backends.stop(report)
            report("stopped; no Lingxi process is left running")
