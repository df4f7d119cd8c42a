"""`python -m tests.bench tag`: the tag service's hot paths, measured on this machine.

1. Bulk import (COPY + set-based merge) of generated extracts: a first load of customers,
   accounts, holdings and metrics, then the next night's customers extract (``_tag_import``).
2. Audience index: rebuild time and size; a 5-term estimate on the bitmaps side by side with the
   equivalent SQL over ``customer_tags`` in the same database, same data.
3. Ingestion throughput of ``/sa`` and ``/v1/batch``: the gateway as its own process (what
   ``lingxi serve gateway`` runs), JetStream file storage, prepared requests over keep-alive
   connections; the gateway's CPU is recorded beside the rate.
4. Event → tag change latency at increasing rates: the tag service as its own process; batches
   that each make a new customer a live-stream fan are published on the ingest subject at a fixed
   rate; latency runs from the JetStream ack of the batch to the ``CustomerTagChanged``
   (causation = batch id) arriving on NATS through the outbox.

Sizes scale with ``--scale``; the report records the sizes actually used. Tag values for section 2
are written by SQL with fixed densities (40 tags) rather than by the rule engine, so the index
and the SQL see identical, deterministic data of the intended shape.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import psutil
import sqlalchemy as sa

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import ingest_events_pb2 as ingest_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi_common.bus import message_headers
from lingxi_common.db import create_engine, session_factory
from lingxi_common.identity import Caller, Role
from lingxi_common.migrations import migrate_service
from lingxi_common.runtime.ports import find_free_port
from lingxi_common.settings import ServiceSettings
from lingxi_common.streams import load_declarations, provision
from tests.bench._core import EXIT_CHECK_FAILED, EXIT_OK, BenchContext, Benchmark
from tests.bench._machine import CpuShare, cpu_snapshot, describe_machine
from tests.bench._markdown import key_values, table
from tests.bench._service import service_process
from tests.bench._stats import Distribution, ms
from tests.bench._tag_import import ImportFigures, measure_imports, render_import

NAME = "tag"
TARGET_CUSTOMERS = 10_000_000
EXPRESSION = (
    'asset_tier in ["w50_100", "w100_plus"] && t_behavior_01 && !t_holding_03 && '
    'risk_level >= "C3" && (t_group_02 || t_lifecycle_04)'
)
SQL_EQUIVALENT = """
SELECT count(*) FROM tag.customers c
WHERE EXISTS (SELECT 1 FROM tag.customer_tags t WHERE t.customer_id = c.customer_id AND t.tag_code = 'asset_tier'
              AND t.value IN ('w50_100', 'w100_plus'))
  AND EXISTS (SELECT 1 FROM tag.customer_tags t WHERE t.customer_id = c.customer_id AND t.tag_code = 't_behavior_01')
  AND NOT EXISTS (SELECT 1 FROM tag.customer_tags t WHERE t.customer_id = c.customer_id AND t.tag_code = 't_holding_03')
  AND EXISTS (SELECT 1 FROM tag.customer_tags t WHERE t.customer_id = c.customer_id AND t.tag_code = 'risk_level'
              AND t.value >= 'C3')
  AND (EXISTS (SELECT 1 FROM tag.customer_tags t WHERE t.customer_id = c.customer_id AND t.tag_code = 't_group_02')
       OR EXISTS (SELECT 1 FROM tag.customer_tags t WHERE t.customer_id = c.customer_id AND t.tag_code = 't_lifecycle_04'))
"""  # noqa: E501


@dataclass
class IngestionRow:
    """One endpoint of section 3."""

    label: str
    events: int
    seconds: float
    gateway_cores: float
    foreign_cores: float


@dataclass
class Results:
    command: str
    started_at: datetime
    customers: int
    machine: list[tuple[str, str]] = field(default_factory=list)
    imports: ImportFigures | None = None
    tag_rows: int = 0
    index_seconds: float = 0.0
    index_bytes: int = 0
    bitmap_count: int = 0
    estimate: Distribution | None = None
    estimate_count: int = 0
    sql: Distribution | None = None
    sql_count: int = 0
    ingestion: list[IngestionRow] = field(default_factory=list)
    ingestion_server: str = ""
    latencies: list[LatencyRow] = field(default_factory=list)
    latency_customers: int = 0
    latency_settle_seconds: float = 0.0
    duration: float = 0.0


SYNTHETIC_TAGS = [
    f"t_{group}_{n:02d}" for group in ("behavior", "holding", "group", "lifecycle") for n in range(1, 10)
]
DENSITIES = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.15, 0.08]


async def section_import(url: str, results: Results, scratch: Path) -> None:
    pii_key = ServiceSettings(service_name="tag").pii_key
    results.imports = await measure_imports(url, pii_key, results.customers, scratch)


async def section_index(url: str, results: Results) -> None:
    from lingxi_tag.audience_expr import parse
    from lingxi_tag.index import AudienceIndex

    engine = create_engine(url, application_name="bench-tag")
    async with engine.begin() as conn:
        await conn.execute(sa.text("TRUNCATE tag.customer_tags"))
        await conn.execute(
            sa.text(
                "INSERT INTO tag.customer_tags (customer_id, tag_code, value, definition_version) "
                "SELECT a.customer_id, 'asset_tier', CASE WHEN a.total_assets >= 1000000 THEN 'w100_plus' "
                "WHEN a.total_assets >= 500000 THEN 'w50_100' WHEN a.total_assets >= 300000 THEN 'w30_50' "
                "WHEN a.total_assets >= 100000 THEN 'w10_30' ELSE 'w0_10' END, 1 FROM tag.accounts a"
            )
        )
        await conn.execute(
            sa.text(
                "INSERT INTO tag.customer_tags (customer_id, tag_code, value, definition_version) "
                "SELECT customer_id, 'risk_level', 'C' || risk_level, 1 FROM tag.customers WHERE risk_level IS NOT NULL"  # noqa: E501
            )
        )
        for number, code in enumerate(SYNTHETIC_TAGS):
            density = DENSITIES[number % len(DENSITIES)]
            await conn.execute(
                sa.text(
                    "INSERT INTO tag.customer_tags (customer_id, tag_code, value, definition_version) "
                    "SELECT customer_id, :code, 'true', 1 FROM tag.customers "
                    "WHERE (hashtext(customer_id || :code) & 1023) < :cut"
                ),
                {"code": code, "cut": int(density * 1024)},
            )
        await conn.execute(sa.text("ANALYZE tag.customer_tags"))
        results.tag_rows = int(
            (await conn.execute(sa.text("SELECT count(*) FROM tag.customer_tags"))).scalar_one()
        )
    index = AudienceIndex(session_factory(engine))
    began = time.perf_counter()
    await index.rebuild()
    results.index_seconds = time.perf_counter() - began
    results.index_bytes = index.memory_bytes()
    results.bitmap_count = len(index._all_bitmaps())
    node = parse(EXPRESSION)
    hq = Caller(subject="bench", role=Role.HQ_OPERATOR)
    samples = []
    for _ in range(300):
        began = time.perf_counter()
        selected = index.evaluate(node) & index.scope_of(hq)
        results.estimate_count = len(selected)
        samples.append(time.perf_counter() - began)
    results.estimate = Distribution.of(samples)
    sql_samples = []
    async with engine.connect() as conn:
        for _ in range(7 if results.customers <= 1_000_000 else 3):  # a 10M-customer run takes ~1 min each
            began = time.perf_counter()
            results.sql_count = int((await conn.execute(sa.text(SQL_EQUIVALENT))).scalar_one())
            sql_samples.append(time.perf_counter() - began)
    results.sql = Distribution.of(sql_samples)
    await engine.dispose()


def _sa_body(records: list[dict[str, Any]]) -> bytes:
    encoded = base64.b64encode(gzip.compress(json.dumps(records).encode())).decode()
    from urllib.parse import urlencode

    return urlencode({"data_list": encoded, "gzip": 1}).encode()


INGEST_KEY = "bench-write-key-1"
INGEST_CONNECTIONS = 16
EVENTS_PER_REQUEST = 100


def _http_request(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _sa_request(number: int) -> bytes:
    now_ms = int(time.time() * 1000)
    records = [
        {
            "type": "track",
            "event": "ViewStock",
            "time": now_ms,
            "distinct_id": f"d{n}",
            "properties": {"stock_code": "600519", "$is_login_id": False},
            "lib": {"$lib": "python"},
            "_track_id": f"{number}-{n}-{uuid.uuid4().hex[:8]}",
        }
        for n in range(EVENTS_PER_REQUEST)
    ]
    return _http_request(
        "/sa?project=default", _sa_body(records), {"Content-Type": "application/x-www-form-urlencoded"}
    )


def _segment_request(number: int) -> bytes:
    tag = uuid.uuid4().hex[:8]
    body = json.dumps(
        {
            "batch": [
                {
                    "type": "track",
                    "event": "ViewStock",
                    "userId": f"u{j}",
                    "messageId": f"{number}-{j}-{tag}",
                    "properties": {"stock_code": "600519"},
                }
                for j in range(EVENTS_PER_REQUEST)
            ]
        }
    ).encode()
    return _http_request(
        "/v1/batch",
        body,
        {
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(f"{INGEST_KEY}:".encode()).decode(),
        },
    )


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one prepared request on a keep-alive connection; the response status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    if status != 200:
        raise AssertionError(f"{status}: {body[:300]!r}")
    return status


async def _drive(port: int, requests: list[bytes], seconds: float) -> tuple[int, float]:
    """INGEST_CONNECTIONS keep-alive connections send prepared, distinct requests back to back
    for ``seconds``; returns (requests answered 200, elapsed). A minimal HTTP/1.1 client on
    asyncio streams keeps the load generator's own CPU small next to the gateway's."""
    queue = iter(requests)
    done = [0]
    deadline = time.monotonic() + seconds

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                request = next(queue, None)
                if request is None:
                    return
                await _exchange(reader, writer, request)
                done[0] += 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(INGEST_CONNECTIONS)))
    return done[0], time.perf_counter() - began


@contextlib.asynccontextmanager
async def _gateway_process(nats_url: str) -> AsyncIterator[tuple[int, str, psutil.Process]]:
    """The gateway as its own process, as `lingxi serve gateway` runs it; yields (port, what
    serves HTTP, the process)."""
    port = find_free_port()
    scratch = Path(tempfile.mkdtemp(prefix="lingxi-bench-gw-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("LINGXI_")}
    env.update(
        LINGXI_NATS_URL=nats_url,
        LINGXI_GATEWAY_PORT=str(port),
        LINGXI_DEV_ISSUER_KEY_PATH=str(scratch / "issuer.pem"),
        LINGXI_LOG_LEVEL="WARNING",
        LINGXI_INGEST_SOURCES=json.dumps(
            [
                {"source_id": "sa", "kind": "sensors", "project": "default"},
                {"source_id": "seg", "kind": "segment", "write_key": INGEST_KEY},
            ]
        ),
    )
    log = (scratch / "gateway.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "lingxi_gateway.main", env=env, stdout=log, stderr=log
    )
    try:
        probe = _segment_request(-1)
        deadline = time.monotonic() + 60
        while True:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                try:
                    await _exchange(reader, writer, probe)  # 200 once NATS is connected
                finally:
                    writer.close()
                break
            except (OSError, AssertionError, asyncio.IncompleteReadError):
                if process.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        (scratch / "gateway.log").read_text(errors="replace")[-2000:]
                    ) from None
                await asyncio.sleep(0.2)
        import importlib.util

        server = "uvicorn " + ", ".join(
            f"{name} {'yes' if importlib.util.find_spec(name) else 'no'}" for name in ("httptools", "uvloop")
        )
        yield port, server, psutil.Process(process.pid)
    finally:
        process.terminate()
        await process.wait()
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)


async def section_ingestion(nats_url: str, results: Results, seconds: float) -> None:
    """Each endpoint for ``seconds`` against the gateway process; requests are prepared before
    the clock starts (all distinct: JetStream would drop repeated batches as duplicates)."""
    expected = int(seconds * 40_000 / EVENTS_PER_REQUEST) + 200  # room for 40k events/s
    connection = await nats.connect(nats_url)
    js = connection.jetstream()
    async with _gateway_process(nats_url) as (port, server, gateway):
        results.ingestion_server = server
        for label, make in (
            ("POST /sa (100 records per request, gzip)", _sa_request),
            ("POST /v1/batch (100 messages per request)", _segment_request),
        ):
            requests = [make(number) for number in range(expected)]
            await _drive(port, requests[:200], 1.0)  # warm-up, not counted
            stored_before = (await js.stream_info("INGEST")).state.messages
            before, gateway_before = cpu_snapshot(), _cpu_seconds(gateway)
            answered, elapsed = await _drive(port, requests[200:], seconds)
            share = CpuShare.between(label, before, cpu_snapshot())
            gateway_cores = (_cpu_seconds(gateway) - gateway_before) / share.wall
            stored = (await js.stream_info("INGEST")).state.messages - stored_before
            if stored != answered:
                raise AssertionError(f"{label}: {answered} requests answered 200 but {stored} batches stored")
            results.ingestion.append(
                IngestionRow(
                    label,
                    answered * EVENTS_PER_REQUEST,
                    elapsed,
                    gateway_cores,
                    share.foreign / share.wall,
                )
            )
            print(
                f"  {label}: {answered * EVENTS_PER_REQUEST / elapsed:,.0f} events/s, "
                f"gateway {gateway_cores:.2f} cores, other load {share.foreign / share.wall:.2f} cores",
                flush=True,
            )
    await connection.close()


BATCH_SUBJECT = "lingxi.ingest.behavior_batch"
# (events per batch, offered rates in events/s). Every batch makes a new customer a live-stream
# fan, so every batch is one tag change: 2 events per batch is the hardest shape (a change per
# 2 events); 10 per batch is closer to an app SDK's flush (one device, several events).
LATENCY_SHAPES: list[tuple[int, list[float]]] = [(2, [500.0, 1000.0, 2500.0, 5000.0]), (10, [2500.0, 5000.0])]
WARMUP_RATE = 200.0
WARMUP_SECONDS = 3.0


@dataclass
class LatencyRow:
    """One offered rate of section 4."""

    events_per_batch: int
    rate: float
    events: int
    achieved: float  # events/s JetStream acknowledged while publishing
    latency: Distribution | None
    seen: int
    service_cores: float  # CPU of the tag service process over the run, in cores
    foreign_cores: float  # CPU of processes that are not this benchmark's, in cores
    machine_cores: float = 0.0  # CPU of every process (bench, servers, service, others), in cores


def _latency_customers(shapes: list[tuple[int, list[float]]], seconds: float) -> int:
    batches = WARMUP_RATE * WARMUP_SECONDS / 2
    batches += sum(rate * seconds / size for size, rates in shapes for rate in rates)
    return int(batches) + 100


def _fan_batch(customer: str, size: int) -> tuple[str, bytes, dict[str, str]]:
    """``size`` qualifying live-stream views (≥ 2) by ``customer``, ready to publish:
    (batch id, payload, headers)."""
    batch_id = str(uuid.uuid4())
    batch = ingest_pb2.BehaviorBatch(meta=event_meta_pb2.EventMeta(event_id=batch_id), source_id="bench")
    for _ in range(size):
        event = batch.events.add(
            meta=event_meta_pb2.EventMeta(event_id=str(uuid.uuid4())),
            source_id="bench",
            type=ingest_pb2.BEHAVIOR_TYPE_TRACK,
            event_name="WatchLiveStream",
            user_id=customer,
        )
        event.event_time.GetCurrentTime()
        event.properties.update({"duration_seconds": 300})
    return batch_id, batch.SerializeToString(), message_headers(batch, batch_id)


async def _offer(
    js: Any, customers: Iterator[str], size: int, rate: float, seconds: float
) -> tuple[dict[str, float], float]:
    """Publish fan batches of ``size`` events at ``rate`` events/s for ``seconds`` (prepared
    before the clock starts; acks awaited asynchronously, so the publisher keeps its pace);
    returns {batch id: JetStream ack time} and the acked rate in events/s."""
    prepared = [_fan_batch(next(customers), size) for _ in range(int(rate * seconds / size))]
    acked: dict[str, float] = {}
    pending: list[asyncio.Future[Any]] = []
    interval = size / rate
    began = time.perf_counter()
    for number, (batch_id, payload, headers) in enumerate(prepared):
        future = await js.publish_async(BATCH_SUBJECT, payload, headers=headers)
        future.add_done_callback(lambda _f, key=batch_id: acked.setdefault(key, time.perf_counter()))
        pending.append(future)
        pause = began + (number + 1) * interval - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
    await asyncio.gather(*pending)
    elapsed = max(acked.values(), default=began) - began
    return acked, len(acked) * size / elapsed if elapsed > 0 else 0.0


async def section_latency(
    url: str, nats_url: str, results: Results, shapes: list[tuple[int, list[float]]], seconds: float
) -> None:
    """The tag service as its own process on a database of its own, with one customer per batch
    (each batch makes a new customer a live-stream fan, so every batch yields exactly one
    ``live_stream_fan`` change to time)."""
    from lingxi_tag.demo import generate_dataset, load_dataset

    connection = await nats.connect(nats_url)
    await connection.jetstream().purge_stream("INGEST")  # section 3's traffic is not for the service
    await connection.close()
    results.latency_customers = _latency_customers(shapes, seconds)
    with tempfile.TemporaryDirectory() as scratch:
        paths = generate_dataset(Path(scratch), results.latency_customers, seed=9)
        await load_dataset(url, ServiceSettings(service_name="tag").pii_key, paths, echo=False)

    engine = create_engine(url, application_name="bench-tag-latency")
    async with service_process("tag", url, nats_url) as service:
        began = time.perf_counter()
        await _settled(engine)  # library installed, start-up recomputes done, outbox drained
        results.latency_settle_seconds = time.perf_counter() - began
        connection = await nats.connect(nats_url)
        received: dict[str, float] = {}

        async def on_change(msg: Any) -> None:
            change = tag_events_pb2.CustomerTagChanged.FromString(msg.data)
            if change.tag_code == "live_stream_fan":
                received.setdefault(change.meta.causation_id, time.perf_counter())

        await connection.subscribe("lingxi.tag.customer_tag.changed", cb=on_change)
        js = connection.jetstream()
        customer_ids = [f"C{n:08d}" for n in range(1, results.latency_customers + 1)]
        random.Random(5).shuffle(customer_ids)
        customers = iter(customer_ids)
        tag_process = psutil.Process(service.pid)
        runs = [(2, WARMUP_RATE, WARMUP_SECONDS)] + [
            (size, rate, seconds) for size, rates in shapes for rate in rates
        ]
        for number, (size, rate, duration) in enumerate(runs):
            before, cpu_before = cpu_snapshot(), _cpu_seconds(tag_process)
            acked, achieved = await _offer(js, customers, size, rate, duration)
            deadline = time.perf_counter() + 60
            while any(b not in received for b in acked) and time.perf_counter() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            share = CpuShare.between("", before, cpu_snapshot())
            service_cores = (_cpu_seconds(tag_process) - cpu_before) / share.wall
            samples = [received[batch_id] - sent for batch_id, sent in acked.items() if batch_id in received]
            print(
                f"  event→tag at {rate:g} events/s, {size} per batch{' (warm-up)' if not number else ''}: "
                f"{len(samples)}/{len(acked)} changes seen, p50 "
                f"{ms(Distribution.of(samples).p50) if samples else '–'}",
                flush=True,
            )
            if number == 0:
                continue  # the warm-up
            results.latencies.append(
                LatencyRow(
                    events_per_batch=size,
                    rate=rate,
                    events=len(acked) * size,
                    achieved=achieved,
                    latency=Distribution.of(samples) if samples else None,
                    seen=len(samples),
                    service_cores=service_cores,
                    foreign_cores=share.foreign / share.wall,
                    machine_cores=(share.ours + share.foreign) / share.wall,
                )
            )
            await asyncio.sleep(1)  # let the relay and the index settle between rates
        await connection.close()
    await engine.dispose()


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


async def _settled(engine: Any, timeout: float = 600.0) -> None:
    """Until the service installed its library, finished its start-up recomputes and published
    what they announced: measuring earlier would time the recompute backlog, not the events."""
    deadline = time.monotonic() + timeout
    async with engine.connect() as conn:
        while time.monotonic() < deadline:
            definitions, busy, unpublished = (
                await conn.execute(
                    sa.text(
                        "SELECT (SELECT count(*) FROM tag.tag_definitions), "
                        "(SELECT count(*) FROM tag.recompute_jobs WHERE state IN (1, 2)), "
                        "(SELECT count(*) FROM tag.outbox WHERE published_at IS NULL)"
                    )
                )
            ).one()
            await conn.rollback()
            if definitions >= 40 and not busy and not unpublished:
                return
            await asyncio.sleep(1)
    raise TimeoutError("the tag service did not settle (library, recomputes, outbox)")


def render_header(results: Results) -> list[str]:
    return [
        "# Tag service benchmark",
        "",
        f"Measured by `{results.command}` on {results.started_at:%Y-%m-%d %H:%M} UTC in {results.duration:.0f} s. "  # noqa: E501
        f"**Size: {results.customers:,} customers** — the issue's target is {TARGET_CUSTOMERS:,}; that size does not "  # noqa: E501
        "fit this 2-core machine's time budget, so every figure below is at the size stated, and the index size is "  # noqa: E501
        "also extrapolated linearly (bitmaps grow about linearly with customers at fixed densities).",
        "",
        "## Machine",
        "",
        key_values(results.machine),
        "",
    ]


def render_index(results: Results) -> list[str]:
    estimate, sql = results.estimate, results.sql
    speedup = (sql.p50 / estimate.p50) if estimate and sql and estimate.p50 else float("nan")
    per_customer = results.index_bytes / max(results.customers, 1)
    return [
        "## 2. Audience index vs SQL",
        "",
        f"{results.tag_rows:,} tag values (asset_tier and risk_level from the imported data, 36 synthetic tags "  # noqa: E501
        "at densities 2–50%). Expression (5 terms):",
        "",
        f"    {EXPRESSION}",
        "",
        table(
            ["", "p50", "p99", "runs", "count"],
            [
                [
                    "bitmap estimate (in process, scope applied)",
                    ms(estimate.p50) if estimate else "–",
                    ms(estimate.p99) if estimate else "–",
                    estimate.count if estimate else 0,
                    f"{results.estimate_count:,}",
                ],
                [
                    "same selection in SQL (EXISTS over customer_tags)",
                    ms(sql.p50) if sql else "–",
                    ms(sql.p99) if sql else "–",
                    sql.count if sql else 0,
                    f"{results.sql_count:,}",
                ],
            ],
        ),
        "",
        f"Speed-up at p50: **{speedup:,.0f}×**. Counts agree: {results.estimate_count == results.sql_count}.",
        "",
        f"Index: {results.bitmap_count:,} bitmaps, {results.index_bytes / 1e6:,.1f} MB serialized "
        f"({per_customer:.1f} bytes per customer); rebuilt from PostgreSQL in {results.index_seconds:.1f} s. "
        + (
            f"Target ≤ 2 GB at {TARGET_CUSTOMERS:,} customers: measured at that size."
            if results.customers >= TARGET_CUSTOMERS
            else f"Linear extrapolation to {TARGET_CUSTOMERS:,} customers: "
            f"≈{per_customer * TARGET_CUSTOMERS / 1e9:.2f} GB (target ≤ 2 GB)."
        ),
        "",
    ]


def render_section(name: str, results: Results) -> list[str]:
    """One section's Markdown, from its ``## N.`` heading on."""
    if name == "import":
        return render_import(results.imports) if results.imports else []
    if name == "index":
        return render_index(results)
    if name == "ingestion":
        return render_ingestion(results)
    return render_latency(results)


def render(results: Results) -> str:
    lines = render_header(results)
    for name in SECTIONS:
        lines += render_section(name, results)
    return "\n".join(lines)


def _heading_key(line: str) -> str | None:
    """``"## 4."`` for a numbered section heading, None for any other line."""
    if not line.startswith("## "):
        return None
    number = line[3:].split(" ", 1)[0]
    return f"## {number}" if number.endswith(".") else None


def merge_sections(stored: str | None, results: Results, ran: list[str]) -> str:
    """The stored report with only the sections of this run replaced (``--only``).

    Each replaced section says when, by which command and at what load it was measured, since the
    header and the Machine table above belong to the run that wrote the whole file.
    """
    loads = dict(results.machine).get("Load average before measuring (1/5/15 min)", "?")
    fresh: dict[str, list[str]] = {}
    for name in ran:
        lines = render_section(name, results)
        if not lines:
            continue
        stamp = (
            f"*This section was measured on its own by `{results.command}` on "
            f"{results.started_at:%Y-%m-%d %H:%M} UTC (load average before measuring, 1/5/15 min: "
            f"{loads}); the header and Machine table above belong to the last full run.*"
        )
        fresh[_heading_key(lines[0]) or lines[0]] = [lines[0], "", stamp, *lines[1:]]
    if not stored:
        return "\n".join(render_header(results) + [line for name in fresh for line in fresh[name]])
    out: list[str] = []
    skipping = False
    for line in stored.split("\n"):
        key = _heading_key(line)
        if key is not None or line.startswith("## "):
            skipping = False
            if key in fresh:
                out += fresh.pop(key)
                skipping = True
                continue
        if not skipping:
            out.append(line)
    for lines in fresh.values():  # sections the stored report did not have yet
        out += lines
    return "\n".join(out)


def render_ingestion(results: Results) -> list[str]:
    return [
        "## 3. Ingestion throughput",
        "",
        "The gateway runs as its own process (`python -m lingxi_gateway.main`, what `lingxi serve gateway` "
        f"runs: one process, {results.ingestion_server}), publishing to JetStream with file storage; every "
        "answer waits for the JetStream ack of its batch, and the bench checks that JetStream holds one "
        "batch per answered request. The bench process sends prepared, distinct requests over "
        f"{INGEST_CONNECTIONS} keep-alive connections (a minimal HTTP/1.1 client, so the load generator's "
        "own CPU stays small). NATS, the gateway and the client share the machine's 2 cores; *gateway CPU* "
        "is the gateway process's CPU time over the run (1.00 = one core busy), *other load* the CPU used "
        "by processes that are not this benchmark's (other work on the host).",
        "",
        table(
            ["endpoint", "events", "rate", "gateway CPU", "events per gateway CPU-second", "other load"],
            [
                [
                    row.label,
                    f"{row.events:,}",
                    f"{row.events / row.seconds:,.0f} events/s",
                    f"{row.gateway_cores:.2f} cores",
                    f"{row.events / row.seconds / row.gateway_cores:,.0f}" if row.gateway_cores else "–",
                    f"{row.foreign_cores:.2f} cores",
                ]
                for row in results.ingestion
            ],
        ),
        "",
    ]


def _setting(name: str) -> Any:
    from lingxi_tag.settings import TagSettings

    return TagSettings.model_fields[name].default


def render_latency(results: Results) -> list[str]:
    lines = [
        "## 4. Event → tag change latency",
        "",
        "The tag service runs as its own process (`python -m lingxi_tag`, default settings: "
        f"{_setting('behavior_lanes')} consumer lane(s) of up to {_setting('behavior_batch_size')} batches "
        "per transaction) on a database of its own with "
        f"{results.latency_customers:,} generated customers (settled — library installed, start-up "
        f"recomputes done and published — after {results.latency_settle_seconds:.0f} s). The bench "
        "publishes behaviour batches of qualifying live-stream views on `lingxi.ingest.behavior_batch` "
        "at a fixed rate, each batch for a customer not used before, so each batch makes exactly one "
        "customer a `live_stream_fan` — every batch is one tag change, written, announced through the "
        "outbox and indexed. Latency runs from the JetStream ack of the batch to its "
        "`CustomerTagChanged` (causation = batch id) arriving on NATS through the outbox relay. "
        f"A {WARMUP_SECONDS:g} s warm-up at {WARMUP_RATE:g} events/s is not counted. *Acked rate* is "
        "what JetStream confirmed while publishing; *service CPU* the tag service process's CPU over "
        "the run (1.00 = one core); *other load* CPU of processes that are not this benchmark's; "
        "*machine busy* the CPU of every process on the host (this bench's publisher and subscriber, "
        "PostgreSQL, NATS, the service, other work) in cores — all three over publishing and draining.",
        "",
    ]
    for size in sorted({row.events_per_batch for row in results.latencies}):
        rows = [row for row in results.latencies if row.events_per_batch == size]
        lines += [
            f"**{size} events per batch** ({'a tag change every 2 events' if size == 2 else f'a tag change every {size} events, like one app flush'}):",  # noqa: E501
            "",
            table(
                [
                    "offered rate",
                    "events",
                    "acked rate",
                    "p50",
                    "p95",
                    "p99",
                    "max",
                    "changes seen",
                    "service CPU",
                    "other load",
                    "machine busy",
                ],
                [
                    [
                        f"{row.rate:,.0f} events/s",
                        f"{row.events:,}",
                        f"{row.achieved:,.0f}/s",
                        ms(row.latency.p50) if row.latency else "–",
                        ms(row.latency.p95) if row.latency else "–",
                        ms(row.latency.p99) if row.latency else "–",
                        ms(row.latency.max) if row.latency else "–",
                        f"{row.seen:,} of {row.events // size:,}",
                        f"{row.service_cores:.2f} cores",
                        f"{row.foreign_cores:.2f} cores",
                        f"{row.machine_cores:.2f} of {psutil.cpu_count() or 1}",
                    ]
                    for row in rows
                ],
            ),
            "",
        ]
    return lines


SECTIONS = ["import", "index", "ingestion", "latency"]


def chosen_sections(requested: frozenset[str]) -> list[str]:
    """The sections to run, in report order; the index is measured on the imported data, so
    choosing it imports too."""
    unknown = sorted(requested - set(SECTIONS))
    if unknown:
        raise ValueError(
            f"unknown tag bench section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    chosen = set(requested or SECTIONS)
    if "index" in chosen:
        chosen.add("import")
    return [name for name in SECTIONS if name in chosen]


async def run(ctx: BenchContext) -> int:
    began = time.perf_counter()
    try:
        sections = chosen_sections(ctx.sections)
    except ValueError as error:
        print(error)
        return EXIT_CHECK_FAILED
    customers = max(1_000, int(200_000 * ctx.scale))
    results = Results(command=ctx.command, started_at=datetime.now(UTC), customers=customers)
    backends = await ctx.backends.ensure()
    results.machine = describe_machine(backends, results.started_at)
    connection = await nats.connect(backends.nats_url)
    await provision(connection.jetstream(), load_declarations())
    await connection.close()
    if "import" in sections:
        url = backends.new_database("bench_tag")
        await migrate_service("tag", url)
        with tempfile.TemporaryDirectory() as scratch:
            await section_import(url, results, Path(scratch))
        if "index" in sections:
            await section_index(url, results)
    if "ingestion" in sections:
        await section_ingestion(backends.nats_url, results, seconds=max(3.0, 8 * min(ctx.scale, 1)))
    if "latency" in sections:
        latency_url = backends.new_database("bench_tag_latency")
        await migrate_service("tag", latency_url)
        await section_latency(
            latency_url,
            backends.nats_url,
            results,
            shapes=LATENCY_SHAPES,
            seconds=max(3.0, 8 * min(ctx.scale, 1)),
        )
    results.duration = time.perf_counter() - began
    partial = sections != SECTIONS
    if partial:
        report = "\n".join(line for name in sections for line in render_section(name, results))
    else:
        report = render(results)
    print(report)
    if ctx.write:
        path = ctx.report_path(NAME)
        path.parent.mkdir(parents=True, exist_ok=True)
        if partial:
            stored = path.read_text(encoding="utf-8") if path.exists() else None
            report = merge_sections(stored, results, sections)
        path.write_text(report, encoding="utf-8")
        print(f"wrote {path}")
    return EXIT_OK


BENCHMARK = Benchmark(
    name=NAME, summary="tag: import, audience index vs SQL, ingestion, event→tag latency", run=run, order=30
)
