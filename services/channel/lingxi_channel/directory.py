"""Who a customer is and how to reach them: addresses from the tag service, consent from here.

Addresses (phone, openid, …) live in the tag service; the channel service asks for them over
gRPC as its own service identity (which may read PII) and keeps them in memory for a short TTL
only, so a changed phone number is used within a minute. Consent, DND and caps are this service's
own data, loaded for a whole batch in three queries.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import grpc
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import enums_pb2
from lingxi.tag.v1 import customer_pb2 as tag_customer_pb2
from lingxi.tag.v1 import tag_service_pb2, tag_service_pb2_grpc
from lingxi_channel.models import consents, contact_counts, contact_preferences
from lingxi_channel.policy import ContactPolicy, CustomerContext
from lingxi_common.grpc_client import open_channel
from lingxi_common.identity import Caller

C = enums_pb2


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    customer_id: str
    branch_id: str
    advisor_id: str
    addresses: dict[int, str]
    # The tag service's copy of consents (captured at account opening); ours win when present.
    consents: dict[int, int]


def addresses_of(customer: tag_customer_pb2.Customer) -> dict[int, str]:
    """Per channel, the address a provider needs for this customer (empty = unreachable)."""
    attrs = dict(customer.attributes)
    phone = customer.phone
    openid = customer.wechat_openid
    found = {
        C.CHANNEL_SMS: phone,
        C.CHANNEL_CALL: phone,
        C.CHANNEL_WECHAT_OA: openid,
        C.CHANNEL_WECHAT_MINI: attrs.get("wechat_mini_openid", ""),
        C.CHANNEL_WECOM: attrs.get("wecom_external_userid", ""),
        # JPush addresses devices by alias; the app registers the customer id as its alias at login.
        C.CHANNEL_APP_PUSH: customer.customer_id,
        C.CHANNEL_INBOX: customer.customer_id,
    }
    return {channel: value for channel, value in found.items() if value}


class CustomerDirectory:
    """Looks customers up in the tag service, with a short-lived cache and bounded concurrency."""

    def __init__(self, address: str, service_token: str, *, ttl: float = 60.0, concurrency: int = 32) -> None:
        self._address = address
        self._token = service_token
        self._ttl = ttl
        self._cache: dict[str, tuple[float, CustomerProfile | None]] = {}
        self._limit = asyncio.Semaphore(concurrency)
        self._channel: grpc.aio.Channel | None = None

    def _stub(self) -> tag_service_pb2_grpc.TagServiceStub:
        if self._channel is None:
            self._channel = open_channel(
                self._address, service_token=self._token, caller=lambda: Caller.system("channel")
            )
        return tag_service_pb2_grpc.TagServiceStub(self._channel)

    async def get(self, customer_id: str) -> CustomerProfile | None:
        """The profile, or None when the tag service does not know the customer."""
        entry = self._cache.get(customer_id)
        if entry is not None and time.monotonic() - entry[0] < self._ttl:
            return entry[1]
        async with self._limit:
            try:
                response = await self._stub().GetCustomer(
                    tag_service_pb2.GetCustomerRequest(customer_id=customer_id)
                )
            except grpc.aio.AioRpcError as error:
                if error.code() == grpc.StatusCode.NOT_FOUND:
                    self._cache[customer_id] = (time.monotonic(), None)
                    return None
                raise
        customer = response.customer
        profile = CustomerProfile(
            customer_id=customer.customer_id,
            branch_id=customer.branch_id,
            advisor_id=customer.advisor_id,
            addresses=addresses_of(customer),
            consents={consent.channel: consent.status for consent in customer.consents},
        )
        self._cache[customer_id] = (time.monotonic(), profile)
        return profile

    async def get_many(self, customer_ids: set[str]) -> dict[str, CustomerProfile | None]:
        ids = sorted(customer_ids)
        found = await asyncio.gather(*(self.get(customer_id) for customer_id in ids))
        return dict(zip(ids, found, strict=True))

    def forget(self, customer_id: str) -> None:
        self._cache.pop(customer_id, None)

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
            self._channel = None


async def load_contexts(
    session: AsyncSession,
    policy: ContactPolicy,
    profiles: dict[str, CustomerProfile],
    at: datetime,
) -> dict[str, CustomerContext]:
    """Consent, preferences and this week's contact counts of every customer in a batch."""
    ids = list(profiles)
    contexts = {
        cid: CustomerContext(customer_id=cid, addresses=dict(p.addresses), consents=dict(p.consents))
        for cid, p in profiles.items()
    }
    if not ids:
        return contexts
    for row in (await session.execute(sa.select(consents).where(consents.c.customer_id.in_(ids)))).all():
        contexts[row.customer_id].consents[row.channel] = row.status
    for row in (
        await session.execute(
            sa.select(contact_preferences).where(contact_preferences.c.customer_id.in_(ids))
        )
    ).all():
        ctx = contexts[row.customer_id]
        ctx.personalization_opt_out = row.personalization_opt_out
        ctx.do_not_disturb = row.do_not_disturb
        ctx.do_not_disturb_until = row.do_not_disturb_until
    today = policy.local_day(at)
    since: date = today - timedelta(days=today.weekday())
    for row in (
        await session.execute(
            sa.select(contact_counts).where(
                contact_counts.c.customer_id.in_(ids), contact_counts.c.local_day >= since
            )
        )
    ).all():
        contexts[row.customer_id].counts[(row.channel, row.message_class, row.local_day)] = row.sent
    return contexts
