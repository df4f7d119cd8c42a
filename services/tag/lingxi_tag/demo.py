"""Synthetic demo customers for `lingxi up`, loaded through the tag service's own gRPC API.

The data is generated from a seed, so a second run produces the same customers and the upserts
change nothing (no duplicate rows, no duplicate events). Branch and advisor structure follows
DOMAIN.md: about 300 customers per advisor, and a share of long-tail customers without an
advisor, served by HQ centralized operations.
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


def generate_dataset(
    directory: Path, customers: int, seed: int, file_format: str = "parquet"
) -> dict[str, Path]:
    """Write customers, accounts, holdings and metrics extracts; returns their paths by kind."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    n = customers
    index = np.arange(n)
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
    opened = np.array([today - dt.timedelta(days=int(d)) for d in opened_days], dtype="datetime64[D]")
    risk = rng.choice(np.arange(1, 6), p=np.array(RISK_WEIGHTS) / sum(RISK_WEIGHTS), size=n)
    expires = np.array(today, dtype="datetime64[D]") + rng.integers(-400, 3 * 365, size=n)
    phones = np.char.add("13", np.char.zfill(np.char.mod("%d", rng.integers(0, 999_999_999, size=n)), 9))
    customers_table = pa.table(
        {
            "customer_id": ids,
            "branch_id": branch,
            "advisor_id": advisor,
            "risk_level": np.char.add("C", np.char.mod("%d", risk)),
            "risk_assessment_expires_on": expires.astype(str),
            "professional_investor": np.where(rng.random(n) < 0.02, "true", "false"),
            "opened_on": opened.astype(str),
            "age_band": rng.choice(AGE_BANDS, p=np.array(AGE_WEIGHTS) / sum(AGE_WEIGHTS), size=n),
            "city": rng.choice(CITIES, size=n),
            "phone": phones,
        }
    )
    margin = (rng.random(n) < 0.12) & (total >= 100_000)
    accounts_table = pa.table(
        {
            "account_id": np.char.add("F", ids),
            "customer_id": ids,
            "account_type": np.where(margin, "margin", "cash"),
            "total_assets": total.astype(str),
            "cash_balance": cash.astype(str),
            "stock_market_value": stock.astype(str),
            "fund_market_value": fund.astype(str),
            "liabilities": np.where(margin, np.round(stock * rng.uniform(0.2, 0.6, size=n), 2), 0).astype(
                str
            ),
            "maintenance_ratio": np.where(margin, np.round(rng.uniform(1.3, 3.0, size=n), 4).astype(str), ""),
            "contract_expires_on": np.where(
                margin,
                (np.array(today, dtype="datetime64[D]") + rng.integers(1, 180, size=n)).astype(str),
                "",
            ),
        }
    )
    positions = rng.integers(0, 9, size=n)
    owner = np.repeat(index, positions)
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
    weight = weights[
        owner, np.concatenate([np.arange(k) for k in positions]) if count else np.array([], dtype=int)
    ]
    weight = weight / np.maximum(np.bincount(owner, weights=weight, minlength=n)[owner], 1e-9)
    value = np.round(stock[owner] * weight, 2)
    pnl_ratio = np.round(rng.normal(-0.02, 0.18, size=count), 4)
    holdings_table = pa.table(
        {
            "account_id": np.char.add("F", ids[owner]),
            "security_code": np.char.zfill(np.char.mod("%d", rng.integers(1, 699_999, size=count)), 6),
            "customer_id": ids[owner],
            "security_type": np.full(count, "1"),
            "quantity": np.maximum(np.round(value / 20), 1).astype(str),
            "cost": np.round(value / (1 + pnl_ratio), 2).astype(str),
            "market_value": value.astype(str),
            "unrealized_pnl": np.round(value - value / (1 + pnl_ratio), 2).astype(str),
            "unrealized_pnl_ratio": pnl_ratio.astype(str),
            "sector_code": rng.choice(sectors, size=count),
        }
    )
    # Duplicate (account, security) pairs from the random codes would be rejected; drop them here.
    keys = np.char.add(
        holdings_table.column("account_id").to_numpy(zero_copy_only=False).astype(str),
        holdings_table.column("security_code").to_numpy(zero_copy_only=False).astype(str),
    )
    _, first = np.unique(keys, return_index=True)
    holdings_table = holdings_table.take(pa.array(np.sort(first)))
    dormant = rng.random(n) < 0.33
    login_days = np.where(dormant, rng.integers(60, 720, size=n), rng.geometric(0.15, size=n) - 1)
    trades = np.where(dormant, 0, np.minimum(rng.pareto(1.3, size=n) * 4, 400).astype(int))
    shares = rng.dirichlet(np.ones(4) * 0.6, size=n)
    metrics_table = pa.table(
        {
            "customer_id": ids,
            "external_market_value": np.round(
                np.where(rng.random(n) < 0.25, rng.lognormal(np.log(200_000), 1.2, size=n), 0), 2
            ).astype(str),
            "trades_90d": trades.astype(str),
            "stock_pick_alpha": np.round(rng.normal(0, 0.08, size=n), 4).astype(str),
            "timing_score": np.round(rng.beta(5, 5, size=n), 4).astype(str),
            "avg_holding_days": np.round(rng.lognormal(np.log(40), 1.0, size=n), 2).astype(str),
            "value_trade_share": np.round(shares[:, 0], 4).astype(str),
            "technical_trade_share": np.round(shares[:, 1], 4).astype(str),
            "theme_trade_share": np.round(shares[:, 2], 4).astype(str),
            "event_trade_share": np.round(shares[:, 3], 4).astype(str),
            "last_trade_on": (
                np.array(today, dtype="datetime64[D]")
                - np.where(trades > 0, rng.integers(0, 90, size=n), rng.integers(90, 900, size=n))
            ).astype(str),
            "last_login_on": (np.array(today, dtype="datetime64[D]") - login_days).astype(str),
            "has_advisory_service": np.where(rng.random(n) < 0.04, "true", "false"),
            "wealth_product_holder": np.where(fund > 0, "true", "false"),
            "stock_mv_peak_12m": np.round(stock * rng.uniform(1.0, 3.0, size=n), 2).astype(str),
        }
    )
    paths: dict[str, Path] = {}
    for name, table in (
        ("customers", customers_table),
        ("accounts", accounts_table),
        ("holdings", holdings_table),
        ("metrics", metrics_table),
    ):
        path = directory / f"{name}.{'parquet' if file_format == 'parquet' else 'csv'}"
        if file_format == "parquet":
            pq.write_table(table, path)
        else:
            pacsv.write_csv(table, path)
        paths[name] = path
    return paths


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
    from lingxi_tag.bulk_import import run_import

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
    try:
        for name, kind in kinds.items():
            result = await run_import(engine, cipher, paths[name], kind=kind, file_format=fmt)
            report[name] = {
                "rows": result.rows_done,
                "rejected": result.rows_rejected,
                "seconds": round(result.seconds, 2),
                "rows_per_second": round(result.rows_per_second),
                "already_imported": result.already_imported,
            }
            if echo:
                print(f"{name}: {report[name]}", flush=True)
    finally:
        await engine.dispose()
    return report


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
