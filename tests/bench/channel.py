"""The channel service: SendBatch throughput, accepted→provider latency, exactly-once under faults.

Everything real except the providers: the channel service runs in this process against real
PostgreSQL and NATS, with the contact policy on for every message (consent, address, DND, caps,
quiet hours, template approval, typed variables), and hands messages to the provider simulators
(tools/simulators) through the real SDKs (tencentcloud-sdk-python-sms, alibabacloud dysmsapi,
jpush). Customer addresses come over gRPC from a TagService stand-in serving GetCustomer.

Three runs:
1. sustained SendBatch (1000 messages per call, several concurrent callers): how fast sends are
   accepted into the ledger, and how fast the dispatcher hands them to providers;
2. single sends, one at a time: latency from the Send answer (accepted) to the provider receiving
   the call, measured on one clock (simulators run in this process);
3. faults: the primary SMS provider fails and throttles, the push provider fails, and the service is
   stopped and restarted mid-run; every accepted message must reach a provider exactly once.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lingxi.channel.v1 import (
    channel_pb2,
    channel_service_pb2,
    channel_service_pb2_grpc,
    template_service_pb2_grpc,
)
from lingxi.channel.v1 import template_service_pb2 as T
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi.tag.v1 import customer_pb2 as tag_customer_pb2
from lingxi_channel.main import DEFINITION
from lingxi_common.db import create_engine
from lingxi_common.identity import Caller, Role
from lingxi_common.testing.services import channel_to, running_service
from tests.bench._core import EXIT_CHECK_FAILED, EXIT_OK, BenchContext, Benchmark
from tests.bench._machine import describe_machine
from tests.bench._markdown import key_values, table
from tests.bench._stats import ms, rate_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "simulators"))

from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble, customer_book

NAME = "channel"
P = channel_pb2
C = enums_pb2
TARGET_RATE = 10_000
TARGET_P99 = 0.200
SYSTEM = Caller.system("campaign")
POLICY = json.dumps(
    {
        "caps": [
            {"channel": "CHANNEL_SMS", "message_class": "MESSAGE_CLASS_SERVICE", "per_day": 0, "per_week": 0},
            {
                "channel": "CHANNEL_APP_PUSH",
                "message_class": "MESSAGE_CLASS_SERVICE",
                "per_day": 0,
                "per_week": 0,
            },
        ]
    }
)


@dataclass(frozen=True)
class Sizes:
    customers: int = 5_000
    batch_messages: int = 20_000
    batch_size: int = 1_000
    batch_callers: int = 2
    single_sends: int = 300
    fault_messages: int = 6_000


@dataclass
class Results:
    command: str
    started_at: datetime
    sizes: Sizes
    machine: list[tuple[str, str]] = field(default_factory=list)
    accept_rate: float = 0.0
    accept_batch_p50: float = 0.0
    accept_batch_p99: float = 0.0
    provider_rate: float = 0.0
    batch_rejected: int = 0
    single_p50: float = 0.0
    single_p95: float = 0.0
    single_p99: float = 0.0
    fault_accepted: int = 0
    fault_delivered: int = 0
    fault_failovers: int = 0
    fault_duplicates: int = 0
    fault_lost: int = 0
    fault_dead_lettered: int = 0
    restart_seconds: float = 0.0
    duration: float = 0.0


def _accounts(hub: SimulatorHub) -> str:
    return json.dumps(
        [
            {
                "account_id": "tencent_sms_main",
                "channel": "CHANNEL_SMS",
                "provider": "tencent_sms",
                "endpoint": hub["tencent_sms"].endpoint,
                "sms_signature": "【灵犀证券】",
                "failover_order": 1,
                "enabled": True,
            },
            {
                "account_id": "aliyun_sms_backup",
                "channel": "CHANNEL_SMS",
                "provider": "aliyun_sms",
                "endpoint": hub["aliyun_sms"].endpoint,
                "sms_signature": "【灵犀证券】",
                "failover_order": 2,
                "enabled": True,
            },
            {
                "account_id": "jpush_app",
                "channel": "CHANNEL_APP_PUSH",
                "provider": "jpush",
                "endpoint": hub["jpush"].endpoint,
                "failover_order": 1,
                "enabled": True,
            },
        ]
    )


def _customers(tag: TagDouble, count: int) -> None:
    granted = customer_pb2.ChannelConsent(channel=C.CHANNEL_SMS, status=customer_pb2.CONSENT_STATUS_GRANTED)
    for index in range(count):
        customer_id = f"BC{index:06d}"
        tag.book.customers[customer_id] = tag_customer_pb2.Customer(
            customer_id=customer_id,
            branch_id=f"B{index % 40:02d}",
            advisor_id=f"A{index % 300:03d}",
            phone=f"139{index:08d}",
            consents=[granted],
        )


async def _templates(runner: Any) -> None:
    author = template_service_pb2_grpc.TemplateServiceStub(
        channel_to(runner, Caller("bench-hq", Role.HQ_OPERATOR))
    )
    reviewer = template_service_pb2_grpc.TemplateServiceStub(
        channel_to(runner, Caller("bench-c", Role.COMPLIANCE))
    )
    for code, channel in (("bench_sms", C.CHANNEL_SMS), ("bench_push", C.CHANNEL_APP_PUSH)):
        created = await author.CreateTemplate(
            T.CreateTemplateRequest(
                template=T.Template(
                    template_code=code, name=code, channel=channel, message_class=C.MESSAGE_CLASS_SERVICE
                ),
                content=T.TemplateContent(
                    title="到期提醒",
                    body="您持有的{{ product }}将于{{ due }}到期",
                    provider_template_id="2000001",
                ),
                variables=[
                    T.TemplateVariable(
                        name="product", type=T.VARIABLE_TYPE_STRING, required=True, max_length=20
                    ),
                    T.TemplateVariable(name="due", type=T.VARIABLE_TYPE_DATE, required=True),
                ],
            )
        )
        await author.SubmitTemplateVersion(T.SubmitTemplateVersionRequest(template_code=code, version=1))
        await reviewer.ApproveTemplateVersion(
            T.ApproveTemplateVersionRequest(
                template_code=code, version=1, content_sha256=created.version.content_sha256
            )
        )


def _message(key: str, index: int, customers: int) -> channel_pb2.OutboundMessage:
    sms = index % 2 == 0
    return P.OutboundMessage(
        idempotency_key=key,
        customer_id=f"BC{index % customers:06d}",
        channel=C.CHANNEL_SMS if sms else C.CHANNEL_APP_PUSH,
        template_code="bench_sms" if sms else "bench_push",
        variables={"product": "稳健理财30天", "due": "2026-12-01"},
        message_class=C.MESSAGE_CLASS_SERVICE,
        origin=customer_pb2.Origin(campaign_id="bench", source="bench"),
    )


def _provider_ids(hub: SimulatorHub) -> list[str]:
    """Message ids every provider accepted (Tencent SessionContext, Alibaba OutId, JPush extras)."""
    ids = [r.body["SessionContext"] for r in hub["tencent_sms"].accepted]
    ids += [r.body["OutId"] for r in hub["aliyun_sms"].accepted]
    seen_cids: set[str] = set()
    for item in hub["jpush"].accepted:
        cid = item.body.get("cid")
        if cid in seen_cids:
            continue  # the provider deduplicated this repeat itself; it sent nothing twice
        seen_cids.add(cid)
        ids.append(item.body["notification"]["android"]["extras"]["lingxi_message_id"])
    return ids


async def _wait_count(hub: SimulatorHub, wanted: int, timeout: float) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if len(_provider_ids(hub)) >= wanted:
            break
        await asyncio.sleep(0.05)
    return time.perf_counter() - began


def _pct(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def _throughput(runner: Any, hub: SimulatorHub, sizes: Sizes, results: Results) -> None:
    api = channel_service_pb2_grpc.ChannelServiceStub(channel_to(runner, SYSTEM))
    batches = [
        [_message(f"tp-{b}-{i}", b * sizes.batch_size + i, sizes.customers) for i in range(sizes.batch_size)]
        for b in range(sizes.batch_messages // sizes.batch_size)
    ]
    # Warm-up: look every customer up once (addresses are cached for a minute, as in steady state).
    for start in range(0, sizes.customers, sizes.batch_size):
        warm = [
            _message(f"warm-{i}", i, sizes.customers)
            for i in range(start, min(start + sizes.batch_size, sizes.customers))
        ]
        await api.SendBatch(channel_service_pb2.SendBatchRequest(messages=warm), timeout=120)
    await _wait_count(hub, sizes.customers, timeout=600)
    hub.reset()
    latencies: list[float] = []
    accepted = 0
    queue = list(range(len(batches)))
    began = time.perf_counter()

    async def caller() -> None:
        nonlocal accepted
        while queue:
            index = queue.pop()
            start = time.perf_counter()
            response = await api.SendBatch(
                channel_service_pb2.SendBatchRequest(messages=batches[index]), timeout=120
            )
            latencies.append(time.perf_counter() - start)
            accepted += sum(1 for r in response.results if r.disposition == P.SEND_DISPOSITION_ACCEPTED)
            results.batch_rejected += sum(
                1 for r in response.results if r.disposition != P.SEND_DISPOSITION_ACCEPTED
            )

    await asyncio.gather(*(caller() for _ in range(sizes.batch_callers)))
    accept_wall = time.perf_counter() - began
    results.accept_rate = accepted / accept_wall
    results.accept_batch_p50 = statistics.median(latencies)
    results.accept_batch_p99 = _pct(latencies, 0.99)
    await _wait_count(hub, accepted, timeout=600)
    results.provider_rate = len(_provider_ids(hub)) / (time.perf_counter() - began)
    print(
        f"  SendBatch: {rate_text(results.accept_rate, 'messages')} accepted, providers reached at "
        f"{rate_text(results.provider_rate, 'messages')}",
        flush=True,
    )


async def _single(runner: Any, hub: SimulatorHub, sizes: Sizes, results: Results) -> None:
    api = channel_service_pb2_grpc.ChannelServiceStub(channel_to(runner, SYSTEM))
    hub.reset()
    samples: list[float] = []
    for index in range(sizes.single_sends):
        message = _message(f"single-{index}", index * 2, sizes.customers)  # SMS via Tencent
        response = await api.Send(channel_service_pb2.SendRequest(message=message))
        answered = time.perf_counter()
        message_id = response.result.message_id
        while True:
            hit = [r for r in hub["tencent_sms"].accepted if r.body.get("SessionContext") == message_id]
            if hit:
                samples.append(max(0.0, hit[0].at - answered))
                break
            await asyncio.sleep(0.001)
    results.single_p50 = _pct(samples, 0.5)
    results.single_p95 = _pct(samples, 0.95)
    results.single_p99 = _pct(samples, 0.99)
    print(f"  single sends: accepted→provider p50 {ms(results.single_p50)}, p99 {ms(results.single_p99)}")


async def _faults(
    url: str, nats_url: str, settings: dict[str, Any], hub: SimulatorHub, sizes: Sizes, results: Results
) -> None:
    hub.reset()
    messages = [_message(f"fault-{i}", i, sizes.customers) for i in range(sizes.fault_messages)]
    half = len(messages) // 2
    accepted_ids: list[str] = []
    hub["tencent_sms"].faults.fail_next = 200
    hub["tencent_sms"].faults.throttle_next = 100
    hub["jpush"].faults.fail_next = 50
    async with running_service(DEFINITION, database_url=url, nats_url=nats_url, **settings) as first:
        api = channel_service_pb2_grpc.ChannelServiceStub(channel_to(first, SYSTEM))
        for start in range(0, half, sizes.batch_size):
            response = await api.SendBatch(
                channel_service_pb2.SendBatchRequest(messages=messages[start : start + sizes.batch_size]),
                timeout=120,
            )
            accepted_ids += [
                r.message_id for r in response.results if r.disposition == P.SEND_DISPOSITION_ACCEPTED
            ]
        await _wait_count(hub, len(accepted_ids) // 3, timeout=120)
        stop_began = time.perf_counter()
    async with running_service(DEFINITION, database_url=url, nats_url=nats_url, **settings) as second:
        results.restart_seconds = time.perf_counter() - stop_began
        api = channel_service_pb2_grpc.ChannelServiceStub(channel_to(second, SYSTEM))
        # The caller retries the whole first half (it never saw some answers) and sends the rest.
        for start in range(0, len(messages), sizes.batch_size):
            response = await api.SendBatch(
                channel_service_pb2.SendBatchRequest(messages=messages[start : start + sizes.batch_size]),
                timeout=120,
            )
            accepted_ids += [
                r.message_id for r in response.results if r.disposition == P.SEND_DISPOSITION_ACCEPTED
            ]
        await _wait_count(hub, len(accepted_ids), timeout=300)
        await asyncio.sleep(1.0)
        engine = create_engine(url, application_name="bench-channel-check")
        try:
            async with engine.connect() as connection:
                dead = {
                    row.message_id
                    for row in await connection.execute(
                        sa.text("SELECT message_id FROM channel.messages WHERE dispatch_state = 'dead'")
                    )
                }
        finally:
            await engine.dispose()
    counts = Counter(_provider_ids(hub))
    results.fault_accepted = len(accepted_ids)
    results.fault_delivered = sum(1 for message_id in accepted_ids if counts[message_id] >= 1)
    results.fault_duplicates = sum(n - 1 for n in counts.values() if n > 1)
    results.fault_dead_lettered = len(dead)
    results.fault_lost = sum(1 for m in accepted_ids if counts[m] == 0 and m not in dead)
    results.fault_failovers = len(hub["aliyun_sms"].accepted)
    print(
        f"  faults + restart: {results.fault_accepted:,} accepted, duplicates {results.fault_duplicates}, "
        f"lost {results.fault_lost}, dead-lettered {results.fault_dead_lettered}",
        flush=True,
    )


async def run(ctx: BenchContext) -> int:
    began = time.perf_counter()
    sizes = Sizes()
    if ctx.scale != 1.0:
        sizes = Sizes(
            customers=max(500, int(sizes.customers * ctx.scale)),
            batch_messages=max(2_000, int(sizes.batch_messages * ctx.scale) // 1_000 * 1_000),
            single_sends=max(50, int(sizes.single_sends * ctx.scale)),
            fault_messages=max(2_000, int(sizes.fault_messages * ctx.scale) // 1_000 * 1_000),
        )
    results = Results(command=ctx.command, started_at=datetime.now(UTC), sizes=sizes)
    backends = await ctx.backends.ensure()
    results.machine = describe_machine(backends, results.started_at)
    url = backends.new_database("bench_channel")
    hub = await SimulatorHub().start()
    try:
        async with customer_book() as tag:
            _customers(tag, sizes.customers)
            settings: dict[str, Any] = {
                "tag_address": f"127.0.0.1:{tag.port}",
                "seed_accounts": _accounts(hub),
                "policy_json": POLICY,
                "dispatch_batch_size": 500,
                "dispatch_concurrency": 64,
                "dispatch_poll_interval": 0.02,
            }
            async with running_service(
                DEFINITION, database_url=url, nats_url=backends.nats_url, **settings
            ) as runner:
                await _templates(runner)
                print(f"  {sizes.customers:,} customers; sustained SendBatch", flush=True)
                await _throughput(runner, hub, sizes, results)
                await _single(runner, hub, sizes, results)
            await _faults(url, backends.nats_url, settings, hub, sizes, results)
    finally:
        await hub.stop()
    results.duration = time.perf_counter() - began
    report = render(results)
    print()
    print(report)
    if ctx.write:
        path = ctx.report_path(NAME)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report, encoding="utf-8")
        print(f"wrote {path}")
    failed = results.fault_duplicates or results.fault_lost
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def render(results: Results) -> str:
    sizes = results.sizes
    lines = [
        "# Channel service benchmark",
        "",
        "<!-- Generated by `python -m tests.bench channel`; do not edit by hand, re-run it. -->",
        "",
        "The real channel service (in this process) against real PostgreSQL and NATS, with the contact "
        "policy on for every message, sending through the real provider SDKs to the local provider "
        "simulators (tools/simulators). Half the messages are SMS (Tencent Cloud SDK, Alibaba Cloud as "
        "failover), half app push (jpush SDK). Customer addresses come over gRPC from a stand-in of the "
        f"tag service's GetCustomer. Targets: ≥ {TARGET_RATE:,} messages/s sustained, p99 accepted→"
        f"provider ≤ {ms(TARGET_P99)}, zero duplicates and zero lost messages under faults and a restart.",
        "",
        f"Command: `{results.command}` (or `make bench-channel`), run from the repository root; took "
        f"{results.duration:.0f} s.",
        "",
        "## Machine",
        "",
        key_values(results.machine),
        "",
        "## Dataset sizes",
        "",
        key_values(
            [
                ("Customers", f"{sizes.customers:,} (each sent one warm-up message first)"),
                (
                    "Sustained run",
                    f"{sizes.batch_messages:,} messages in SendBatch calls of {sizes.batch_size:,}, "
                    f"{sizes.batch_callers} concurrent callers",
                ),
                ("Single sends", f"{sizes.single_sends:,}, one at a time"),
                ("Fault run", f"{sizes.fault_messages:,} messages, every one sent twice by its caller"),
            ]
        ),
        "",
        "## Sustained SendBatch",
        "",
        table(
            ["measure", "value", "≥ target"],
            [
                (
                    "accepted into the ledger (policy, render, record)",
                    rate_text(results.accept_rate, "messages"),
                    _yes(results.accept_rate >= TARGET_RATE),
                ),
                (
                    "handed to providers (end to end)",
                    rate_text(results.provider_rate, "messages"),
                    _yes(results.provider_rate >= TARGET_RATE),
                ),
                ("SendBatch call (1,000 messages) p50", ms(results.accept_batch_p50), ""),
                ("SendBatch call (1,000 messages) p99", ms(results.accept_batch_p99), ""),
                ("not accepted (should be 0)", str(results.batch_rejected), ""),
            ],
        ),
        "",
        "## Single sends: accepted → provider call",
        "",
        table(
            ["p50", "p95", "p99", "p99 ≤ target"],
            [
                (
                    ms(results.single_p50),
                    ms(results.single_p95),
                    ms(results.single_p99),
                    _yes(results.single_p99 <= TARGET_P99),
                )
            ],
            numeric_from=0,
        ),
        "",
        "## Exactly once under faults and a restart",
        "",
        "The primary SMS provider answers 503 to 200 calls and 429 to 100 more, the push provider 503 "
        "to 50; the service is stopped and started again after about a third of the first half reached "
        "providers; the caller then re-sends every message (the first half a second time). A duplicate "
        "is a message id a provider accepted twice (JPush repeats dropped by its own `cid` dedupe are "
        "not duplicates: nothing reached a phone twice); a lost message was accepted but neither reached "
        "a provider nor sits in the dead-letter state with its reason.",
        "",
        key_values(
            [
                ("Messages accepted", f"{results.fault_accepted:,}"),
                ("Reached a provider", f"{results.fault_delivered:,}"),
                ("Sent through the failover SMS provider", f"{results.fault_failovers:,}"),
                ("Dead-lettered with a reason", f"{results.fault_dead_lettered:,}"),
                (
                    "Duplicates",
                    str(results.fault_duplicates)
                    if not results.fault_duplicates
                    else f"**{results.fault_duplicates}**",
                ),
                ("Lost", str(results.fault_lost) if not results.fault_lost else f"**{results.fault_lost}**"),
                ("Stop + start of the service", f"{results.restart_seconds:.1f} s"),
            ]
        ),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


BENCHMARK = Benchmark(
    name=NAME,
    summary="channel SendBatch throughput, accepted→provider latency, exactly-once under faults",
    run=run,
    order=70,
)
