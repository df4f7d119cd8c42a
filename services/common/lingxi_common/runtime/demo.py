"""Demo data for `lingxi up`: dispatches to the seeders of the services that own the data.

Seeders go through the services' own APIs, so the demo exercises the same paths as production
(validation, PII encryption, outbox events and their consumers). Every seeder is idempotent: a
second `lingxi up` finds the data already there and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time

from lingxi_common.settings import DEFAULT_GRPC_PORTS, CommonSettings, load_settings

log = logging.getLogger(__name__)


def _address(service: str) -> str:
    return f"127.0.0.1:{DEFAULT_GRPC_PORTS[service]}"


def seed(database_url: str, nats_url: str, customers: int) -> None:
    """Seed customers (tag), the product shelf (product) and points activity (points)."""
    from lingxi_points.demo import seed_points
    from lingxi_product.demo import seed_products
    from lingxi_tag.demo import seed_customers

    if customers <= 0:
        return
    token = load_settings(CommonSettings).service_token

    began = time.monotonic()
    created = asyncio.run(seed_customers(_address("tag"), token, customers))
    print(
        f"  demo customers: {customers} ensured ({created} new) in {time.monotonic() - began:.1f}s "
        "through TagService; points members follow from their events",
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
    points = asyncio.run(seed_points(_address("points"), nats_url, token, customers))
    print(
        f"  demo points: {points.facts_published} business facts, {points.check_ins} check-ins, "
        f"{points.rewards} rewards in {time.monotonic() - began:.1f}s",
        flush=True,
    )
