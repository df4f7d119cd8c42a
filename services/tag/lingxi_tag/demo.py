"""Synthetic brokerage data: the demo customers of `lingxi up`, `lingxi demo-data`, tests and benchmarks.

``generate_dataset`` writes warehouse-style extracts (customers, accounts, holdings, metrics) from a
seed — the same seed gives the same files — and ``load_dataset`` loads them through the bulk
import, the path nightly extracts take. ``demo_customers`` / ``seed_customers`` remain for callers
that want a few customers through TagService itself (UpsertCustomer, one call each). Branch and
advisor structure follows DOMAIN.md: about 300 customers per advisor, and a share of long-tail
customers without an advisor, served by HQ centralized operations.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.grpc_client import open_channel
from lingxi_common.identity import Caller
from lingxi_common.pii import PiiCipher

CITIES = ("上海", "北京", "深圳", "广州", "杭州", "南京", "成都", "武汉", "西安", "苏州")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_WEIGHTS = (8, 27, 26, 19, 12, 8)
RISK_WEIGHTS = (10, 22, 38, 21, 9)  # C1..C5: most investors assess as C3
CUSTOMERS_PER_ADVISOR = 300
ADVISORS_PER_BRANCH = 4
HQ_SHARE = 0.35  # long-tail customers without an advisor


def demo_customers(count: int, seed: int = 7) -> Iterator[customer_pb2.Customer]:
    """`count` customers, the same ones for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        branch = index // (CUSTOMERS_PER_ADVISOR * ADVISORS_PER_BRANCH)
        advisor = index // CUSTOMERS_PER_ADVISOR
        has_advisor = rng.random() >= HQ_SHARE
        opened = date_pb2.Date(year=rng.randint(2008, 2026), month=rng.randint(1, 12), day=rng.randint(1, 28))
        if opened.year == 2026 and opened.month > 10:
            opened.month = 10
        expires = date_pb2.Date(year=rng.choice((2025, 2026, 2027, 2028)), month=rng.randint(1, 12), day=15)
        consents = [
            common_customer_pb2.ChannelConsent(
                channel=channel,
                status=common_customer_pb2.CONSENT_STATUS_GRANTED
                if rng.random() > 0.08
                else common_customer_pb2.CONSENT_STATUS_WITHDRAWN,
                source="account_opening",
            )
            for channel in (enums_pb2.CHANNEL_APP_PUSH, enums_pb2.CHANNEL_SMS, enums_pb2.CHANNEL_WECHAT_OA)
        ]
        yield customer_pb2.Customer(
            customer_id=f"C{index + 1:08d}",
            branch_id=f"B{branch + 1:03d}",
            advisor_id=f"A{advisor + 1:05d}" if has_advisor else "",
            risk_level=rng.choices(range(1, 6), weights=RISK_WEIGHTS)[0],
            risk_assessment_expires_on=expires,
            professional_investor=rng.random() < 0.02,
            opened_on=opened,
            age_band=rng.choices(AGE_BANDS, weights=AGE_WEIGHTS)[0],
            city=rng.choice(CITIES),
            phone=f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            consents=consents,
        )


async def seed_customers(
    address: str, service_token: str, count: int, *, seed: int = 7, concurrency: int = 32
) -> int:
    """Upsert the demo customers through TagService; returns how many were new."""
    caller = Caller.system("demo-seeder")
    created = 0
    async with open_channel(address, service_token=service_token, caller=lambda: caller) as channel:
        stub = tag_service_pb2_grpc.TagServiceStub(channel)
        queue: asyncio.Queue[customer_pb2.Customer | None] = asyncio.Queue(maxsize=concurrency * 4)

        async def worker() -> None:
            nonlocal created
            while (customer := await queue.get()) is not None:
                response = await stub.UpsertCustomer(
                    tag_service_pb2.UpsertCustomerRequest(customer=customer), timeout=30
                )
                created += int(response.created)

        workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
        for customer in demo_customers(count, seed):
            await queue.put(customer)
        for _ in workers:
            await queue.put(None)
        await asyncio.gather(*workers)
    return created


# --- bulk synthetic brokerage dataset (`lingxi demo-data`) ---------------------------------------
#
# Distributions (documented in docs/tag.md): total assets lognormal (median ≈ 60k CNY, long right
# tail: ~6% above 1M); cash share beta(2, 5); ~12% of customers with a margin account (maintenance
# ratio 1.3–3.0); activity long-tailed (days since last login and trade counts from a Pareto /
# geometric mix, a third of customers dormant); branch/advisor structure as in demo_customers
# (~300 customers per advisor, 35% served by HQ); 0–8 positions per customer over 12 sectors.


def _consents(rng: Any, count: int) -> Any:
    """Consent captured at account opening: granted on most channels, ~8% opted out per channel."""
    import numpy as np

    parts = [
        np.where(rng.random(count) < 0.92, f"{channel}:granted", f"{channel}:withdrawn")
        for channel in ("APP_PUSH", "SMS", "WECHAT_OA")
    ]
    return np.char.add(np.char.add(np.char.add(parts[0], ";"), np.char.add(parts[1], ";")), parts[2])


GENERATION_BLOCK = 500_000  # customers generated and written at a time: 10M fit in ~2 GB of RAM


def generate_dataset(
    directory: Path, customers: int, seed: int, file_format: str = "parquet"
) -> dict[str, Path]:
    """Write customers, accounts, holdings and metrics extracts; returns their paths by kind.

    Customers are generated in blocks of GENERATION_BLOCK and appended to the files, so the
    memory needed does not grow with the dataset (a 10-million-customer extract for the
    benchmark). Each block has its own random stream derived from the seed: the same seed
    gives the same files.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    kinds = ("customers", "accounts", "holdings", "metrics")
    suffix = "parquet" if file_format == "parquet" else "csv"
    paths = {kind: directory / f"{kind}.{suffix}" for kind in kinds}
    writers: dict[str, tuple[Any, Any]] = {}  # kind → (writer, the schema of the first block)
    try:
        for block, start in enumerate(range(0, customers, GENERATION_BLOCK)):
            size = min(GENERATION_BLOCK, customers - start)
            tables = _generate_block(seed, block, start, size)
            for kind, table in zip(kinds, tables, strict=True):
                if kind not in writers:
                    writer = (
                        pq.ParquetWriter(paths[kind], table.schema)
                        if file_format == "parquet"
                        else pacsv.CSVWriter(paths[kind], table.schema)
                    )
                    writers[kind] = (writer, table.schema)
                writer, schema = writers[kind]
                writer.write_table(table.cast(schema))
    finally:
        for writer, _ in writers.values():
            writer.close()
    return paths


def _generate_block(seed: int, block: int, start: int, n: int) -> tuple[Any, Any, Any, Any]:
    """Customers start … start+n-1 with their accounts, holdings and metrics, as Arrow tables."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(values: Any) -> pa.Array:
        """Numbers and dates as text through Arrow (numpy's astype(str) is ~20x slower)."""
        return pc.cast(pa.array(values), pa.string())

    rng = np.random.default_rng(seed if block == 0 else [seed, 1000 + block])
    consent_rng = np.random.default_rng([seed, 1] if block == 0 else [seed, 1, block])
    index = np.arange(start, start + n)
    ids = np.char.add("C", np.char.zfill(np.char.mod("%d", index + 1), 8))
    branch = np.char.add(
        "B", np.char.zfill(np.char.mod("%d", index // (CUSTOMERS_PER_ADVISOR * ADVISORS_PER_BRANCH) + 1), 3)
    )
    advisor = np.char.add("A", np.char.zfill(np.char.mod("%d", index // CUSTOMERS_PER_ADVISOR + 1), 5))
    total = np.round(rng.lognormal(mean=np.log(60_000), sigma=1.6, size=n), 2)
    has_advisor = (rng.random(n) >= HQ_SHARE) | (total >= 500_000)
    advisor = np.where(has_advisor, advisor, "")
    cash_share = rng.beta(2, 5, size=n)
    cash = np.round(total * cash_share, 2)
    stock = np.round((total - cash) * rng.uniform(0.4, 1.0, size=n), 2)
    fund = np.round(total - cash - stock, 2)
    opened_days = rng.integers(0, 18 * 365, size=n)
    today = dt.date.today()
    opened = np.array(today, dtype="datetime64[D]") - opened_days
    risk = rng.choice(np.arange(1, 6), p=np.array(RISK_WEIGHTS) / sum(RISK_WEIGHTS), size=n)
    expires = np.array(today, dtype="datetime64[D]") + rng.integers(-400, 3 * 365, size=n)
    phones = np.char.add("13", np.char.zfill(np.char.mod("%d", rng.integers(0, 999_999_999, size=n)), 9))
    customers_table = pa.table(
        {
            "customer_id": ids,
            "branch_id": branch,
            "advisor_id": advisor,
            "risk_level": np.char.add("C", np.char.mod("%d", risk)),
            "risk_assessment_expires_on": text(expires),
            "professional_investor": np.where(rng.random(n) < 0.02, "true", "false"),
            "opened_on": text(opened),
            "age_band": rng.choice(AGE_BANDS, p=np.array(AGE_WEIGHTS) / sum(AGE_WEIGHTS), size=n),
            "city": rng.choice(CITIES, size=n),
            "phone": phones,
            "consents": _consents(consent_rng, n),
        }
    )
    margin = (rng.random(n) < 0.12) & (total >= 100_000)
    accounts_table = pa.table(
        {
            "account_id": np.char.add("F", ids),
            "customer_id": ids,
            "account_type": np.where(margin, "margin", "cash"),
            "total_assets": text(total),
            "cash_balance": text(cash),
            "stock_market_value": text(stock),
            "fund_market_value": text(fund),
            "liabilities": text(np.where(margin, np.round(stock * rng.uniform(0.2, 0.6, size=n), 2), 0.0)),
            "maintenance_ratio": pc.if_else(
                pa.array(margin), text(np.round(rng.uniform(1.3, 3.0, size=n), 4)), ""
            ),
            "contract_expires_on": pc.if_else(
                pa.array(margin),
                text(np.array(today, dtype="datetime64[D]") + rng.integers(1, 180, size=n)),
                "",
            ),
        }
    )
    positions = rng.integers(0, 9, size=n)
    owner = np.repeat(np.arange(n), positions)  # row numbers within this block
    count = len(owner)
    sectors = np.array(
        [
            "bank",
            "liquor",
            "pharma",
            "semis",
            "ev",
            "energy",
            "property",
            "media",
            "defense",
            "food",
            "insurance",
            "ai",
        ]
    )
    weights = rng.dirichlet(np.ones(8), size=n)
    # Position number within its owner: 0, 1, … restarting at every customer.
    slot = np.arange(count) - np.repeat(np.cumsum(positions) - positions, positions)
    weight = weights[owner, slot]
    weight = weight / np.maximum(np.bincount(owner, weights=weight, minlength=n)[owner], 1e-9)
    value = np.round(stock[owner] * weight, 2)
    pnl_ratio = np.round(rng.normal(-0.02, 0.18, size=count), 4)
    codes = rng.integers(1, 699_999, size=count)
    holdings_table = pa.table(
        {
            "account_id": np.char.add("F", ids[owner]),
            "security_code": pc.utf8_lpad(text(codes), 6, "0"),
            "customer_id": ids[owner],
            "security_type": np.full(count, "1"),
            "quantity": text(np.maximum(np.round(value / 20), 1)),
            "cost": text(np.round(value / (1 + pnl_ratio), 2)),
            "market_value": text(value),
            "unrealized_pnl": text(np.round(value - value / (1 + pnl_ratio), 2)),
            "unrealized_pnl_ratio": text(pnl_ratio),
            "sector_code": rng.choice(sectors, size=count),
        }
    )
    # Duplicate (account, security) pairs from the random codes would be rejected; drop them here.
    _, first = np.unique(owner.astype(np.int64) * 1_000_000 + codes, return_index=True)
    holdings_table = holdings_table.take(pa.array(np.sort(first)))
    dormant = rng.random(n) < 0.33
    login_days = np.where(dormant, rng.integers(60, 720, size=n), rng.geometric(0.15, size=n) - 1)
    trades = np.where(dormant, 0, np.minimum(rng.pareto(1.3, size=n) * 4, 400).astype(int))
    shares = rng.dirichlet(np.ones(4) * 0.6, size=n)
    metrics_table = pa.table(
        {
            "customer_id": ids,
            "external_market_value": text(
                np.round(np.where(rng.random(n) < 0.25, rng.lognormal(np.log(200_000), 1.2, size=n), 0), 2)
            ),
            "trades_90d": text(trades),
            "stock_pick_alpha": text(np.round(rng.normal(0, 0.08, size=n), 4)),
            "timing_score": text(np.round(rng.beta(5, 5, size=n), 4)),
            "avg_holding_days": text(np.round(rng.lognormal(np.log(40), 1.0, size=n), 2)),
            "value_trade_share": text(np.round(shares[:, 0], 4)),
            "technical_trade_share": text(np.round(shares[:, 1], 4)),
            "theme_trade_share": text(np.round(shares[:, 2], 4)),
            "event_trade_share": text(np.round(shares[:, 3], 4)),
            "last_trade_on": text(
                np.array(today, dtype="datetime64[D]")
                - np.where(trades > 0, rng.integers(0, 90, size=n), rng.integers(90, 900, size=n))
            ),
            "last_login_on": text(np.array(today, dtype="datetime64[D]") - login_days),
            "has_advisory_service": np.where(rng.random(n) < 0.04, "true", "false"),
            "wealth_product_holder": np.where(fund > 0, "true", "false"),
            "stock_mv_peak_12m": text(np.round(stock * rng.uniform(1.0, 3.0, size=n), 2)),
        }
    )
    return customers_table, accounts_table, holdings_table, metrics_table


async def load_dataset(
    database_url: str,
    pii_key: str,
    paths: dict[str, Path],
    *,
    file_format: str = "parquet",
    echo: bool = True,
) -> dict[str, Any]:
    """Bulk-import generated extracts (customers first: the others reference them)."""
    from lingxi_common.db import create_engine
    from lingxi_tag.bulk_import import queue_recompute_after_import, run_import

    engine = create_engine(database_url, application_name="lingxi-demo-data")
    cipher = PiiCipher.from_base64(pii_key)
    kinds = {
        "customers": tag_service_pb2.IMPORT_KIND_CUSTOMERS,
        "accounts": tag_service_pb2.IMPORT_KIND_ACCOUNTS,
        "holdings": tag_service_pb2.IMPORT_KIND_HOLDINGS,
        "metrics": tag_service_pb2.IMPORT_KIND_EXTERNAL_ASSETS,
    }
    fmt = (
        tag_service_pb2.IMPORT_FORMAT_PARQUET
        if file_format == "parquet"
        else tag_service_pb2.IMPORT_FORMAT_CSV
    )
    report: dict[str, Any] = {}
    changed = 0
    try:
        for name, kind in kinds.items():
            # One recompute after all four files, not one per file.
            result = await run_import(
                engine, cipher, paths[name], kind=kind, file_format=fmt, queue_recompute=False
            )
            changed += result.rows_changed
            report[name] = {
                "rows": result.rows_done,
                "rejected": result.rows_rejected,
                "changed": result.rows_changed,
                "events": result.events,
                "seconds": round(result.seconds, 2),
                "rows_per_second": round(result.rows_per_second),
                "already_imported": result.already_imported,
            }
            if echo:
                print(f"{name}: {report[name]}", flush=True)
        if changed:
            await queue_recompute_after_import(engine, "demo-data", dt.date.today())
    finally:
        await engine.dispose()
    return report


async def load_demo_customers(
    database_url: str, pii_key: str, customers: int, seed: int = 7
) -> dict[str, Any]:
    """Generate and bulk-load ``customers`` demo customers with their accounts, holdings and
    metrics (``make run``). Idempotent: the same files again are recognised and skipped, and a
    new day's files only rewrite (and announce) the customers whose data moved."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lingxi-demo-") as scratch:
        paths = await asyncio.to_thread(generate_dataset, Path(scratch), customers, seed)
        return await load_dataset(database_url, pii_key, paths, echo=False)


def demo_data_main(argv: list[str] | None = None) -> int:
    """`lingxi demo-data --customers N --seed S [--format parquet|csv] [--dir D]` (CLI hook)."""
    import argparse
    import tempfile

    from lingxi_common.migrations import migrate_service
    from lingxi_common.settings import load_settings
    from lingxi_tag.settings import TagSettings

    parser = argparse.ArgumentParser(
        prog="lingxi demo-data", description="generate and bulk-load synthetic brokerage data"
    )
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument(
        "--dir", default="", help="where to write the extracts (default: a temporary directory)"
    )
    args = parser.parse_args(argv)
    settings = load_settings(TagSettings, service_name="tag")

    async def run() -> None:
        await migrate_service("tag", settings.database_url)
        with tempfile.TemporaryDirectory() as scratch:
            paths = generate_dataset(Path(args.dir or scratch), args.customers, args.seed, args.format)
            await load_dataset(settings.database_url, settings.pii_key, paths, file_format=args.format)

    asyncio.run(run())
    return 0
