"""Asking WeCom what became of each group-message task until the answer is final.

WeCom sends a group message only once the advisor confirms it in their client, and tells nobody:
the outcome is read with `get_groupmsg_send_result`. Each SENT WeCom message has a row in
`wecom_result_checks`; a check is claimed (its next time pushed back, committed) before WeCom is
asked, so replicas do not ask twice at once — asking twice would be harmless anyway, since results
become receipts that are idempotent by receipt id. Waits double from `interval` up to 30 minutes;
after `max_wait` without the advisor sending, the message is recorded FAILED
(`advisor_not_confirmed`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.channel.v1 import channel_pb2
from lingxi_channel.accounts import AccountRegistry
from lingxi_channel.adapters import ProviderError
from lingxi_channel.models import messages, wecom_result_checks
from lingxi_channel.receipts import record_receipts
from lingxi_channel.sends import PII_CONTEXT_ADDRESS
from lingxi_channel.wecom import WeComAdapter
from lingxi_common.identity import Caller
from lingxi_common.pii import PiiCipher

log = logging.getLogger(__name__)
P = channel_pb2
MAX_WAIT_BETWEEN_CHECKS = 1800.0
# get_groupmsg_send_result status → (message status, provider code); 0 = still waiting.
OUTCOMES = {
    1: (P.MESSAGE_STATUS_DELIVERED, "sent"),
    2: (P.MESSAGE_STATUS_FAILED, "not_a_contact"),
    3: (P.MESSAGE_STATUS_FAILED, "already_received_today"),
}


class WeComResultPoller:
    """A background job of the channel service beside the dispatcher."""

    name = "channel-wecom-results"

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cipher: PiiCipher,
        registry: AccountRegistry,
        adapter: WeComAdapter | None,
        *,
        interval: float = 30.0,
        max_wait: timedelta = timedelta(hours=72),
        batch: int = 100,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._registry = registry
        self._adapter = adapter
        self._interval = interval
        self._max_wait = max_wait
        self._batch = batch

    async def run(self) -> None:
        if self._adapter is None:
            return
        while True:
            try:
                handled = await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("WeCom result check failed")
                handled = 0
            if handled < self._batch:
                await asyncio.sleep(min(self._interval, 5.0))

    async def _claim(self) -> list[tuple[Any, datetime]]:
        due = (
            sa.select(wecom_result_checks.c.message_id)
            .where(wecom_result_checks.c.next_check_at <= sa.func.now())
            .order_by(wecom_result_checks.c.next_check_at)
            .limit(self._batch)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        wait = sa.func.least(
            sa.literal(self._interval) * sa.func.power(2, wecom_result_checks.c.checks),
            MAX_WAIT_BETWEEN_CHECKS,
        )
        async with self._sessions.begin() as session:
            claimed = (
                await session.execute(
                    wecom_result_checks.update()
                    .where(wecom_result_checks.c.message_id.in_(due))
                    .values(
                        checks=wecom_result_checks.c.checks + 1,
                        next_check_at=sa.func.now() + sa.func.make_interval(0, 0, 0, 0, 0, 0, wait),
                    )
                    .returning(wecom_result_checks.c.message_id, wecom_result_checks.c.created_at)
                )
            ).all()
            if not claimed:
                return []
            rows = (
                await session.execute(
                    sa.select(
                        messages.c.message_id,
                        messages.c.status,
                        messages.c.account_id,
                        messages.c.provider_message_id,
                        messages.c.sender_id,
                        messages.c.address_enc,
                    ).where(messages.c.message_id.in_([c.message_id for c in claimed]))
                )
            ).all()
        created = {c.message_id: c.created_at for c in claimed}
        found = {row.message_id for row in rows}
        gone = [message_id for message_id in created if message_id not in found]
        if gone:
            await self._finish(gone, [])
        return [(row, created[row.message_id]) for row in rows]

    async def tick(self) -> int:
        """Check one batch of due tasks; returns how many were checked."""
        claimed = await self._claim()
        if not claimed:
            return 0
        outcomes = await asyncio.gather(*(self._check(row, created) for row, created in claimed))
        receipts = [receipt for receipt, _done in outcomes if receipt is not None]
        finished = [row.message_id for (row, _), (_r, done) in zip(claimed, outcomes, strict=True) if done]
        await self._finish(finished, receipts)
        return len(claimed)

    async def _check(self, row: Any, created: datetime) -> tuple[channel_pb2.ProviderReceipt | None, bool]:
        """(receipt to record, whether checking is over) for one task."""
        if row.status != P.MESSAGE_STATUS_SENT:
            return None, True  # already settled another way (e.g. a contact-removed event)
        assert self._adapter is not None
        account = await self._registry.get(row.account_id)
        external_userid = self._cipher.decrypt(row.address_enc, context=PII_CONTEXT_ADDRESS)
        status = 0
        if account is not None:
            try:
                results = await self._adapter.send_results(
                    account, row.provider_message_id, row.sender_id or ""
                )
            except ProviderError as error:
                log.warning(
                    "WeCom result query failed", extra={"message_id": row.message_id, "code": error.code}
                )
                return None, False
            mine = [r for r in results if r.get("external_userid") == external_userid] or results
            status = int(mine[0].get("status", 0)) if mine else 0
        if status in OUTCOMES:
            outcome, code = OUTCOMES[status]
            receipt_key = f"{row.provider_message_id}:{status}"
        elif datetime.now(UTC) - created > self._max_wait:
            outcome, code = P.MESSAGE_STATUS_FAILED, "advisor_not_confirmed"
            receipt_key = f"{row.provider_message_id}:expired"
        else:
            return None, False
        receipt = P.ProviderReceipt(
            provider="wecom",
            provider_message_id=row.provider_message_id,
            status=outcome,
            provider_code=code,
            receipt_id=receipt_key,
        )
        return receipt, True

    async def _finish(self, finished: list[str], receipts: list[channel_pb2.ProviderReceipt]) -> None:
        async with self._sessions.begin() as session:
            if receipts:
                await record_receipts(session, self._cipher, Caller.system("channel"), receipts)
            if finished:
                await session.execute(
                    wecom_result_checks.delete().where(wecom_result_checks.c.message_id.in_(finished))
                )
