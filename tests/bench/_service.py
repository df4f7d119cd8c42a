"""Starting a real Lingxi service for measurement: in this process, or as its own process.

In-process (`ServiceRunner`, as the tests do) isolates the runtime's own boot from Python's
import time; a separate process (`python -m lingxi_<name>`, what a container runs) is what an
operator actually waits for, and the only way to see one service's memory on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from lingxi_common.identity import Caller, Role
from lingxi_common.runtime.ports import find_free_port
from lingxi_common.service import ServiceDefinition, ServiceRunner
from lingxi_common.settings import DEV_SERVICE_TOKEN
from tests.bench._core import REPO_ROOT

# HQ operators may write customer master data and see every customer (masked PII, no audit row).
HQ_CALLER = Caller(subject="bench-hq", role=Role.HQ_OPERATOR)
# What ServiceRunner logs when its health status changes (lingxi_common/service.py).
HEALTH_CHANGED = "health changed"


@dataclass
class HealthFlips:
    """How often a service reported NOT_SERVING while measured, and which dependency looked down.

    A service under load that flips to NOT_SERVING would be taken out of its Kubernetes Service
    by the readiness probe, so the flips belong next to the latency they happened under.
    """

    not_serving: int = 0
    postgres_down: int = 0
    nats_down: int = 0

    def add(self, postgres_ok: object, nats_ok: object) -> None:
        self.not_serving += 1
        self.postgres_down += postgres_ok is False
        self.nats_down += nats_ok is False

    def text(self) -> str:
        if not self.not_serving:
            return "stayed SERVING"
        return (
            f"reported NOT_SERVING {self.not_serving} time(s) "
            f"(PostgreSQL check failed {self.postgres_down}, NATS check failed {self.nats_down})"
        )


class _HealthFlipRecorder(logging.Handler):
    def __init__(self, flips: HealthFlips) -> None:
        super().__init__(level=logging.WARNING)
        self.flips = flips

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == HEALTH_CHANGED and getattr(record, "serving", True) is False:
            self.flips.add(getattr(record, "postgres", None), getattr(record, "nats", None))


@contextlib.contextmanager
def recording_health_flips() -> Iterator[HealthFlips]:
    """Count NOT_SERVING changes of services running in this process while the block runs."""
    flips = HealthFlips()
    recorder = _HealthFlipRecorder(flips)
    logger = logging.getLogger("lingxi_common.service")
    logger.addHandler(recorder)
    try:
        yield flips
    finally:
        logger.removeHandler(recorder)


def _flips_in_log(path: Path) -> HealthFlips:
    """NOT_SERVING changes in a service process's JSON log."""
    flips = HealthFlips()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("message") != HEALTH_CHANGED:
            continue
        if entry.get("serving") is False:
            flips.add(entry.get("postgres"), entry.get("nats"))
    return flips


async def wait_serving(address: str, *, timeout: float = 60.0, interval: float = 0.005) -> None:
    """Until grpc.health.v1 reports the overall service ("") SERVING.

    Polls `Health/Check` every few milliseconds. `Health/Watch` would push the change, but on a
    Lingxi server it fails with UNKNOWN (the OpenTelemetry aio interceptor iterates the health
    servicer's coroutine `Watch` as if it were an async generator), so it cannot be used here.
    """
    deadline = time.monotonic() + timeout
    async with grpc.aio.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest(service="")
        while True:
            try:
                response = await stub.Check(request, timeout=1.0)
                if response.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.aio.AioRpcError as error:
                if error.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                    raise
            if time.monotonic() > deadline:
                raise TimeoutError(f"{address} did not report SERVING within {timeout:.0f}s")
            await asyncio.sleep(interval)


async def time_in_process_start(definition: ServiceDefinition, database_url: str, nats_url: str) -> float:
    """Seconds from `ServiceRunner.start()` to health SERVING, with production settings.

    Only the ports differ from a deployed service (any free gRPC port, no metrics server); the
    health and outbox intervals keep their defaults, unlike the test fixture's fast loops.
    """
    settings = definition.settings_type(
        service_name=definition.name,
        database_url=database_url,
        nats_url=nats_url,
        grpc_port=0,
        metrics_port=0,
    )
    runner = ServiceRunner(definition, settings)
    began = time.perf_counter()
    await runner.start()
    try:
        serving = asyncio.create_task(wait_serving(runner.address))
        failed = asyncio.create_task(runner.stopped.wait())
        done, _pending = await asyncio.wait({serving, failed}, return_when=asyncio.FIRST_COMPLETED)
        elapsed = time.perf_counter() - began
        for task in (serving, failed):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if serving not in done or serving.cancelled() or serving.exception() is not None:
            raise RuntimeError(f"{definition.name} did not start: {runner.fatal!r}")
        return elapsed
    finally:
        await runner.stop(grace=1)


@dataclass
class ServiceProcess:
    """A service running as `python -m lingxi_<name>`; `started_in` is spawn → SERVING."""

    name: str
    process: asyncio.subprocess.Process
    address: str
    started_in: float = 0.0
    # Set when the block exits: SIGTERM → exit (nan if it had to be killed), and health flips.
    stopped_in: float = math.nan
    health: HealthFlips = field(default_factory=HealthFlips)

    @property
    def pid(self) -> int:
        return self.process.pid


async def _wait_port(process: asyncio.subprocess.Process, host: str, port: int, timeout: float) -> None:
    """Until the port accepts TCP; polling the socket, because a gRPC channel that meets a
    closed port backs off for a second or more and would blur the measurement."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"service process exited with code {process.returncode} while starting")
        try:
            _reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.01)
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return
    raise TimeoutError(f"nothing listened on {host}:{port} within {timeout:.0f}s")


def _tail(path: Path, size: int = 2000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-size:]


@contextlib.asynccontextmanager
async def service_process(
    name: str, database_url: str, nats_url: str, *, timeout: float = 90.0, stop_timeout: float = 45.0
) -> AsyncIterator[ServiceProcess]:
    """Spawn the service as its own process, wait for SERVING, stop it (SIGTERM) afterwards.

    The stop waits `stop_timeout` (longer than Kubernetes' default 30 s grace period, so a slow
    shutdown is measured rather than cut off) before it kills the process.
    """
    host, port = "127.0.0.1", find_free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"LINGXI_DATABASE_URL", "LINGXI_NATS_URL", "OTEL_EXPORTER_OTLP_ENDPOINT"}
    }
    env.update(
        DATABASE_URL=database_url,
        NATS_URL=nats_url,
        LINGXI_GRPC_HOST=host,
        LINGXI_GRPC_PORT=str(port),
        LINGXI_METRICS_PORT="0",
        LINGXI_SERVICE_TOKEN=DEV_SERVICE_TOKEN,
        LINGXI_LOG_LEVEL="WARNING",
        LINGXI_LOG_FORMAT="json",
    )
    log_fd, log_name = tempfile.mkstemp(prefix=f"lingxi-bench-{name}-", suffix=".log")
    log_path = Path(log_name)
    began = time.perf_counter()
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            f"lingxi_{name}",
            cwd=REPO_ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log_fd,
            stderr=log_fd,
        )
    finally:
        os.close(log_fd)
    running = ServiceProcess(name, process, f"{host}:{port}")
    try:
        try:
            await _wait_port(process, host, port, timeout)
            await wait_serving(running.address, timeout=timeout)
        except BaseException as error:
            tail = await asyncio.to_thread(_tail, log_path)
            raise RuntimeError(f"{name} process did not become SERVING: {error}\n{tail}") from error
        running.started_in = time.perf_counter() - began
        yield running
    finally:
        if process.returncode is None:
            stopping = time.perf_counter()
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout=stop_timeout)
                running.stopped_in = time.perf_counter() - stopping
            except TimeoutError:
                process.kill()
                await process.wait()
        running.health = await asyncio.to_thread(_flips_in_log, log_path)
        await asyncio.to_thread(log_path.unlink, missing_ok=True)
