"""Synthetic demo customers for `lingxi up`, loaded through the tag service's own gRPC API.

The data is generated from a seed, so a second run produces the same customers and the upserts
change nothing (no duplicate rows, no duplicate events). Branch and advisor structure follows
DOMAIN.md: about 300 customers per advisor, and a share of long-tail customers without an
advisor, served by HQ centralized operations.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.grpc_client import open_channel
from lingxi_common.identity import Caller

CITIES = ("上海", "北京", "深圳", "广州", "杭州", "南京", "成都", "武汉", "西安", "苏州")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_WEIGHTS = (8, 27, 26, 19, 12, 8)
RISK_WEIGHTS = (10, 22, 38, 21, 9)  # C1..C5: most investors assess as C3
CUSTOMERS_PER_ADVISOR = 300
ADVISORS_PER_BRANCH = 4
HQ_SHARE = 0.35  # long-tail customers without an advisor


def demo_customers(count: int, seed: int = 7) -> Iterator[customer_pb2.Customer]:
    """`count` customers, the same ones for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        branch = index // (CUSTOMERS_PER_ADVISOR * ADVISORS_PER_BRANCH)
        advisor = index // CUSTOMERS_PER_ADVISOR
        has_advisor = rng.random() >= HQ_SHARE
        opened = date_pb2.Date(year=rng.randint(2008, 2026), month=rng.randint(1, 12), day=rng.randint(1, 28))
        if opened.year == 2026 and opened.month > 10:
            opened.month = 10
        expires = date_pb2.Date(year=rng.choice((2025, 2026, 2027, 2028)), month=rng.randint(1, 12), day=15)
        consents = [
            common_customer_pb2.ChannelConsent(
                channel=channel,
                status=common_customer_pb2.CONSENT_STATUS_GRANTED
                if rng.random() > 0.08
                else common_customer_pb2.CONSENT_STATUS_WITHDRAWN,
                source="account_opening",
            )
            for channel in (enums_pb2.CHANNEL_APP_PUSH, enums_pb2.CHANNEL_SMS, enums_pb2.CHANNEL_WECHAT_OA)
        ]
        yield customer_pb2.Customer(
            customer_id=f"C{index + 1:08d}",
            branch_id=f"B{branch + 1:03d}",
            advisor_id=f"A{advisor + 1:05d}" if has_advisor else "",
            risk_level=rng.choices(range(1, 6), weights=RISK_WEIGHTS)[0],
            risk_assessment_expires_on=expires,
            professional_investor=rng.random() < 0.02,
            opened_on=opened,
            age_band=rng.choices(AGE_BANDS, weights=AGE_WEIGHTS)[0],
            city=rng.choice(CITIES),
            phone=f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            consents=consents,
        )


async def seed_customers(
    address: str, service_token: str, count: int, *, seed: int = 7, concurrency: int = 32
) -> int:
    """Upsert the demo customers through TagService; returns how many were new."""
    caller = Caller.system("demo-seeder")
    created = 0
    async with open_channel(address, service_token=service_token, caller=lambda: caller) as channel:
        stub = tag_service_pb2_grpc.TagServiceStub(channel)
        queue: asyncio.Queue[customer_pb2.Customer | None] = asyncio.Queue(maxsize=concurrency * 4)

        async def worker() -> None:
            nonlocal created
            while (customer := await queue.get()) is not None:
                response = await stub.UpsertCustomer(
                    tag_service_pb2.UpsertCustomerRequest(customer=customer), timeout=30
                )
                created += int(response.created)

        workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
        for customer in demo_customers(count, seed):
            await queue.put(customer)
        for _ in workers:
            await queue.put(None)
        await asyncio.gather(*workers)
    return created
