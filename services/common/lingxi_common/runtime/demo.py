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


def seed(database_url: str, nats_url: str, customers: int) -> None:
    """Seed `customers` demo customers (and, through their events, points members)."""
    from lingxi_tag.demo import seed_customers

    if customers <= 0:
        return
    settings = load_settings(CommonSettings)
    began = time.monotonic()
    created = asyncio.run(
        seed_customers(f"127.0.0.1:{DEFAULT_GRPC_PORTS['tag']}", settings.service_token, customers)
    )
    print(
        f"  demo customers: {customers} ensured ({created} new) in {time.monotonic() - began:.1f}s "
        "through TagService; points members follow from their events",
        flush=True,
    )
