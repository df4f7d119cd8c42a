"""The points ledger under load: postings per second, spread out and on a few hot members.

Each posting goes through the path PostPoints uses in production, the group commit
(`lingxi_points.group_commit.PostingGroupCommit`): concurrent callers' earns and spends are
planned against locked balances and committed together, each caller answered after the commit.
Every posting still does everything a posting does: the member lock, the business-key check, the
posting and its entries, the lots, the balance and the outbox event. Two shapes are measured with
64 concurrent clients: spread across 100,000 members, and all clients on a few hot members. For
comparison the same loads run through the single-posting path (`ledger.earn` / `spend`, one
transaction each), which rules, check-in and redemptions use. The ledger invariants are checked
over the whole database at the end; any violation fails the run.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi_common.db import create_engine, session_factory, transaction
from lingxi_common.errors import FailedPrecondition
from lingxi_common.migrations import migrate_service
from lingxi_points import ledger
from lingxi_points.audit import ledger_violations
from lingxi_points.group_commit import PostingGroupCommit, PostingRequest
from tests.bench._core import EXIT_CHECK_FAILED, EXIT_OK, BenchContext, Benchmark
from tests.bench._machine import describe_machine
from tests.bench._markdown import key_values, table
from tests.bench._stats import LoadResult, closed_loop, ms, rate_text

NAME = "points"
TARGET = 2_000  # postings per second (issue #6)
EXPIRES = dt.date(2099, 12, 31)


@dataclass(frozen=True)
class Sizes:
    members: int = 100_000
    hot_members: int = 4
    concurrency: int = 64
    postings_per_run: int = 20_000
    # The single-posting path is the slow reference: fewer calls keep the run short.
    single_path_postings: int = 5_000
    warmup: int = 1_000


@dataclass
class Run:
    label: str
    load: LoadResult
    refused: int

    @property
    def postings(self) -> int:
        return self.load.calls - self.load.errors - self.refused

    @property
    def postings_per_second(self) -> float:
        return self.postings / self.load.wall_seconds


@dataclass
class Results:
    command: str
    started_at: datetime
    sizes: Sizes
    machine: list[tuple[str, str]] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    total_postings: int = 0
    duration: float = 0.0


async def _load(
    sessions: async_sessionmaker[AsyncSession],
    label: str,
    members: list[str],
    sizes: Sizes,
    *,
    group: PostingGroupCommit | None,
    calls: int,
) -> Run:
    """Two earns then a spend on one member, members in shuffled order: spends find points."""
    refused = 0
    prefix = f"{label[:4]}{random.randrange(10**9)}"
    order = members[:]
    random.shuffle(order)

    async def alone(request: PostingRequest) -> None:
        async with transaction(sessions) as session:
            if request.kind is ledger.Kind.SPEND:
                await ledger.spend(
                    session, business_key=request.business_key, customer_id=request.customer_id, points=3
                )
            else:
                await ledger.earn(
                    session,
                    business_key=request.business_key,
                    customer_id=request.customer_id,
                    points=5,
                    expires_on=EXPIRES,
                )

    async def posting(index: int) -> None:
        nonlocal refused
        member = order[(index // 3) % len(order)] if len(order) >= 100 else order[index % len(order)]
        key = f"{prefix}:{index}"
        if index % 3 == 2:
            request = PostingRequest(ledger.Kind.SPEND, key, member, 3)
        else:
            request = PostingRequest(ledger.Kind.EARN, key, member, 5, expires_on=EXPIRES)
        try:
            if group is not None:
                await group.post(request)
            else:
                await alone(request)
        except FailedPrecondition:
            refused += 1  # a spend that finds too few points: refused whole, not a posting

    load = await closed_loop(posting, calls, sizes.concurrency)
    return Run(label, load, refused)


async def run(ctx: BenchContext) -> int:
    began = time.perf_counter()
    sizes = Sizes()
    if ctx.scale != 1.0:
        sizes = Sizes(
            members=max(1_000, int(sizes.members * ctx.scale)),
            postings_per_run=max(1_000, int(sizes.postings_per_run * ctx.scale)),
            single_path_postings=max(500, int(sizes.single_path_postings * ctx.scale)),
            warmup=max(100, int(sizes.warmup * ctx.scale)),
        )
    results = Results(command=ctx.command, started_at=datetime.now(UTC), sizes=sizes)
    backends = await ctx.backends.ensure()
    results.machine = describe_machine(backends, results.started_at)
    url = backends.new_database("bench_points")
    await migrate_service("points", url)
    engine = create_engine(url, application_name="bench-points", pool_size=16)
    sessions = session_factory(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO points.members (customer_id, branch_id) "
                    "SELECT 'M' || g, 'B' || (g % 50) FROM generate_series(1, :n) g"
                ),
                {"n": sizes.members},
            )
            await connection.execute(
                sa.text("INSERT INTO points.balances (customer_id) SELECT customer_id FROM points.members")
            )
            await connection.execute(sa.text("ANALYZE"))
        everyone = [f"M{i}" for i in range(1, sizes.members + 1)]
        hot = everyone[: sizes.hot_members]
        print(f"  {sizes.members:,} members; warming up", flush=True)
        group = PostingGroupCommit(sessions)
        await _load(sessions, "warm-up", everyone, sizes, group=group, calls=sizes.warmup)
        for route, route_group, calls in (
            ("group commit", group, sizes.postings_per_run),
            ("one transaction per posting", None, sizes.single_path_postings),
        ):
            for shape, members in (
                (f"spread over {sizes.members:,} members", everyone),
                (f"all clients on {sizes.hot_members} hot members", hot),
            ):
                label = f"{route}, {shape}"
                result = await _load(sessions, label, members, sizes, group=route_group, calls=calls)
                results.runs.append(result)
                print(
                    f"  {label}: {rate_text(result.postings_per_second, 'postings')}, "
                    f"p50 {ms(result.load.latency.p50)}, p99 {ms(result.load.latency.p99)}, "
                    f"errors {result.load.errors} {result.load.first_error}",
                    flush=True,
                )
        async with sessions() as session:
            results.violations = await ledger_violations(session)
            results.total_postings = int(
                await session.scalar(sa.text("SELECT count(*) FROM points.postings")) or 0
            )
    finally:
        await engine.dispose()
    results.duration = time.perf_counter() - began
    report = render(results)
    print()
    print(report)
    if ctx.write:
        path = ctx.report_path(NAME)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report, encoding="utf-8")
        print(f"wrote {path}")
    failed = results.violations or any(r.load.errors for r in results.runs)
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def render(results: Results) -> str:
    sizes = results.sizes
    rows = [
        (
            run.label,
            f"{run.postings:,}",
            f"{run.refused:,}",
            str(run.load.errors),
            rate_text(run.postings_per_second, "postings"),
            ms(run.load.latency.p50),
            ms(run.load.latency.p95),
            ms(run.load.latency.p99),
            "yes" if run.postings_per_second >= TARGET else "**no**",
        )
        for run in results.runs
    ]
    sound = "none" if not results.violations else "**" + "; ".join(results.violations[:10]) + "**"
    lines = [
        "# Points ledger benchmark",
        "",
        "<!-- Generated by `python -m tests.bench points`; do not edit by hand, re-run it. -->",
        "",
        "Postings per second through the real ledger code against real PostgreSQL. Every posting "
        "locks its member's balance row, checks its business key, writes the posting, its double "
        "entries, the expiry lot changes, the balance and its outbox event, and is answered only "
        "after its commit. **Group commit** is the path PostPoints takes "
        "(`lingxi_points.group_commit`): the postings queued by concurrent callers are planned "
        "together against their locked members and committed in one transaction. **One transaction "
        "per posting** is the path of rules, check-in and redemptions (`lingxi_points.ledger`), shown "
        "for comparison. Two earns (5 points) then a spend (3 points) on each member in turn (a "
        "spend that finds too few points — possible only on the hot members while their earns are "
        "still queued — is refused whole and counted apart, not as a posting). "
        f"Target: {TARGET:,} postings/s with zero invariant violations.",
        "",
        f"Command: `{results.command}` (or `make bench-points`), run from the repository root; took "
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
                ("Members", f"{sizes.members:,} (hot run: {sizes.hot_members})"),
                ("Concurrent clients", str(sizes.concurrency)),
                (
                    "Calls per run",
                    f"{sizes.postings_per_run:,} group-committed, {sizes.single_path_postings:,} one by one "
                    f"(after {sizes.warmup:,} warm-up calls)",
                ),
            ]
        ),
        "",
        "## Postings per second",
        "",
        table(
            ["run", "postings", "refused spends", "errors", "throughput", "p50", "p95", "p99", "≥ target"],
            rows,
        ),
        "",
        "## Invariants at the end",
        "",
        key_values(
            [
                ("Postings in the ledger", f"{results.total_postings:,}"),
                (
                    "Checked",
                    "every posting sums to zero; the ledger sums to zero; each member's balances equal "
                    "their entries and their live lots; nothing negative; each business key once",
                ),
                ("Violations", sound),
            ]
        ),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


BENCHMARK = Benchmark(
    name=NAME,
    summary="points ledger postings/s, spread and on hot members, invariants checked",
    run=run,
    order=60,
)
