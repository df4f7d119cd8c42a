"""Tables of the product service, all in the `product` schema.

Only the messaging tables exist so far; the domain tables arrive with the product service's own
issue, each through an Alembic migration.
"""

from __future__ import annotations

from lingxi_common.db import service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table

SCHEMA = "product"
metadata = service_metadata(SCHEMA)
outbox = outbox_table(metadata)
processed_messages = processed_messages_table(metadata)
