"""What the product service's RPCs and background jobs share inside one process.

The in-memory customer columns and the snapshot cache must be the same objects for the gRPC
servicers (which decide batches) and the background refresher (which keeps the columns warm), so
both get them from `runtime_for(ctx)`, one runtime per running service.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from lingxi_common.grpc_client import open_channel
from lingxi_common.grpc_server import current_caller
from lingxi_common.identity import Caller
from lingxi_common.service import ServiceContext
from lingxi_product.risk_columns import RiskColumns
from lingxi_product.settings import ProductSettings
from lingxi_product.snapshots import SnapshotSource
from lingxi_product.suitability import CustomerSource
from lingxi_product.suitability_batch import BatchSuitability


def settings_of(ctx: ServiceContext) -> ProductSettings:
    return ctx.settings if isinstance(ctx.settings, ProductSettings) else ProductSettings()


def _acting_caller() -> Caller:
    """The person (or service) whose RPC is being served; this service itself otherwise."""
    try:
        return current_caller()
    except RuntimeError:
        return Caller.system("product")


@dataclass
class ProductRuntime:
    ctx: ServiceContext
    customers: CustomerSource
    batches: BatchSuitability
    # Set when an import is queued here, so this replica's worker starts it without waiting a poll.
    import_wakeup: asyncio.Event = field(default_factory=asyncio.Event)


_RUNTIMES: dict[int, ProductRuntime] = {}


def runtime_for(ctx: ServiceContext) -> ProductRuntime:
    runtime = _RUNTIMES.get(id(ctx))
    if runtime is not None and runtime.ctx is ctx:
        return runtime
    settings = settings_of(ctx)
    service_channel = acting_channel = None
    if settings.tag_addr:
        # Customer lookups run as this service (the product service checks scope itself);
        # snapshot reads carry the caller, so the tag service applies the caller's scope.
        service_channel = open_channel(
            settings.tag_addr,
            service_token=settings.service_token,
            caller=lambda: Caller.system("product"),
            default_timeout=settings.tag_timeout_seconds,
        )
        acting_channel = open_channel(
            settings.tag_addr,
            service_token=settings.service_token,
            caller=_acting_caller,
            default_timeout=settings.snapshot_timeout_seconds,
        )
    runtime = ProductRuntime(
        ctx=ctx,
        customers=CustomerSource(service_channel, timeout=settings.tag_timeout_seconds),
        batches=BatchSuitability(
            RiskColumns(ctx.engine),
            SnapshotSource(acting_channel, timeout=settings.snapshot_timeout_seconds),
            ctx.sessions,
            snapshot_wait=settings.snapshot_wait_seconds,
        ),
    )
    _RUNTIMES[id(ctx)] = runtime
    return runtime
