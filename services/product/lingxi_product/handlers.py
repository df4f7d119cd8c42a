"""Event consumers and the daily job of the product service, each idempotent.

* product-customer-changed: keeps the customer risk projection (for batch suitability) current;
  older versions are ignored, and the processed-message claim makes redeliveries no-ops.
* product-recompute-metrics: executes RecomputeMetricsCommand (queued by NAV imports): metrics,
  evaluation and computed tags; recomputing twice gives the same result.
* product-audience-snapshot-created: reads an announced audience snapshot's members from the tag
  service ahead of its first batch (see `BatchSuitability.preread`); a snapshot already resolved
  or stored is a no-op, so redeliveries are harmless.
* the series import worker: runs queued StartSeriesImport jobs in the background (import_jobs.py).
* the projection refresher: loads this replica's in-memory customer columns at start and reads
  newly written rows every few seconds (batch suitability reads the columns, not the table).
* the daily job: at `daily_run_at` (Asia/Shanghai) recomputes everything and sweeps the key
  dates. It is not a NATS consumer but runs beside them; a PostgreSQL advisory lock keeps two
  replicas from doing the same work at once, and the work itself is idempotent.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from lingxi.events.v1 import product_events_pb2, tag_events_pb2
from lingxi_common.consumer import ConsumerWorker, Delivery
from lingxi_common.db import transaction
from lingxi_common.errors import FailedPrecondition, InvalidArgument, NotFound
from lingxi_common.idempotency import claim_message
from lingxi_common.service import BackgroundJob, ServiceContext
from lingxi_product import analytics, date_events
from lingxi_product.import_jobs import ImportWorker
from lingxi_product.models import processed_messages
from lingxi_product.runtime import runtime_for
from lingxi_product.settings import ProductSettings
from lingxi_product.suitability import BUSINESS_TZ, apply_customer_changed

log = logging.getLogger(__name__)

CUSTOMER_CHANGED = "product-customer-changed"
RECOMPUTE_METRICS = "product-recompute-metrics"
SNAPSHOT_CREATED = "product-audience-snapshot-created"
DAILY_LOCK_KEY = 0x50524F44  # "PROD": advisory lock id of the daily job


def _settings(ctx: ServiceContext) -> ProductSettings:
    settings = ctx.settings
    return settings if isinstance(settings, ProductSettings) else ProductSettings()


async def run_daily(ctx: ServiceContext, today: Any = None) -> None:
    """One daily pass: full recompute, then the date sweep, in one transaction."""
    settings = _settings(ctx)
    day = today or datetime.now(BUSINESS_TZ).date()
    async with transaction(ctx.sessions) as session:
        locked = (
            await session.execute(sa.select(sa.func.pg_try_advisory_xact_lock(DAILY_LOCK_KEY)))
        ).scalar()
        if not locked:
            log.info("daily product job already running elsewhere; skipped")
            return
        result = await analytics.recompute(
            session, None, risk_free_rate=float(settings.risk_free_rate), today=day
        )
        events = await date_events.sweep(session, day, notice_days=settings.notice_days)
    log.info(
        "daily product job done",
        extra={"products": result.products, "funds_ranked": result.funds_ranked, "date_events": len(events)},
    )


class DailyJob:
    """Sleeps until the configured local time, runs `run_daily`, repeats. Errors are logged, not fatal."""

    name = "product-daily"

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        hours, minutes = _settings(ctx).daily_run_at.split(":")
        self._at = time(int(hours), int(minutes))

    def seconds_until_next(self, now: datetime) -> float:
        target = datetime.combine(now.date(), self._at, tzinfo=BUSINESS_TZ)
        if target <= now:
            target += timedelta(days=1)
        return (target - now).total_seconds()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.seconds_until_next(datetime.now(BUSINESS_TZ)))
            try:
                await run_daily(self._ctx)
            except Exception:  # a bad day must not stop tomorrow's run
                log.exception("daily product job failed")


def consumers(ctx: ServiceContext) -> list[ConsumerWorker[Any]]:
    settings = _settings(ctx)

    async def on_customer_changed(event: tag_events_pb2.CustomerChanged, delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            if await claim_message(session, processed_messages, CUSTOMER_CHANGED, delivery.message_id):
                await apply_customer_changed(session, event)

    async def on_recompute(command: product_events_pb2.RecomputeMetricsCommand, delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            if await claim_message(session, processed_messages, RECOMPUTE_METRICS, delivery.message_id):
                wanted = list(command.product_ids) or None
                if wanted and command.meta.HasField("occurred_at"):
                    issued = command.meta.occurred_at.ToDatetime(tzinfo=UTC)
                    wanted = await analytics.stale_products(session, wanted, issued)
                    if not wanted:
                        return  # a later recompute already covered these products
                await analytics.recompute(
                    session,
                    wanted,
                    risk_free_rate=float(settings.risk_free_rate),
                    correlation_id=command.meta.correlation_id,
                )

    async def on_snapshot_created(event: tag_events_pb2.AudienceSnapshotCreated, delivery: Delivery) -> None:
        if not event.snapshot_id or event.count <= 0:
            return
        started = asyncio.get_running_loop().time()
        try:
            async with ctx.sessions() as session:
                members = await runtime_for(ctx).batches.preread(session, event.snapshot_id)
        except (NotFound, FailedPrecondition, InvalidArgument) as error:
            # Gone, empty or too large: a batch on it gets the same answer; nothing to prepare.
            log.info("snapshot %s not pre-read: %s", event.snapshot_id, error)
            return
        log.info(
            "snapshot members pre-read",
            extra={
                "snapshot_id": event.snapshot_id,
                "members": members,
                "ms": round((asyncio.get_running_loop().time() - started) * 1000),
            },
        )

    workers: list[ConsumerWorker[Any]] = [
        ConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(CUSTOMER_CHANGED),
            tag_events_pb2.CustomerChanged,
            on_customer_changed,
        ),
        ConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(RECOMPUTE_METRICS),
            product_events_pb2.RecomputeMetricsCommand,
            on_recompute,
        ),
    ]
    if settings.preread_snapshots:
        workers.append(
            ConsumerWorker(
                ctx.bus,
                ctx.declarations.consumer(SNAPSHOT_CREATED),
                tag_events_pb2.AudienceSnapshotCreated,
                on_snapshot_created,
            )
        )
    return workers


class ProjectionRefresher:
    """Loads this replica's in-memory customer columns at start and keeps reading new rows.

    Batches refresh the columns themselves before deciding; this job only keeps that step small
    and takes the initial load off the first batch's clock.
    """

    name = "product-projection-refresh"

    def __init__(self, ctx: ServiceContext) -> None:
        self._columns = runtime_for(ctx).batches.columns
        self._interval = _settings(ctx).projection_refresh_seconds

    async def run(self) -> None:
        while True:
            try:
                await self._columns.ensure_current()
            except asyncio.CancelledError:
                raise
            except Exception:  # PostgreSQL away: the next round (or the next batch) retries
                log.warning("customer projection refresh failed", exc_info=True)
            await asyncio.sleep(self._interval)


def jobs(ctx: ServiceContext) -> list[BackgroundJob]:
    settings = _settings(ctx)
    found: list[BackgroundJob] = [
        ProjectionRefresher(ctx),
        ImportWorker(
            ctx,
            runtime_for(ctx).import_wakeup,
            poll=settings.import_poll_seconds,
            stale=settings.import_stale_seconds,
        ),
    ]
    if settings.daily_jobs_enabled:
        found.append(DailyJob(ctx))
    return found
