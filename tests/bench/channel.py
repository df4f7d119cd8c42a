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

import psutil
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
from lingxi_channel.adapters import session_message_ids
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
# Failed requests injected in the fault run (each carries up to 20 SMS / 500 pushes).
FAULTS = {"tencent_503": 20, "tencent_429": 10, "jpush_503": 3}
POLICY = json.dumps(
    {
        # Throughput must not depend on the hour the benchmark runs (SMS would be held at night).
        "quiet_hours": [],
        "caps": [
            {"channel": "CHANNEL_SMS", "message_class": "MESSAGE_CLASS_SERVICE", "per_day": 0, "per_week": 0},
            {
                "channel": "CHANNEL_APP_PUSH",
                "message_class": "MESSAGE_CLASS_SERVICE",
                "per_day": 0,
                "per_week": 0,
            },
        ],
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
    # Provider requests (not messages) each simulator received in the fault run.
    fault_requests: dict[str, int] = field(default_factory=dict)
    fault_duplicates: int = 0
    fault_lost: int = 0
    fault_dead_lettered: int = 0
    fault_dead_reasons: str = ""
    restart_seconds: float = 0.0
    duration: float = 0.0
    # CPU seconds spent during the sustained run, by whom, and its wall time.
    sustained_cpu: dict[str, float] = field(default_factory=dict)
    sustained_wall: float = 0.0


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


class Reached:
    """Message ids the providers accepted, read from what the simulators recorded.

    Tencent requests name their messages in SessionContext (several per request), Alibaba in
    OutId, JPush by `cid` (single or batch push; a cid JPush already had is its own dedupe, not a
    second message to a phone). Scans only requests it has not seen, so polling it while thousands
    arrive costs the measured process little.
    """

    def __init__(self, hub: SimulatorHub) -> None:
        self.hub = hub
        self._forget()

    def reset(self) -> None:
        """Start counting afresh (the simulators forget what they received too)."""
        self.hub.reset()
        self._forget()

    def _forget(self) -> None:
        self.offsets = {"tencent_sms": 0, "aliyun_sms": 0, "jpush": 0}
        self.counts: Counter[str] = Counter()
        self.first_at: dict[str, float] = {}
        self._cids: set[str] = set()

    def _add(self, message_id: str, at: float) -> None:
        self.counts[message_id] += 1
        self.first_at.setdefault(message_id, at)

    def scan(self) -> int:
        for name in self.offsets:
            items = self.hub[name].accepted
            for item in items[self.offsets[name] :]:
                body = item.body
                if name == "tencent_sms":
                    for message_id in session_message_ids(body["SessionContext"]):
                        self._add(message_id, item.at)
                elif name == "aliyun_sms":
                    self._add(body["OutId"], item.at)
                else:
                    entries = body["pushlist"].items() if "pushlist" in body else [(body.get("cid"), body)]
                    for cid, entry in entries:
                        if cid in self._cids:
                            continue  # deduplicated by JPush itself: nothing reached a phone twice
                        self._cids.add(cid)
                        self._add(entry["notification"]["android"]["extras"]["lingxi_message_id"], item.at)
            self.offsets[name] = len(items)
        return len(self.counts)


async def _wait_count(reached: Reached, wanted: int, timeout: float) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if reached.scan() >= wanted:
            break
        await asyncio.sleep(0.05)
    return time.perf_counter() - began


def _cpu_by_process() -> dict[str, float]:
    """Cumulative CPU seconds: this process (channel service, simulators, tag stand-in, callers),
    the embedded PostgreSQL and NATS it started, and the whole machine (anyone's work)."""
    me = psutil.Process()
    own = me.cpu_times()
    found = {"benchmark process": own.user + own.system, "PostgreSQL": 0.0, "NATS": 0.0}
    for child in me.children(recursive=True):
        try:
            name = child.name()
            times = child.cpu_times()
        except psutil.Error:
            continue
        spent = times.user + times.system + times.children_user + times.children_system
        if "postgres" in name:
            found["PostgreSQL"] += spent
        elif "nats" in name:
            found["NATS"] += spent
        else:
            found["benchmark process"] += spent
    machine = psutil.cpu_times()
    found["machine"] = machine.user + machine.nice + machine.system
    found["machine"] += getattr(machine, "irq", 0.0) + getattr(machine, "softirq", 0.0)
    return found


def _pct(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def _throughput(runner: Any, reached: Reached, sizes: Sizes, results: Results) -> None:
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
    await _wait_count(reached, sizes.customers, timeout=600)
    reached.reset()
    latencies: list[float] = []
    accepted = 0
    queue = list(range(len(batches)))
    cpu_before = _cpu_by_process()
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
    await _wait_count(reached, accepted, timeout=600)
    results.sustained_wall = time.perf_counter() - began
    results.provider_rate = reached.scan() / results.sustained_wall
    cpu_after = _cpu_by_process()
    results.sustained_cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_before}
    print(
        f"  SendBatch: {rate_text(results.accept_rate, 'messages')} accepted, providers reached at "
        f"{rate_text(results.provider_rate, 'messages')}",
        flush=True,
    )


async def _single(runner: Any, reached: Reached, sizes: Sizes, results: Results) -> None:
    api = channel_service_pb2_grpc.ChannelServiceStub(channel_to(runner, SYSTEM))
    reached.reset()
    samples: list[float] = []
    for index in range(sizes.single_sends):
        message = _message(f"single-{index}", index * 2, sizes.customers)  # SMS via Tencent
        response = await api.Send(channel_service_pb2.SendRequest(message=message))
        answered = time.perf_counter()
        message_id = response.result.message_id
        while True:
            reached.scan()
            if message_id in reached.first_at:
                samples.append(max(0.0, reached.first_at[message_id] - answered))
                break
            await asyncio.sleep(0.001)
    results.single_p50 = _pct(samples, 0.5)
    results.single_p95 = _pct(samples, 0.95)
    results.single_p99 = _pct(samples, 0.99)
    print(f"  single sends: accepted→provider p50 {ms(results.single_p50)}, p99 {ms(results.single_p99)}")


async def _faults(
    url: str, nats_url: str, settings: dict[str, Any], reached: Reached, sizes: Sizes, results: Results
) -> None:
    reached.reset()
    hub = reached.hub
    messages = [_message(f"fault-{i}", i, sizes.customers) for i in range(sizes.fault_messages)]
    half = len(messages) // 2
    accepted_ids: list[str] = []
    hub["tencent_sms"].faults.fail_next = FAULTS["tencent_503"]
    hub["tencent_sms"].faults.throttle_next = FAULTS["tencent_429"]
    hub["jpush"].faults.fail_next = FAULTS["jpush_503"]
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
        await _wait_count(reached, len(accepted_ids) // 3, timeout=120)
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
        await _wait_count(reached, len(accepted_ids), timeout=300)
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
                reasons = await connection.execute(
                    sa.text(
                        "SELECT reason_code, count(*) AS n FROM channel.messages "
                        "WHERE dispatch_state = 'dead' GROUP BY reason_code ORDER BY n DESC"
                    )
                )
                results.fault_dead_reasons = ", ".join(f"{row.reason_code} {row.n:,}" for row in reasons)
        finally:
            await engine.dispose()
    reached.scan()
    counts = reached.counts
    results.fault_accepted = len(accepted_ids)
    results.fault_delivered = sum(1 for message_id in accepted_ids if counts[message_id] >= 1)
    results.fault_duplicates = sum(n - 1 for n in counts.values() if n > 1)
    results.fault_dead_lettered = len(dead)
    results.fault_lost = sum(1 for m in accepted_ids if counts[m] == 0 and m not in dead)
    results.fault_failovers = len(hub["aliyun_sms"].accepted)
    results.fault_requests = {
        name: len(hub[name].received) for name in ("tencent_sms", "aliyun_sms", "jpush")
    }
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
                reached = Reached(hub)
                await _throughput(runner, reached, sizes, results)
                await _single(runner, reached, sizes, results)
            await _faults(url, backends.nats_url, settings, reached, sizes, results)
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


def _cpu_section(results: Results) -> list[str]:
    """Who used the CPU during the sustained run, and what the target would take at that cost."""
    cpu, wall = results.sustained_cpu, results.sustained_wall
    if not cpu or wall <= 0:
        return []
    cores = psutil.cpu_count() or 1
    capacity = wall * cores
    sent = max(results.sizes.batch_messages, 1)
    ours = {name: seconds for name, seconds in cpu.items() if name != "machine"}
    foreign = max(0.0, cpu["machine"] - sum(ours.values()))
    rows = [
        (name, f"{seconds:.1f} s", f"{seconds * 1000 / sent:.2f} ms", f"{seconds / capacity:.0%}")
        for name, seconds in ours.items()
    ]
    rows.append(("other work on the machine", f"{foreign:.1f} s", "", f"{foreign / capacity:.0%}"))
    per_message = sum(ours.values()) / sent
    python_core = cpu["benchmark process"] / wall
    return [
        "### CPU during the sustained run",
        "",
        f"{wall:.1f} s of wall time on {cores} logical CPUs ({capacity:.1f} CPU-seconds available).",
        "",
        table(["who", "CPU", "per message", "share of the machine"], rows),
        "",
        f"At the measured cost — {per_message * 1000:.2f} CPU-ms per message across the service "
        f"process, PostgreSQL and NATS — {TARGET_RATE:,} messages/s would keep about "
        f"{per_message * TARGET_RATE:.1f} cores busy; this machine has {cores}. The benchmark process "
        f"(one Python interpreter: the service, and here also the simulators, the tag stand-in and the "
        f"callers) was busy {python_core:.0%} of one core"
        + (
            ": the send path is bound by that one interpreter (the GIL), then by PostgreSQL."
            if python_core >= 0.85
            else "; other work on the machine took the rest (see above)."
        ),
        "",
    ]


def render(results: Results) -> str:
    sizes = results.sizes
    lines = [
        "# Channel service benchmark",
        "",
        "<!-- Generated by `python -m tests.bench channel`; do not edit by hand, re-run it. -->",
        "",
        "The real channel service (in this process) against real PostgreSQL and NATS, with the contact "
        "policy on for every message, sending through the real provider SDKs to the local provider "
        "simulators (tools/simulators, also in this process). Half the messages are SMS (Tencent Cloud "
        "SDK, Alibaba Cloud as failover), half app push (jpush SDK). Customer addresses come over gRPC "
        "from a stand-in of the tag service (BatchGetCustomers). The dispatcher claims up to 500 "
        "messages per transaction in 2 loops and uses the providers' batch APIs: a Tencent `SendSms` "
        "request carries up to 20 numbers of one template and parameter set (the benchmark's messages "
        "share them), JPush batch single push up to 500 messages, each with its own `cid`. Quiet hours "
        "are switched off so the figures do not depend on the hour of the run. "
        f"Targets: ≥ {TARGET_RATE:,} messages/s sustained, p99 accepted→"
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
        *_cpu_section(results),
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
        f"The primary SMS provider answers 503 to {FAULTS['tencent_503']} requests and 429 to "
        f"{FAULTS['tencent_429']} more, the push provider 503 to {FAULTS['jpush_503']} (a request "
        "carries up to 20 SMS or 500 pushes, so these fail thousands of messages, open the circuit "
        "breakers and send SMS to the failover provider); the service is stopped and started again "
        "after about a third of the first half reached providers; the caller then re-sends every "
        "message (the first half a second time). A duplicate is a message id a provider accepted "
        "twice (Tencent requests name their messages in `SessionContext`; JPush repeats dropped by "
        "its own `cid` dedupe are not duplicates: nothing reached a phone twice); a lost message was "
        "accepted but neither reached a provider nor sits in the dead-letter state with its reason.",
        "",
        key_values(
            [
                ("Messages accepted", f"{results.fault_accepted:,}"),
                ("Reached a provider", f"{results.fault_delivered:,}"),
                ("Sent through the failover SMS provider", f"{results.fault_failovers:,}"),
                (
                    "Provider requests received (Tencent / Alibaba / JPush)",
                    " / ".join(
                        f"{results.fault_requests.get(name, 0):,}"
                        for name in ("tencent_sms", "aliyun_sms", "jpush")
                    ),
                ),
                (
                    "Dead-lettered with a reason",
                    f"{results.fault_dead_lettered:,}"
                    + (f" ({results.fault_dead_reasons})" if results.fault_dead_reasons else ""),
                ),
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
