"""Recompute jobs: evaluate tags for every customer, in checkpointed chunks.

A job (daily, after an activation, or requested) walks customers in id order, one transaction per
chunk that evaluates, stores and announces the changes *and* advances the job's checkpoint — so a
restart resumes at the first unfinished chunk and never applies a chunk twice. The job row is
locked with SKIP LOCKED per chunk, so several replicas can run the worker without double work.
The daily job is keyed by its business date: whichever replica creates it first wins.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from typing import Any

import sqlalchemy as sa

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2
from lingxi_common.db import transaction
from lingxi_common.outbox import emit
from lingxi_tag.definitions import install_library, queue_recompute
from lingxi_tag.facts import BUSINESS_TZ
from lingxi_tag.models import customers, outbox, recompute_jobs
from lingxi_tag.runtime import TagRuntime
from lingxi_tag.tagging import apply_tags

log = logging.getLogger(__name__)


async def run_chunk(runtime: TagRuntime, chunk: int) -> bool:
    """Process one chunk of the oldest unfinished job; False when there is nothing to do."""
    async with transaction(runtime.ctx.sessions) as session:
        job = (
            await session.execute(
                sa.select(recompute_jobs)
                .where(
                    recompute_jobs.c.state.in_(
                        [defs_pb2.RECOMPUTE_STATE_QUEUED, defs_pb2.RECOMPUTE_STATE_RUNNING]
                    )
                )
                .order_by(recompute_jobs.c.started_at)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
        ).first()
        if job is None:
            return False
        ids = list(
            (
                await session.execute(
                    sa.select(customers.c.customer_id)
                    .where(customers.c.customer_id > job.checkpoint_customer_id)
                    .order_by(customers.c.customer_id)
                    .limit(chunk)
                )
            ).scalars()
        )
        changes = []
        if ids:
            changes = await apply_tags(
                session,
                runtime.catalog,
                ids,
                realtime_only=False,
                tag_codes=list(job.tag_codes) or None,
                causation_id=job.job_id,
                from_recompute=True,
                today=job.business_date,
            )
        done = len(ids) < chunk
        values: dict[str, Any] = {
            "state": defs_pb2.RECOMPUTE_STATE_SUCCEEDED if done else defs_pb2.RECOMPUTE_STATE_RUNNING,
            "customers_done": recompute_jobs.c.customers_done + len(ids),
            "changes": recompute_jobs.c.changes + len(changes),
        }
        if ids:
            values["checkpoint_customer_id"] = ids[-1]
        if done:
            values["finished_at"] = sa.func.now()
        await session.execute(
            recompute_jobs.update().where(recompute_jobs.c.job_id == job.job_id).values(**values)
        )
        if done:
            meta = event_meta_pb2.EventMeta(
                event_id=str(uuid.uuid4()), producer="tag", causation_id=job.job_id
            )
            meta.occurred_at.GetCurrentTime()
            await emit(
                session,
                outbox,
                tag_events_pb2.RecomputeCompleted(
                    meta=meta,
                    job_id=job.job_id,
                    business_date=job.business_date.isoformat(),
                    tag_codes=list(job.tag_codes),
                    customers=job.customers_done + len(ids),
                    changes=job.changes + len(changes),
                    succeeded=True,
                ),
            )
    return True


async def ensure_daily_job(runtime: TagRuntime, hour: int) -> None:
    now = dt.datetime.now(BUSINESS_TZ)
    if now.hour < hour:
        return
    async with transaction(runtime.ctx.sessions) as session:
        await queue_recompute(session, [], now.date(), job_id=f"daily-{now.date().isoformat()}")


class TagWorker:
    """Background work of the tag service: library install, audience index, recomputes.

    Handed to the runtime alongside the event consumers (which start after migrations): it only
    needs ``name`` and ``run()``.
    """

    name = "tag-background"

    def __init__(self, runtime: TagRuntime) -> None:
        self.runtime = runtime

    async def run(self) -> None:
        settings = self.runtime.ctx.settings
        hour = int(getattr(settings, "daily_recompute_hour", 2))
        chunk = int(getattr(settings, "recompute_chunk", 1000))
        interval = float(getattr(settings, "index_refresh_seconds", 0.2))
        async with transaction(self.runtime.ctx.sessions) as session:
            if await install_library(session):
                await queue_recompute(
                    session, [], dt.datetime.now(BUSINESS_TZ).date(), job_id="builtin-install"
                )
        await self.runtime.index.rebuild()
        follower = asyncio.create_task(self.runtime.index.follow(interval), name="tag-index-follow")
        try:
            while True:
                try:
                    await ensure_daily_job(self.runtime, hour)
                    busy = True
                    while busy:  # one transaction per chunk until no job is left
                        busy = await run_chunk(self.runtime, chunk)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("recompute step failed; retrying")
                await asyncio.sleep(1.0)
        finally:
            follower.cancel()
