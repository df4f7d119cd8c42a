"""Event consumers of the tag service.

None yet: behaviour events and recompute commands arrive with the tag service's own issue, each
declared in infra/nats/streams.yaml and idempotent on the event id.
"""

from __future__ import annotations

from typing import Any

from lingxi_common.consumer import ConsumerWorker
from lingxi_common.service import ServiceContext


def consumers(ctx: ServiceContext) -> list[ConsumerWorker[Any]]:
    return []
