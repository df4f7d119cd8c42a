"""Demo data for `lingxi up`: dispatches to the seeders of the services that own the data.

Customers arrive the way a brokerage's nightly warehouse extracts do: generated extracts (100,000
customers by default, with accounts, holdings and warehouse metrics) loaded through the tag
service's bulk import — validation, PII encryption, COPY and merge, and one `CustomerChanged` per
customer through the outbox, from which the points service opens members and the product
service builds its suitability projection. Products and points activity go through those
services' own APIs. Every seeder is idempotent: a second `lingxi up` finds the data already there
and changes nothing (on a later day only the customers whose generated data moved are updated).
"""

from __future__ import annotations

import asyncio
import logging
import time

from lingxi_common.settings import DEFAULT_GRPC_PORTS, CommonSettings, load_settings

log = logging.getLogger(__name__)

# Points activity (registration and deposit facts, check-ins) is seeded for the first customers
# only: a demo needs a populated ledger, not 100,000 check-ins on a laptop.
POINTS_ACTIVITY_CUSTOMERS = 2_000


def _address(service: str) -> str:
    return f"127.0.0.1:{DEFAULT_GRPC_PORTS[service]}"


def seed(database_url: str, nats_url: str, customers: int) -> None:
    """Seed customers (tag, bulk path), the product shelf (product) and points activity (points)."""
    from lingxi_points.demo import seed_points
    from lingxi_product.demo import seed_products
    from lingxi_tag.demo import load_demo_customers

    if customers <= 0:
        return
    settings = load_settings(CommonSettings)
    token = settings.service_token

    began = time.monotonic()
    report = asyncio.run(load_demo_customers(database_url, settings.pii_key, customers))
    loaded = report["customers"]
    note = (
        "already loaded"
        if loaded["already_imported"]
        else f"{loaded['changed']:,} new or changed at {loaded['rows_per_second']:,} rows/s"
    )
    print(
        f"  demo customers: {customers:,} through the bulk import ({note}), with "
        f"{report['accounts']['rows']:,} accounts and {report['holdings']['rows']:,} positions, "
        f"in {time.monotonic() - began:.1f}s; points members and tags follow from the "
        "customer events and a queued recompute",
        flush=True,
    )
    began = time.monotonic()
    products = asyncio.run(seed_products(_address("product"), token))
    print(
        f"  demo products: {products} new (funds with ~3 years of NAV, wealth, advisory, research) "
        f"in {time.monotonic() - began:.1f}s",
        flush=True,
    )
    began = time.monotonic()
    points = asyncio.run(
        seed_points(_address("points"), nats_url, token, min(customers, POINTS_ACTIVITY_CUSTOMERS))
    )
    print(
        f"  demo points: {points.facts_published} business facts, {points.check_ins} check-ins, "
        f"{points.rewards} rewards in {time.monotonic() - began:.1f}s",
        flush=True,
    )
