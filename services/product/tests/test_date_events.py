"""Dated events for reminders: subscription opening/closing, maturity T-3, payout — each once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from product_testkit import a_fund, d, outbox_events, product_service, products_api

from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import product_pb2, product_service_pb2
from lingxi_common.db import transaction
from lingxi_common.service import ServiceRunner
from lingxi_product import date_events
from lingxi_product.handlers import DailyJob, run_daily

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 23)


@pytest.fixture
async def svc(database_url: str, restartable_nats) -> AsyncIterator[ServiceRunner]:
    async with product_service(database_url, restartable_nats.url) as runner:
        yield runner


async def test_sweep_announces_each_due_date_once(svc: ServiceRunner) -> None:
    wealth = a_fund(
        "WM001",
        product_id="WM001",
        product_type=product_pb2.PRODUCT_TYPE_WEALTH,
        fund_category=0,
        status=product_pb2.PRODUCT_STATUS_CLOSED,
        name="稳健理财91天",
    )
    wealth.key_dates.established_on.CopyFrom(d(date(2026, 8, 26)))
    wealth.key_dates.matures_on.CopyFrom(d(date(2026, 11, 26)))  # T-3
    wealth.key_dates.next_payout_on.CopyFrom(d(TODAY))
    launch = a_fund("016001", status=product_pb2.PRODUCT_STATUS_UPCOMING, name="新发基金")
    launch.key_dates.subscription_window.start.CopyFrom(d(date(2026, 11, 20)))
    launch.key_dates.subscription_window.end.CopyFrom(d(date(2026, 11, 25)))
    launch.key_dates.ClearField("established_on")
    later = a_fund("016002", name="远期到期")
    later.key_dates.matures_on.CopyFrom(d(date(2027, 6, 1)))
    api = products_api(svc)
    for product in (wealth, launch, later):
        await api.CreateProduct(product_service_pb2.CreateProductRequest(product=product))
    async with transaction(svc.context.sessions) as session:
        first = await date_events.sweep(session, TODAY, notice_days=3)
    async with transaction(svc.context.sessions) as session:
        second = await date_events.sweep(session, TODAY, notice_days=3)
    assert second == []
    kinds = sorted(type(e).__name__ for e in first)
    assert kinds == ["MaturityApproaching", "PayoutArrived", "SubscriptionClosing", "SubscriptionOpened"]
    maturity = product_events_pb2.MaturityApproaching.FromString(
        (await outbox_events(svc, "MaturityApproaching"))[0]
    )
    assert maturity.days_left == 3 and maturity.product.product_code == "WM001"
    assert maturity.product.product_type == "PRODUCT_TYPE_WEALTH"
    closing = product_events_pb2.SubscriptionClosing.FromString(
        (await outbox_events(svc, "SubscriptionClosing"))[0]
    )
    assert closing.days_left == 2 and closing.closes_on.day == 25


async def test_daily_job_recomputes_and_sweeps(svc: ServiceRunner) -> None:
    await products_api(svc).CreateProduct(product_service_pb2.CreateProductRequest(product=a_fund()))
    await run_daily(svc.context, TODAY)
    await run_daily(svc.context, TODAY)  # idempotent
    assert len(await outbox_events(svc, "ProductLaunched")) == 1
    job = DailyJob(svc.context)
    from datetime import datetime

    from lingxi_product.suitability import BUSINESS_TZ

    assert job.seconds_until_next(datetime(2026, 11, 23, 20, 0, tzinfo=BUSINESS_TZ)) == 30 * 60
    assert job.seconds_until_next(datetime(2026, 11, 23, 21, 0, tzinfo=BUSINESS_TZ)) == 23.5 * 3600
