"""The life of a domain service process: boot, stay healthy, shut down cleanly.

The gRPC server (with health NOT_SERVING) starts first, so Kubernetes and `lingxi up` can see the
process at once; PostgreSQL, migrations, NATS and stream provisioning are then brought up in the
background with retries. Health follows real reachability afterwards: if PostgreSQL or NATS goes
away the service reports NOT_SERVING, and when they return it reports SERVING again without a
restart (asyncpg pools reconnect, nats-py reconnects, consumers re-bind).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

import grpc
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from lingxi_common.bus import Bus
from lingxi_common.consumer import ConsumerWorker
from lingxi_common.db import create_engine, ping, session_factory
from lingxi_common.grpc_server import build_server
from lingxi_common.logs import setup_logging
from lingxi_common.migrations import migrate_service
from lingxi_common.outbox import OutboxRelay
from lingxi_common.retry import transient_retrying
from lingxi_common.settings import ServiceSettings, load_settings
from lingxi_common.streams import Declarations, load_declarations, provision
from lingxi_common.telemetry import meter, setup_telemetry, start_metrics_server

log = logging.getLogger(__name__)


@dataclass
class ServiceContext:
    """What domain code of a running service is handed: settings, database and bus."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: Bus
    declarations: Declarations


class BackgroundJob(Protocol):
    """Periodic work a service runs beside its consumers (daily recomputes, expiry sweeps).

    The runner starts `run()` once the dependencies are up and cancels it at shutdown; a job
    must be idempotent, since replicas run it too and a run may be cut short.
    """

    @property
    def name(self) -> str: ...

    async def run(self) -> None: ...


@dataclass
class ServiceDefinition:
    """How one service plugs into the shared runtime; each service's `main.py` builds one."""

    name: str
    settings_type: type[ServiceSettings]
    outbox: sa.Table
    register: Callable[[grpc.aio.Server, ServiceContext], list[str]]
    consumers: Callable[[ServiceContext], list[ConsumerWorker[Any]]] = field(default=lambda _ctx: [])
    jobs: Callable[[ServiceContext], list[BackgroundJob]] = field(default=lambda _ctx: [])


class ServiceRunner:
    """Runs a `ServiceDefinition` inside the current event loop (tests run several at once)."""

    def __init__(self, definition: ServiceDefinition, settings: ServiceSettings) -> None:
        self.definition = definition
        self.settings = settings
        engine = create_engine(settings.database_url, application_name=f"lingxi-{definition.name}")
        self.context = ServiceContext(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            bus=Bus(settings.nats_servers, name=f"lingxi-{definition.name}"),
            declarations=load_declarations(),
        )
        self.server, self.health = build_server(
            service_token=settings.service_token,
            register=lambda server: definition.register(server, self.context),
        )
        self.port = 0
        self.ready = asyncio.Event()
        # Set when the process should end: a fatal start-up error (see `fatal`) or stop().
        self.stopped = asyncio.Event()
        self.fatal: BaseException | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._dependency_up = {"postgres": 0, "nats": 0}
        meter("lingxi.service").create_observable_gauge(
            "lingxi_dependency_up",
            callbacks=[self._observe_dependencies],
            description="1 when the dependency answered the last health check",
        )

    def _observe_dependencies(self, _options: Any) -> list[Any]:
        from opentelemetry.metrics import Observation

        return [
            Observation(value, {"service": self.definition.name, "dependency": name})
            for name, value in self._dependency_up.items()
        ]

    @property
    def address(self) -> str:
        return f"{self.settings.grpc_host}:{self.port}"

    async def start(self) -> None:
        await self.health.mark_alive()
        await self.health.set_serving(False)
        self.port = self.server.add_insecure_port(
            f"{self.settings.grpc_host}:{self.settings.resolved_grpc_port()}"
        )
        await self.server.start()
        log.info("gRPC listening", extra={"service": self.definition.name, "address": self.address})
        self._spawn(self._bring_up(), "bring-up")

    def _spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> None:
        self._tasks.append(asyncio.create_task(coroutine, name=f"{self.definition.name}:{name}"))

    async def _bring_up(self) -> None:
        try:
            await self._connect_dependencies()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            # Not a reachability problem (a broken migration, a bad declaration, a bug): stop
            # the process so its supervisor shows the failure instead of a silent retry loop.
            log.critical("service cannot start: %r", error, exc_info=True)
            self.fatal = error
            self.stopped.set()
            return
        self._start_workers()

    async def _connect_dependencies(self) -> None:
        ctx = self.context
        async for attempt in transient_retrying("PostgreSQL", log.warning):
            with attempt:
                if not await ping(ctx.engine):
                    raise ConnectionError("PostgreSQL not reachable")
                if self.settings.migrate_on_start:
                    await migrate_service(self.definition.name, self.settings.database_url)
        await ctx.bus.connect()
        async for attempt in transient_retrying("JetStream", log.warning):
            with attempt:
                await provision(ctx.bus.js, ctx.declarations)

    def _start_workers(self) -> None:
        ctx = self.context
        relay = OutboxRelay(
            ctx.engine,
            self.definition.outbox,
            ctx.bus,
            database_url=self.settings.database_url,
            poll_interval=self.settings.outbox_poll_interval,
        )
        self._spawn(relay.run(), "outbox-relay")
        for worker in self.definition.consumers(ctx):
            self._spawn(worker.run(), f"consumer:{worker.name}")
        for job in self.definition.jobs(ctx):
            self._spawn(job.run(), f"job:{job.name}")
        self._spawn(self._watch_health(), "health")
        log.info("service started its workers", extra={"service": self.definition.name})

    async def _watch_health(self) -> None:
        while True:
            postgres_ok, nats_ok = await asyncio.gather(
                ping(self.context.engine), self.context.bus.jetstream_reachable()
            )
            self._dependency_up = {"postgres": int(postgres_ok), "nats": int(nats_ok)}
            serving = postgres_ok and nats_ok
            if serving != self.health.serving:
                log.log(
                    logging.INFO if serving else logging.WARNING,
                    "health changed",
                    extra={"serving": serving, "postgres": postgres_ok, "nats": nats_ok},
                )
            await self.health.set_serving(serving)
            if serving:
                self.ready.set()
            await asyncio.sleep(self.settings.health_check_interval)

    async def stop(self, grace: float = 5.0) -> None:
        await self.health.set_serving(False)
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            # Bounded: a worker stuck in a library call must not hold shutdown forever.
            _done, stuck = await asyncio.wait(self._tasks, timeout=grace)
            for task in stuck:
                log.warning("task %s did not stop within %.0f s", task.get_name(), grace)
        self._tasks.clear()
        await self.server.stop(grace)
        await self.context.bus.close()
        await self.context.engine.dispose()


def run_service(definition: ServiceDefinition) -> int:
    """Entry point of `lingxi serve <name>`: run until SIGTERM/SIGINT, then shut down cleanly."""
    settings = load_settings(definition.settings_type, service_name=definition.name)
    setup_logging(definition.name, settings)
    setup_telemetry(definition.name, settings)

    async def serve() -> int:
        runner = ServiceRunner(definition, settings)
        start_metrics_server(settings.resolved_metrics_port())
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, runner.stopped.set)
        await runner.start()
        await runner.stopped.wait()
        log.info("shutting down", extra={"service": definition.name})
        await runner.stop()
        return 1 if runner.fatal is not None else 0

    return asyncio.run(serve())
