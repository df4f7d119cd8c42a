"""The platform foundation: outbox relay, event latency, gRPC, cold start and memory.

These are the costs every Lingxi service inherits from the shared library before it does any
domain work, so they bound what any service can do on this machine and show where the shared
code, rather than a service, is the bottleneck. Each figure comes from running the real code
(`lingxi_common` and the tag service) against real PostgreSQL and NATS; the report in
docs/benchmarks/foundation.md is generated from the measured values only.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import grpc
import psutil
from grpc_health.v1 import health_pb2, health_pb2_grpc

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.grpc_client import open_channel
from lingxi_common.migrations import migrate_service
from lingxi_common.settings import DEV_SERVICE_TOKEN, CommonSettings
from lingxi_common.telemetry import setup_telemetry
from lingxi_common.testing.services import channel_to, running_service
from lingxi_tag.main import DEFINITION
from tests.bench._core import EXIT_CHECK_FAILED, EXIT_OK, BenchContext, Benchmark
from tests.bench._machine import CpuShare, cpu_snapshot, describe_machine
from tests.bench._markdown import key_values, table
from tests.bench._messaging import RELAY_POLL_INTERVAL, LatencyRun, MessagingLab, OutboxRun
from tests.bench._servers import Backends
from tests.bench._service import (
    HQ_CALLER,
    HealthFlips,
    recording_health_flips,
    service_process,
    time_in_process_start,
)
from tests.bench._stats import LoadResult, closed_loop, mib, ms, rate_text, seconds_text

NAME = "foundation"


@dataclass(frozen=True)
class Sizes:
    """Dataset sizes; the defaults keep a full run within about five minutes on two cores.

    The gRPC loads are bounded by calls *and* seconds: how much work one tag-service call does
    grows as that service grows, and the run must stay short whatever it costs; the report gives
    the number of calls actually made.
    """

    outbox_events: int = 20_000
    # (events per transaction, written with emit_many rather than one emit per event)
    outbox_runs: tuple[tuple[int, bool], ...] = ((1, False), (100, False), (100, True))
    emitters: int = 8
    # (label, events per second, seconds, handler writes to PostgreSQL)
    latency_runs: tuple[tuple[str, float, float, bool], ...] = (
        ("no-op handler", 500.0, 10.0, False),
        ("handler claims the id in PostgreSQL", 500.0, 10.0, True),
        ("no-op handler, moderate load", 200.0, 5.0, False),
        ("no-op handler, light load", 50.0, 5.0, False),
    )
    grpc_concurrency: tuple[int, ...] = (1, 16)
    grpc_max_calls: int = 4_000  # per method and concurrency
    grpc_seconds: float = 15.0  # per method and concurrency, in-process
    grpc_floor_seconds: float = 5.0  # Health/Check, the stack without domain code
    grpc_warmup: int = 100
    process_seconds: float = 10.0  # per method, against the separate process
    cold_starts: int = 5

    def scaled(self, factor: float) -> Sizes:
        """Every count and duration times `factor`; outbox events stay whole transactions."""
        if factor == 1:
            return self
        unit = max(size for size, _ in self.outbox_runs)
        return replace(
            self,
            outbox_events=max(unit, round(self.outbox_events * factor / unit) * unit),
            latency_runs=tuple(
                (label, rate, max(1.0, seconds * factor), writes)
                for label, rate, seconds, writes in self.latency_runs
            ),
            grpc_max_calls=max(50, round(self.grpc_max_calls * factor)),
            grpc_seconds=max(1.0, self.grpc_seconds * factor),
            grpc_floor_seconds=max(1.0, self.grpc_floor_seconds * factor),
            grpc_warmup=max(20, round(self.grpc_warmup * factor)),
            process_seconds=max(1.0, self.process_seconds * factor),
            cold_starts=max(1, round(self.cold_starts * factor)),
        )


@dataclass(frozen=True)
class GrpcRun:
    method: str
    where: str
    load: LoadResult


@dataclass(frozen=True)
class ColdStart:
    """Start (or stop) durations of one kind; nan samples are stops that had to be killed."""

    label: str
    samples: list[float]

    @property
    def finished(self) -> list[float]:
        return [sample for sample in self.samples if not math.isnan(sample)]

    @property
    def median(self) -> float:
        finished = self.finished
        if not finished or len(finished) < len(self.samples):
            return math.nan  # a killed stop has no duration; a median without it would flatter
        return statistics.median(finished)


class CpuLog:
    """Who used the CPU during each measurement: this benchmark, other processes, the hypervisor."""

    # Above this share of the machine taken by others, the report flags the figures as disturbed.
    DISTURBED = 0.10

    def __init__(self) -> None:
        self.rows: list[CpuShare] = []

    @contextlib.contextmanager
    def measure(self, label: str) -> Iterator[None]:
        before = cpu_snapshot()
        yield
        self.rows.append(CpuShare.between(label, before, cpu_snapshot()))

    @property
    def disturbed(self) -> list[CpuShare]:
        return [row for row in self.rows if row.share(row.foreign + row.steal) > self.DISTURBED]


@dataclass
class Results:
    """Everything measured in one run, in the order the report presents it."""

    command: str
    started_at: datetime
    sizes: Sizes
    machine: list[tuple[str, str]] = field(default_factory=list)
    outbox: list[OutboxRun] = field(default_factory=list)
    latency: list[LatencyRun] = field(default_factory=list)
    grpc: list[GrpcRun] = field(default_factory=list)
    cold_starts: list[ColdStart] = field(default_factory=list)
    grpc_health: list[tuple[str, HealthFlips]] = field(default_factory=list)
    memory: list[tuple[str, int]] = field(default_factory=list)
    cpu: CpuLog = field(default_factory=CpuLog)
    duration: float = math.nan

    @property
    def checks_ok(self) -> bool:
        return all(run.check.ok for run in self.outbox) and all(run.load.errors == 0 for run in self.grpc)


def rss(pid: int | None = None) -> int:
    return int(psutil.Process(pid).memory_info().rss)


def peak_rss() -> int:
    """This process's peak resident set (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def a_customer(customer_id: str, index: int) -> customer_pb2.Customer:
    """A new customer with every PII field set, so each upsert encrypts and indexes like real data."""
    return customer_pb2.Customer(
        customer_id=customer_id,
        branch_id=f"B{index % 40:02d}",
        advisor_id=f"A{index % 400:03d}",
        risk_level=enums_pb2.RISK_LEVEL_C3,
        risk_assessment_expires_on=date_pb2.Date(year=2027, month=6, day=30),
        opened_on=date_pb2.Date(year=2019, month=3, day=1),
        city="上海",
        phone=f"138{index % 10**8:08d}",
        id_number=f"11010119900307{index % 1000:03d}X",
        display_name="张三",
        consents=[
            common_customer_pb2.ChannelConsent(
                channel=enums_pb2.CHANNEL_SMS,
                status=common_customer_pb2.CONSENT_STATUS_GRANTED,
                source="account_opening",
            )
        ],
    )


async def grpc_load(
    channel: grpc.aio.Channel,
    sizes: Sizes,
    concurrencies: tuple[int, ...],
    seconds: float,
    where: str,
    tag: str,
) -> list[GrpcRun]:
    """Health/Check (the floor), UpsertCustomer of new customers, GetCustomer of random ones."""
    api = tag_service_pb2_grpc.TagServiceStub(channel)
    health = health_pb2_grpc.HealthStub(channel)
    created: list[str] = []
    runs: list[GrpcRun] = []
    top = max(concurrencies)

    async def check(_index: int) -> None:
        await health.Check(health_pb2.HealthCheckRequest(service=""))

    def upserts(prefix: str) -> Callable[[int], Awaitable[object]]:
        async def call(index: int) -> None:
            customer_id = f"{prefix}{index:07d}"
            await api.UpsertCustomer(
                tag_service_pb2.UpsertCustomerRequest(customer=a_customer(customer_id, index))
            )
            created.append(customer_id)

        return call

    picker = random.Random(7)

    async def get(_index: int) -> None:
        customer_id = created[picker.randrange(len(created))]
        await api.GetCustomer(tag_service_pb2.GetCustomerRequest(customer_id=customer_id))

    async def measure(
        method: str, call: Callable[[int], Awaitable[object]], concurrency: int, limit: float
    ) -> None:
        load = await closed_loop(call, sizes.grpc_max_calls, concurrency, max_seconds=limit)
        runs.append(GrpcRun(method, where, load))
        print(f"  gRPC {where}: {method} c={concurrency}: {_load_line(load)}", flush=True)

    await closed_loop(check, sizes.grpc_warmup, top)
    await measure("Health/Check (no domain code)", check, top, min(seconds, sizes.grpc_floor_seconds))
    await closed_loop(upserts(f"{tag}W"), sizes.grpc_warmup, top)
    for concurrency in concurrencies:
        await measure("UpsertCustomer (new)", upserts(f"{tag}{concurrency}N"), concurrency, seconds)
    await closed_loop(get, sizes.grpc_warmup, top)
    for concurrency in concurrencies:
        await measure("GetCustomer", get, concurrency, seconds)
    return runs


def _load_line(load: LoadResult) -> str:
    errors = f", {load.errors} errors ({load.first_error})" if load.errors else ""
    return (
        f"{load.calls} calls, p50 {ms(load.latency.p50)}, p99 {ms(load.latency.p99)}, "
        f"{rate_text(load.per_second, 'req')}{errors}"
    )


async def measure_messaging(backends: Backends, sizes: Sizes, results: Results) -> None:
    """Sections 1 and 2: the outbox relay's throughput and commit → handler latency."""
    database_url = await asyncio.to_thread(backends.new_database, "bench_foundation")
    lab = MessagingLab(database_url, [url.strip() for url in backends.nats_url.split(",")])
    await lab.open()
    try:
        for transaction_size, batched in sizes.outbox_runs:
            label = f"1. outbox, transactions of {transaction_size}" + (" (emit_many)" if batched else "")
            with results.cpu.measure(label):
                run = await lab.relay_throughput(
                    sizes.outbox_events, transaction_size, sizes.emitters, batched=batched
                )
            results.outbox.append(run)
            print(
                f"  outbox, {run.label}: {rate_text(run.events_per_second, 'events')} "
                f"(emitted at {rate_text(run.emitted_per_second, 'events')})",
                flush=True,
            )
            print(f"    check: {run.check.text()}", flush=True)
        with results.cpu.measure("1. outbox, backlog drain (and its pre-fill)"):
            drain = await lab.relay_drain(
                sizes.outbox_events, max(size for size, _ in sizes.outbox_runs), sizes.emitters
            )
        results.outbox.append(drain)
        print(f"  outbox, {drain.label}: {rate_text(drain.events_per_second, 'events')}", flush=True)
        print(f"    check: {drain.check.text()}", flush=True)
        for label, rate, seconds, writes in sizes.latency_runs:
            with results.cpu.measure(f"2. commit → handler, {label}, {rate:g}/s"):
                latency = await lab.commit_to_handler(label, rate, seconds, handler_writes=writes)
            results.latency.append(latency)
            print(
                f"  commit→handler, {label} at {rate:g}/s: p50 {ms(latency.latency.p50)}, "
                f"p99 {ms(latency.latency.p99)} ({latency.handled}/{latency.sent} handled)",
                flush=True,
            )
    finally:
        await lab.close()


async def measure_grpc_in_process(backends: Backends, sizes: Sizes, results: Results) -> None:
    """Section 3 (and parts of 4 and 5): the tag service in this process, as the tests run it."""
    database_url = await asyncio.to_thread(backends.new_database, "bench_tag")
    results.memory.append(("benchmark process, before starting the tag service", rss()))
    async with running_service(DEFINITION, database_url=database_url, nats_url=backends.nats_url) as runner:
        results.memory.append(("benchmark process, tag service started in it (idle)", rss()))
        channel = channel_to(runner, HQ_CALLER)
        with recording_health_flips() as flips, results.cpu.measure("3. gRPC, in-process tag service"):
            results.grpc += await grpc_load(
                channel, sizes, sizes.grpc_concurrency, sizes.grpc_seconds, "in-process", "I"
            )
        results.grpc_health.append(("in-process tag service", flips))
        results.memory.append(("benchmark process, after the in-process gRPC load", rss()))
        # What leaving the block costs is `running_service`'s teardown, i.e. ServiceRunner.stop().
        stopping = time.perf_counter()
    stop = ColdStart(
        "stop: in-process, `running_service` teardown after the gRPC load", [time.perf_counter() - stopping]
    )
    results.cold_starts.append(stop)
    print(f"  {stop.label}: {ms(stop.median)}", flush=True)


async def measure_cold_starts(backends: Backends, sizes: Sizes, results: Results) -> None:
    """Section 4: ServiceRunner.start() → SERVING, on a fresh and on a migrated database."""
    fresh: list[float] = []
    for _ in range(sizes.cold_starts):
        database_url = await asyncio.to_thread(backends.new_database, "bench_cold")
        fresh.append(await time_in_process_start(DEFINITION, database_url, backends.nats_url))
    results.cold_starts.append(
        ColdStart("start: in-process, fresh database (migrations create the schema)", fresh)
    )
    migrated_url = await asyncio.to_thread(backends.new_database, "bench_warm")
    await migrate_service(DEFINITION.name, migrated_url)
    warm = [
        await time_in_process_start(DEFINITION, migrated_url, backends.nats_url)
        for _ in range(sizes.cold_starts)
    ]
    results.cold_starts.append(ColdStart("start: in-process, migrated database (a restart)", warm))
    for start in results.cold_starts[-2:]:
        print(f"  {start.label}: median {ms(start.median)}", flush=True)


async def measure_service_process(backends: Backends, sizes: Sizes, results: Results) -> None:
    """Sections 3-5 for `python -m lingxi_tag`: spawn → SERVING, a load, its RSS, SIGTERM → exit."""
    database_url = await asyncio.to_thread(backends.new_database, "bench_process")
    await migrate_service(DEFINITION.name, database_url)
    starts: list[float] = []
    stops: list[float] = []
    with results.cpu.measure("4. cold start, separate process"):
        for _ in range(sizes.cold_starts):
            async with service_process(DEFINITION.name, database_url, backends.nats_url) as service:
                starts.append(service.started_in)
            stops.append(service.stopped_in)
    results.cold_starts.append(
        ColdStart(
            "start: separate process `python -m lingxi_tag`, migrated database (spawn → SERVING)", starts
        )
    )
    results.cold_starts.append(
        ColdStart("stop: separate process right after SERVING (SIGTERM → exit)", stops)
    )
    async with service_process(DEFINITION.name, database_url, backends.nats_url) as service:
        results.memory.append(("tag service process, SERVING and idle", rss(service.pid)))
        channel = open_channel(service.address, service_token=DEV_SERVICE_TOKEN, caller=lambda: HQ_CALLER)
        try:
            with results.cpu.measure("3. gRPC, separate tag service process"):
                top = max(sizes.grpc_concurrency)
                results.grpc += await grpc_load(
                    channel, sizes, (top,), sizes.process_seconds, "separate process", "P"
                )
        finally:
            await channel.close()
        results.memory.append(("tag service process, after its gRPC load", rss(service.pid)))
    results.grpc_health.append(("separate tag service process", service.health))
    results.cold_starts.append(
        ColdStart("stop: separate process after its gRPC load (SIGTERM → exit)", [service.stopped_in])
    )
    for start in results.cold_starts[-3:]:
        print(f"  {start.label}: median {ms(start.median)}", flush=True)


async def run(ctx: BenchContext) -> int:
    """Measure everything, write docs/benchmarks/foundation.md, print the summary."""
    began = time.perf_counter()
    sizes = Sizes().scaled(ctx.scale)
    results = Results(command=ctx.command, started_at=datetime.now(UTC), sizes=sizes)
    # The SDK providers `lingxi serve` installs (no exporter configured): spans and metrics
    # are recorded as in a deployed service, so their cost is part of every figure.
    setup_telemetry("bench", CommonSettings().model_copy(update={"otlp_endpoint": None}))
    results.memory.append(("benchmark process at start (imports done)", rss()))
    backends = await ctx.backends.ensure()
    results.machine = describe_machine(backends, results.started_at)
    print("  servers:", backends.postgres_kind, "/", backends.nats_kind, flush=True)
    await measure_messaging(backends, sizes, results)
    results.memory.append(("benchmark process, after the messaging benchmarks", rss()))
    await measure_grpc_in_process(backends, sizes, results)
    with results.cpu.measure("4. cold start, in-process (with database creation)"):
        await measure_cold_starts(backends, sizes, results)
    await measure_service_process(backends, sizes, results)
    results.memory.append(("benchmark process, peak (ru_maxrss)", peak_rss()))
    results.duration = time.perf_counter() - began
    report = render(results)
    print()
    print(report)
    if ctx.write:
        path = ctx.report_path(NAME)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report, encoding="utf-8")
        print(f"wrote {path}")
    if results.cpu.disturbed:
        taken = ", ".join(
            f"{row.label} {row.share(row.foreign + row.steal):.0%}" for row in results.cpu.disturbed
        )
        print(
            f"warning: other workloads took part of the machine ({taken}); those figures are "
            "lower than this machine can do. Re-run on a quiet machine to compare.",
            flush=True,
        )
    return EXIT_OK if results.checks_ok else EXIT_CHECK_FAILED


# -- the report --------------------------------------------------------------------------------


def _outbox_section(results: Results) -> list[str]:
    sizes = results.sizes
    rows = []
    for run in results.outbox:
        transaction = run.transaction_time
        lag = run.commit_to_stored
        rows.append(
            [
                run.label,
                f"{run.events:,}",
                f"{run.transactions:,} × {run.transaction_size}",
                rate_text(run.events_per_second, "events"),
                rate_text(run.emitted_per_second, "events"),
                seconds_text(run.total_seconds),
                ms(transaction.p50) if transaction else "–",
                ms(transaction.p99) if transaction else "–",
                ms(lag.p50) if lag else "–",
                ms(lag.p95) if lag else "–",
                ms(lag.p99) if lag else "–",
            ]
        )
    lines = [
        "## 1. Outbox relay throughput",
        "",
        f"{sizes.outbox_events:,} `CustomerChanged` events written with `lingxi_common.outbox.emit` (one "
        "INSERT and one NOTIFY per event) into the tag service's migrated `outbox` table by "
        f"{sizes.emitters} concurrent emitters, while one `OutboxRelay` (batch 256, poll "
        f"{RELAY_POLL_INTERVAL:g} s, woken by NOTIFY) publishes them to a file-storage stream configured "
        "like `TAG_EVENTS`; the `emit_many` row writes the same rows with one multi-row INSERT and one "
        "NOTIFY per transaction. *Throughput* is events ÷ time from the first emit to the last message "
        "JetStream stored (its own timestamp); *emitted* is the commit rate alone. *Transaction* is "
        "begin → commit of one emitting transaction; *commit → stored* is each event's commit (as the "
        "emitter saw it return) to JetStream's store timestamp. The drain row commits everything first "
        "(with `emit_many`), then starts the relay: its capacity with no emitter competing.",
        "",
        table(
            [
                "run",
                "events",
                "transactions",
                "throughput",
                "emitted",
                "wall",
                "txn p50",
                "txn p99",
                "commit→stored p50",
                "p95",
                "p99",
            ],
            rows,
        ),
        "",
        f"Sample counts: transaction times — one per transaction (column *transactions*); "
        f"commit → stored — one per event ({sizes.outbox_events:,} per run).",
        "",
        "Exactly-once check (the stream read back through a no-ack consumer, by `Lingxi-Event-Id`):",
        "",
    ]
    for run in results.outbox:
        lines.append(f"- {run.label}: {run.check.text()}")
        if run.order_inversions is not None:
            lines.append(
                f"  - order: {run.order_inversions:,} adjacent pairs stored out of outbox `seq` order"
            )
    return [*lines, ""]


def _latency_section(results: Results) -> list[str]:
    rows = [
        [
            run.label,
            f"{run.offered_rate:g}/s × {run.seconds:g} s",
            f"{run.achieved_rate:,.0f}/s",
            f"{run.handled:,} / {run.sent:,}",
            ms(run.latency.p50),
            ms(run.latency.p95),
            ms(run.latency.p99),
            ms(run.latency.max),
        ]
        for run in results.latency
    ]
    return [
        "## 2. Commit → consumer latency",
        "",
        "A producer process (`python -m tests.bench._producer`: emitter plus its own `OutboxRelay`, as a "
        "producing service) commits one event per transaction on a fixed schedule (open loop, so a slow "
        "consumer shows as latency rather than a lower rate). The benchmark process consumes them with a "
        "`ConsumerWorker` (production defaults: fetch batch 64, fetch timeout 1 s) bound to a durable pull "
        "consumer provisioned from a `ConsumerDecl` with the declared ack/redelivery settings. Latency is "
        "from the commit returning in the producer to the handler being entered, both stamped with the "
        "wall clock of this one machine. A warm-up of half a second at the same rate is not counted.",
        "",
        table(
            ["handler", "offered", "achieved", "handled / sent", "p50", "p95", "p99", "max"],
            rows,
        ),
        "",
        "Sample count per row: *handled*.",
        "",
    ]


def _grpc_section(results: Results) -> list[str]:
    sizes = results.sizes
    rows = [
        [
            run.method,
            run.where,
            str(run.load.concurrency),
            f"{run.load.calls:,}",
            ms(run.load.latency.p50),
            ms(run.load.latency.p95),
            ms(run.load.latency.p99),
            rate_text(run.load.per_second, "req"),
            f"{run.load.errors:,}",
        ]
        for run in results.grpc
    ]
    health = [f"- {where}: {flips.text()}" for where, flips in results.grpc_health]
    return [
        "## 3. gRPC: the tag service",
        "",
        "The real tag service (`lingxi_tag.main.DEFINITION`, as it stands on the run's date, with its "
        "interceptors, health loop, outbox relay, consumers, background worker and telemetry). "
        "*In-process*: started with `lingxi_common.testing.services.running_service` in the benchmark's "
        "own event loop, so client and server share one Python process. *Separate process*: "
        "`python -m lingxi_tag`, as a container runs it, called over loopback. Closed loop: "
        "*concurrency* callers, each waiting for its answer, through the client interceptors a Lingxi "
        "caller uses (service token, caller identity, tracing). `Health/Check` is the floor: the gRPC "
        "stack and interceptors with no domain code. `UpsertCustomer` creates a new customer per call "
        "(everything the tag service does on an upsert, including PII encryption and the outbox "
        "event); `GetCustomer` reads random customers created before, as an HQ operator (masked PII, "
        f"no audit row). Each row stops at {sizes.grpc_max_calls:,} calls or after its time limit, "
        f"whichever comes first; {sizes.grpc_warmup} warm-up calls per method are not counted.",
        "",
        table(
            ["method", "service", "concurrency", "calls", "p50", "p95", "p99", "throughput", "errors"],
            rows,
            numeric_from=2,
        ),
        "",
        "Sample count per row: *calls* minus *errors*. Health (`grpc.health.v1`) while under this load:",
        "",
        *health,
        "",
    ]


def _cold_start_section(results: Results) -> list[str]:
    rows = [
        [
            start.label,
            str(len(start.samples)),
            ms(start.median),
            ms(min(start.finished)) if start.finished else "–",
            ms(max(start.finished)) if start.finished else "–",
            str(len(start.samples) - len(start.finished)),
        ]
        # Starts first, then stops, each in the order measured.
        for start in sorted(results.cold_starts, key=lambda row: row.label.startswith("stop"))
    ]
    return [
        "## 4. Service cold start (and stop)",
        "",
        "The tag service from `ServiceRunner.start()` (in-process rows) or from spawning the process "
        "(which adds interpreter start-up and imports) until `grpc.health.v1` reports the service "
        "`SERVING` (polled with `Health/Check` every 5 ms): gRPC bind, PostgreSQL reachable, Alembic "
        "migrations, NATS connection, stream provisioning, workers and the first health check. "
        "Production settings apart from ports. Stop rows: leaving `running_service` (which calls "
        "`ServiceRunner.stop()`), or SIGTERM to process exit, waiting up to 45 s (Kubernetes' default "
        "grace period is 30 s) before killing it; a killed stop has no duration, so its row shows no "
        "median.",
        "",
        table(["start / stop", "runs", "median", "min", "max", "killed"], rows),
        "",
    ]


def _memory_section(results: Results) -> list[str]:
    rows = [[label, mib(size)] for label, size in results.memory]
    return [
        "## 5. Memory",
        "",
        "Resident set size (psutil), at the points named. The benchmark process also holds the "
        "benchmark's own samples and clients; the separate service process is the figure to size a "
        "container by.",
        "",
        table(["process, when", "RSS"], rows),
        "",
    ]


def _cpu_section(results: Results) -> list[str]:
    rows = [
        [
            row.label,
            seconds_text(row.wall),
            f"{row.share(row.ours):.0%}",
            f"{row.share(row.foreign):.0%}",
            f"{row.share(row.steal):.0%}",
        ]
        for row in results.cpu.rows
    ]
    disturbed = results.cpu.disturbed
    verdict = (
        "Other workloads took more than "
        f"{CpuLog.DISTURBED:.0%} of the machine during: "
        + "; ".join(row.label for row in disturbed)
        + ". Those figures understate this machine; compare them with a run on a quiet machine."
        if disturbed
        else f"No measurement lost more than {CpuLog.DISTURBED:.0%} of the machine to other workloads."
    )
    return [
        "## CPU during each measurement",
        "",
        "Share of the machine's capacity (wall time × logical CPUs) used by this benchmark's processes "
        "(itself, the embedded servers, the spawned service and producer), by every other process on "
        "the machine, and stolen by the hypervisor; from `/proc/stat` and psutil, read between "
        f"measurements only. {verdict}",
        "",
        table(["measurement", "wall", "this benchmark", "other processes", "steal"], rows),
        "",
    ]


def render(results: Results) -> str:
    """The whole report as Markdown, from measured values only."""
    sizes = results.sizes
    latency_sizes = "; ".join(
        f"{label}: {rate:g}/s for {seconds:g} s" for label, rate, seconds, _ in sizes.latency_runs
    )
    concurrencies = " and ".join(str(c) for c in sizes.grpc_concurrency)
    size_rows = [
        (
            "Outbox relay",
            f"{sizes.outbox_events:,} events per run; transactions of "
            + ", ".join(f"{size}{' (emit_many)' if batched else ''}" for size, batched in sizes.outbox_runs)
            + f"; {sizes.emitters} emitters",
        ),
        ("Commit → consumer", latency_sizes),
        (
            "gRPC (in-process)",
            f"per method at concurrency {concurrencies}: up to {sizes.grpc_max_calls:,} calls or "
            f"{sizes.grpc_seconds:g} s (Health/Check: {sizes.grpc_floor_seconds:g} s); "
            f"{sizes.grpc_warmup} warm-up calls per method",
        ),
        (
            "gRPC (separate process)",
            f"per method at concurrency {max(sizes.grpc_concurrency)}: up to {sizes.grpc_max_calls:,} "
            f"calls or {sizes.process_seconds:g} s",
        ),
        ("Cold start", f"{sizes.cold_starts} starts per row"),
    ]
    status = "all checks passed" if results.checks_ok else "**a check failed — see below**"
    if results.cpu.disturbed:
        status += "; **other workloads shared the machine — see “CPU during each measurement”**"
    lines = [
        "# Foundation benchmark",
        "",
        "<!-- Generated by `python -m tests.bench foundation`; do not edit by hand, re-run it. -->",
        "",
        "What every Lingxi service inherits from `lingxi_common` before doing any domain work: the "
        "transactional outbox and its relay, the path from a commit to a consumer's handler, the gRPC "
        "stack (measured through the tag service), service start-up and memory. Figures are "
        "measurements of one run on the machine below, not targets or test assertions.",
        "",
        f"Command: `{results.command}` (or `make bench`), run from the repository root; took "
        f"{results.duration:.0f} s; {status}.",
        "",
        "## Machine",
        "",
        key_values(results.machine),
        "",
        "## Dataset sizes",
        "",
        key_values(size_rows),
        "",
        *_outbox_section(results),
        *_latency_section(results),
        *_grpc_section(results),
        *_cold_start_section(results),
        *_memory_section(results),
        *_cpu_section(results),
    ]
    return "\n".join(lines).rstrip() + "\n"


BENCHMARK = Benchmark(
    name=NAME,
    summary="outbox relay, commit→consumer latency, gRPC, cold start, memory",
    run=run,
    order=0,
)
