"""Event consumers and scheduled jobs of the points service, each idempotent.

- `points-customer-changed`: opens (or follows) a member for every customer of the tag service.
- `points-business-events`: business facts (account opening, deposits, purchases …) award points
  by every active event rule whose filter matches; the posting key is "<rule>:<fact key>", so a
  redelivered or replayed fact never earns twice. An unknown member is an error on purpose: the
  customer event that opens the member may still be on its way, so the fact is retried with
  back-off (and dead-lettered if the member never appears) instead of being dropped.
- `points-earn-commands`: lingxi.cmd.points.earn from campaigns and strategies (EarnByRule later).
- `points-customer-tags` / `points-account-changed`: keep the projection of the customer's tags
  and account assets (`customer_facts`) that rule eligibility and tier qualification read; an
  asset change re-evaluates the member's tier at once (upgrades only; downgrades wait for review).
- The scheduler runs the expiry job, releases pending points and expires stale reservations.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from google.protobuf.json_format import MessageToDict

from lingxi.events.v1 import ingest_events_pb2, points_events_pb2, tag_events_pb2
from lingxi_common.consumer import BatchConsumerWorker, ConsumerWorker, Delivery, Outcome, Received
from lingxi_common.db import transaction
from lingxi_common.idempotency import claim_message
from lingxi_common.service import BackgroundJob, ServiceContext
from lingxi_points import customer_facts, expiry, ledger, rules, tiers
from lingxi_points.members import member_exists, open_or_update_member
from lingxi_points.models import processed_messages
from lingxi_points.settings import PointsSettings

log = logging.getLogger(__name__)

CUSTOMER_CHANGED = "points-customer-changed"
BUSINESS_EVENTS = "points-business-events"
EARN_COMMANDS = "points-earn-commands"
CUSTOMER_TAGS = "points-customer-tags"
ACCOUNT_CHANGED = "points-account-changed"


async def apply_business_event(session: Any, event: Any) -> list[rules.Award]:
    """Award every matching active event rule for one business fact."""
    facts = MessageToDict(event, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    facts.pop("meta", None)
    fact_key = event.business_key or event.meta.event_id
    occurred = event.occurred_at.ToDatetime(dt.UTC) if event.HasField("occurred_at") else None
    awards = []
    for rule in await rules.list_rules(session, active_only=True):
        if rule.trigger_subject != rules.BUSINESS_SUBJECT or not rules.matches_event(rule, facts):
            continue
        awards.append(
            await rules.award(
                session,
                rule=rule,
                customer_id=event.customer_id,
                business_key=f"{rule.rule_code}:{fact_key}",
                amount=event.amount.amount or None,
                facts=facts,
                occurred_at=occurred,
                context=ledger.Context(origin={"source": f"business:{event.source_system or 'unknown'}"}),
            )
        )
    return awards


class Scheduler:
    """The points service's periodic jobs (expiry, stale reservations), a background job.

    Every job it runs is idempotent, so replicas running it at the same time, or a run cut
    short, are harmless.
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        settings = ctx.settings
        self._interval = settings.jobs_interval if isinstance(settings, PointsSettings) else 300.0
        self._notice_days = settings.expiry_notice_days if isinstance(settings, PointsSettings) else (30, 7)

    @property
    def name(self) -> str:
        return "points-scheduler"

    async def tick(self) -> None:
        today = ledger.business_day(ledger.now())
        await expiry.expire_reservations(self._ctx.sessions, ledger.now())
        # Lots are spendable through their expiry date: yesterday's are the ones due now.
        await expiry.run_expiry(self._ctx.sessions, today - dt.timedelta(days=1), tuple(self._notice_days))

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("points scheduled jobs failed; retrying at the next tick")
            await asyncio.sleep(self._interval)


def consumers(ctx: ServiceContext) -> list[ConsumerWorker[Any]]:
    # The three projections of the tag service's events are fed in batches, one transaction per
    # fetched batch: a bulk import or a daily recompute sends hundreds of thousands of them, and a
    # commit per event would keep the demo (and production mornings) catching up for many minutes.
    async def on_customers_changed(
        batch: Sequence[Received[tag_events_pb2.CustomerChanged]],
    ) -> list[Outcome]:
        async with transaction(ctx.sessions) as session:
            for item in batch:
                if await claim_message(
                    session, processed_messages, CUSTOMER_CHANGED, item.delivery.message_id
                ):
                    await open_or_update_member(session, item.message)
        return [Outcome.done()] * len(batch)

    async def on_tags_changed(batch: Sequence[Received[tag_events_pb2.CustomerTagChanged]]) -> list[Outcome]:
        async with transaction(ctx.sessions) as session:
            await customer_facts.apply_tag_changes(session, [item.message for item in batch])
        return [Outcome.done()] * len(batch)

    async def on_accounts_changed(batch: Sequence[Received[tag_events_pb2.AccountChanged]]) -> list[Outcome]:
        today = ledger.business_day(ledger.now())
        async with transaction(ctx.sessions) as session:
            for item in batch:
                event = item.message
                if not await customer_facts.apply_account_change(session, event):
                    continue  # a redelivery or an older figure: nothing new to qualify on
                if await member_exists(session, event.customer.customer_id):
                    await tiers.evaluate(session, event.customer.customer_id, today, review=False)
        return [Outcome.done()] * len(batch)

    async def on_business_event(event: ingest_events_pb2.BusinessEvent, delivery: Delivery) -> None:
        if not event.customer_id:
            return  # a fact about no one earns nothing
        async with transaction(ctx.sessions) as session:
            if await claim_message(session, processed_messages, BUSINESS_EVENTS, delivery.message_id):
                await apply_business_event(session, event)

    async def on_earn_command(command: points_events_pb2.EarnPointsCommand, delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            if not await claim_message(session, processed_messages, EARN_COMMANDS, delivery.message_id):
                return
            rule = await rules.get_rule(session, command.rule_code)
            await rules.award(
                session,
                rule=rule,
                customer_id=command.customer_id,
                business_key=command.business_key,
                amount=command.amount.amount or None,
                occurred_at=command.occurred_at.ToDatetime(dt.UTC)
                if command.HasField("occurred_at")
                else None,
                context=ledger.Context(
                    origin=MessageToDict(command.origin, preserving_proto_field_name=True) or None
                ),
            )

    return [
        BatchConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(CUSTOMER_TAGS),
            tag_events_pb2.CustomerTagChanged,
            on_tags_changed,
        ),
        BatchConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(ACCOUNT_CHANGED),
            tag_events_pb2.AccountChanged,
            on_accounts_changed,
        ),
        BatchConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(CUSTOMER_CHANGED),
            tag_events_pb2.CustomerChanged,
            on_customers_changed,
        ),
        ConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(BUSINESS_EVENTS),
            ingest_events_pb2.BusinessEvent,
            on_business_event,
        ),
        ConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(EARN_COMMANDS),
            points_events_pb2.EarnPointsCommand,
            on_earn_command,
        ),
    ]


def jobs(ctx: ServiceContext) -> list[BackgroundJob]:
    return [Scheduler(ctx)]
