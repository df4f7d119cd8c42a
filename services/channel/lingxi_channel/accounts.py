"""Provider accounts of each channel, in failover order, with their credentials resolved.

Accounts are rows (UpsertChannelAccount); credentials never are: `credentials_ref` names an
environment variable (filled from a Kubernetes Secret) holding JSON such as
`{"key_id": "...", "key_secret": "...", "app_id": "..."}` (WeCom: `{"corp_id": "...", "secret": "...",
"agent_id": "..."}`). Outside production a missing reference
falls back to the simulators' dummy credentials so the demo runs with no secrets at all.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.channel.v1 import channel_pb2
from lingxi.common.v1 import enums_pb2
from lingxi_channel.adapters import Account
from lingxi_channel.models import channel_accounts
from lingxi_common.errors import FailedPrecondition, InvalidArgument

C = enums_pb2
KNOWN_PROVIDERS = {
    "tencent_sms": C.CHANNEL_SMS,
    "aliyun_sms": C.CHANNEL_SMS,
    "jpush": C.CHANNEL_APP_PUSH,
    "wechat_oa": C.CHANNEL_WECHAT_OA,
    "wechat_mini": C.CHANNEL_WECHAT_MINI,
    "call": C.CHANNEL_CALL,
    "wecom": C.CHANNEL_WECOM,
}


def resolve_credentials(ref: str, *, production: bool) -> dict[str, str]:
    if not ref:
        if production:
            raise FailedPrecondition("channel account has no credentials_ref")
        return {}
    raw = os.environ.get(ref)
    if raw is None:
        if production:
            raise FailedPrecondition(f"credentials {ref!r} are not configured")
        return {}
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise FailedPrecondition(f"credentials {ref!r} are not JSON") from error
    return {str(k): str(v) for k, v in data.items()}


def _to_proto(row: sa.Row) -> channel_pb2.ChannelAccount:
    updated = Timestamp()
    updated.FromDatetime(row.updated_at)
    return channel_pb2.ChannelAccount(
        account_id=row.account_id,
        channel=row.channel,
        provider=row.provider,
        display_name=row.display_name,
        credentials_ref=row.credentials_ref,
        endpoint=row.endpoint,
        sms_signature=row.sms_signature,
        rate_per_second=row.rate_per_second,
        burst=row.burst,
        failover_order=row.failover_order,
        enabled=row.enabled,
        updated_at=updated,
    )


async def upsert_account(
    session: AsyncSession, account: channel_pb2.ChannelAccount
) -> channel_pb2.ChannelAccount:
    if not account.account_id:
        raise InvalidArgument("account.account_id", "required")
    expected = KNOWN_PROVIDERS.get(account.provider)
    if expected is None:
        raise InvalidArgument("account.provider", f"one of {sorted(KNOWN_PROVIDERS)}")
    if account.channel != expected:
        raise InvalidArgument("account.channel", f"{account.provider} serves {C.Channel.Name(expected)}")
    if account.rate_per_second < 0 or account.burst < 0:
        raise InvalidArgument("account.rate_per_second", "must not be negative")
    values = {
        "channel": account.channel,
        "provider": account.provider,
        "display_name": account.display_name,
        "credentials_ref": account.credentials_ref,
        "endpoint": account.endpoint,
        "sms_signature": account.sms_signature,
        "rate_per_second": account.rate_per_second,
        "burst": account.burst,
        "failover_order": account.failover_order,
        "enabled": account.enabled,
        "updated_at": datetime.now(UTC),
    }
    statement = pg_insert(channel_accounts).values(account_id=account.account_id, **values)
    row = (
        await session.execute(
            statement.on_conflict_do_update(index_elements=["account_id"], set_=values).returning(
                *channel_accounts.c
            )
        )
    ).one()
    return _to_proto(row)


async def list_accounts(session: AsyncSession, channel: int = 0) -> list[channel_pb2.ChannelAccount]:
    query = sa.select(channel_accounts).order_by(
        channel_accounts.c.channel, channel_accounts.c.failover_order
    )
    if channel:
        query = query.where(channel_accounts.c.channel == channel)
    return [_to_proto(row) for row in (await session.execute(query)).all()]


class AccountRegistry:
    """Enabled accounts per channel in failover order, reloaded every few seconds."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, production: bool, refresh: float = 5.0
    ) -> None:
        self._sessions = sessions
        self._production = production
        self._refresh = refresh
        self._loaded_at = 0.0
        self._by_channel: dict[int, list[Account]] = {}
        self._lock = asyncio.Lock()
        # Bumped by invalidate(): a reload that started before a change does not count as fresh.
        self._generation = 0

    def invalidate(self) -> None:
        self._loaded_at = 0.0
        self._generation += 1

    async def for_channel(self, channel: int) -> list[Account]:
        if time.monotonic() - self._loaded_at > self._refresh:
            await self._reload()
        return self._by_channel.get(channel, [])

    async def _reload(self) -> None:
        """One reload at a time: the dispatcher asks for accounts once per message of a batch, and
        without this every one of them would query the table when the cache expires."""
        if self._lock.locked() and self._loaded_at:
            return  # another task is reloading; the previous accounts serve meanwhile
        async with self._lock:
            if time.monotonic() - self._loaded_at <= self._refresh:
                return
            generation = self._generation
            async with self._sessions() as session:
                rows = await list_accounts(session)
            grouped: dict[int, list[Account]] = {}
            for row in rows:
                if not row.enabled:
                    continue
                creds = resolve_credentials(row.credentials_ref, production=self._production)
                grouped.setdefault(row.channel, []).append(
                    Account(
                        account_id=row.account_id,
                        channel=row.channel,
                        provider=row.provider,
                        endpoint=row.endpoint,
                        app_id=creds.get("app_id") or creds.get("corp_id", ""),
                        key_id=creds.get("key_id", "sim-key"),
                        key_secret=creds.get("key_secret") or creds.get("secret", "sim-secret"),
                        sms_signature=row.sms_signature,
                        rate_per_second=row.rate_per_second,
                        burst=row.burst,
                        failover_order=row.failover_order,
                        agent_id=creds.get("agent_id", ""),
                    )
                )
            self._by_channel = grouped
            self._loaded_at = time.monotonic() if generation == self._generation else 0.0

    async def get(self, account_id: str) -> Account | None:
        """An enabled account by id (e.g. the one a WeCom task was created with)."""
        await self.for_channel(C.CHANNEL_UNSPECIFIED)
        for accounts in self._by_channel.values():
            for account in accounts:
                if account.account_id == account_id:
                    return account
        return None

    def signatures(self) -> dict[int, str]:
        return {
            channel: accounts[0].sms_signature for channel, accounts in self._by_channel.items() if accounts
        }
