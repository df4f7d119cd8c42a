"""Demo data for `lingxi up`: the hook the domain issues fill in.

`lingxi up` calls `seed(database_url, nats_url, customers)` once every deployable is started.
Seeding belongs to the services that own the data (customers and holdings to tag, products to
product, members to points, …), so this module only dispatches; it must stay honest about what
it did — until seeders exist it says so instead of pretending.

Contract for whoever fills it in: idempotent (a second `lingxi up` must not duplicate data),
through the services' own APIs or migrations-owned tables only, and fast enough for the
platform to be healthy within a minute for the default customer count.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def seed(database_url: str, nats_url: str, customers: int) -> None:
    """Seed `customers` demo customers and the data around them (no seeders are registered yet)."""
    log.warning(
        "no demo seeders are registered; nothing was seeded (%d customers requested). "
        "The platform is running with empty data.",
        customers,
    )
