"""Who a customer is and how to reach them: addresses from the tag service, consent from here.

Addresses (phone, openid, …) live in the tag service; the channel service asks for them over
gRPC (BatchGetCustomers, only the fields it needs) as its own service identity (which may read
PII) and keeps them in memory for a short TTL only, so a changed phone number is used within a
minute. Consent, DND and caps are this service's
own data, loaded for a whole batch in three queries.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import grpc
import sqlalchemy as sa
from google.protobuf import field_mask_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import enums_pb2
from lingxi.tag.v1 import customer_pb2 as tag_customer_pb2
from lingxi.tag.v1 import tag_service_pb2, tag_service_pb2_grpc
from lingxi_channel.models import consents, contact_counts, contact_preferences
from lingxi_channel.policy import ContactPolicy, CustomerContext
from lingxi_common.grpc_client import open_channel
from lingxi_common.identity import Caller

C = enums_pb2
# BatchGetCustomers takes at most 1,000 ids; only the fields sends need are read (and decrypted).
BATCH_LOOKUP = 1000
READ_MASK = (
    "customer_id",
    "branch_id",
    "advisor_id",
    "phone",
    "wechat_openid",
    "consents",
    "attributes",
)
# Only ask for what sends need, where the tag contract already has the read mask.
_HAS_READ_MASK = "read_mask" in tag_service_pb2.BatchGetCustomersRequest.DESCRIPTOR.fields_by_name
# The tag service's customer id syntax: anything else cannot be a customer (and would fail a batch).
_CUSTOMER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    customer_id: str
    branch_id: str
    advisor_id: str
    addresses: dict[int, str]
    # The tag service's copy of consents (captured at account opening); ours win when present.
    consents: dict[int, int]
    # WeCom userid of the member who has the customer as an external contact (may differ from the
    # advisor id); WeCom sends only from a member the customer added.
    wecom_sender: str = ""


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
        self._batch_supported = True
        self._channel: grpc.aio.Channel | None = None

    def _stub(self) -> tag_service_pb2_grpc.TagServiceStub:
        if self._channel is None:
            self._channel = open_channel(
                self._address, service_token=self._token, caller=lambda: Caller.system("channel")
            )
        return tag_service_pb2_grpc.TagServiceStub(self._channel)

    def _cached(self, customer_id: str) -> tuple[bool, CustomerProfile | None]:
        entry = self._cache.get(customer_id)
        if entry is not None and time.monotonic() - entry[0] < self._ttl:
            return True, entry[1]
        return False, None

    def _remember(
        self, customer_id: str, customer: tag_customer_pb2.Customer | None
    ) -> CustomerProfile | None:
        profile = None
        if customer is not None:
            profile = CustomerProfile(
                customer_id=customer.customer_id,
                branch_id=customer.branch_id,
                advisor_id=customer.advisor_id,
                addresses=addresses_of(customer),
                consents={consent.channel: consent.status for consent in customer.consents},
                wecom_sender=customer.attributes.get("wecom_follow_userid", "") or customer.advisor_id,
            )
        self._cache[customer_id] = (time.monotonic(), profile)
        return profile

    async def get(self, customer_id: str) -> CustomerProfile | None:
        """The profile, or None when the tag service does not know the customer."""
        return (await self.get_many({customer_id}))[customer_id]

    async def get_many(self, customer_ids: set[str]) -> dict[str, CustomerProfile | None]:
        """Profiles of a whole batch: cached ones at once, the rest in BatchGetCustomers calls of up
        to 1,000 (a cold cache costs one round trip per thousand customers, not one each)."""
        found: dict[str, CustomerProfile | None] = {}
        missing: list[str] = []
        for customer_id in sorted(customer_ids):
            hit, profile = self._cached(customer_id)
            if hit:
                found[customer_id] = profile
            elif not _CUSTOMER_ID.match(customer_id):
                found[customer_id] = None  # no customer can have this id
            else:
                missing.append(customer_id)
        chunks = [missing[i : i + BATCH_LOOKUP] for i in range(0, len(missing), BATCH_LOOKUP)]
        for chunk_found in await asyncio.gather(*(self._lookup(chunk) for chunk in chunks)):
            found.update(chunk_found)
        return found

    async def _lookup(self, customer_ids: list[str]) -> dict[str, CustomerProfile | None]:
        if not self._batch_supported:
            found = await asyncio.gather(*(self._lookup_one(cid) for cid in customer_ids))
            return dict(zip(customer_ids, found, strict=True))
        request = tag_service_pb2.BatchGetCustomersRequest(customer_ids=customer_ids)
        if _HAS_READ_MASK:
            request.read_mask.CopyFrom(field_mask_pb2.FieldMask(paths=list(READ_MASK)))
        async with self._limit:
            try:
                response = await self._stub().BatchGetCustomers(request, timeout=30.0)
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.UNIMPLEMENTED:
                    raise
                # A tag service from before BatchGetCustomers: ask customer by customer from now on.
                self._batch_supported = False
                response = None
        if response is None:
            return await self._lookup(customer_ids)
        by_id = {customer.customer_id: customer for customer in response.customers}
        return {cid: self._remember(cid, by_id.get(cid)) for cid in customer_ids}

    async def _lookup_one(self, customer_id: str) -> CustomerProfile | None:
        async with self._limit:
            try:
                response = await self._stub().GetCustomer(
                    tag_service_pb2.GetCustomerRequest(customer_id=customer_id)
                )
            except grpc.aio.AioRpcError as error:
                if error.code() == grpc.StatusCode.NOT_FOUND:
                    return self._remember(customer_id, None)
                raise
        return self._remember(customer_id, response.customer)

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
