"""Helpers of the product service tests: a running service, products, NAV files and customers."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lingxi.common.v1 import date_pb2, decimal_pb2, enums_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.product.v1 import (
    product_pb2,
    product_service_pb2,
    product_service_pb2_grpc,
    recommendation_service_pb2_grpc,
    suitability_service_pb2_grpc,
)
from lingxi_common.db import transaction
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_product.main import DEFINITION
from lingxi_product.models import outbox
from lingxi_product.suitability import apply_customer_changed

HQ = Caller(subject="u-hq", role=Role.HQ_OPERATOR)
COMPLIANCE = Caller(subject="u-comp", role=Role.COMPLIANCE)
APP = Caller(subject="u-app", role=Role.CUSTOMER, customer_id="C100")


@asynccontextmanager
async def product_service(database_url: str, nats_url: str, **overrides: Any) -> AsyncIterator[ServiceRunner]:
    """The product service in-process; no tag service unless `tag_addr` is given."""
    settings: dict[str, Any] = {"tag_addr": "", "daily_jobs_enabled": False, "risk_free_rate": "0"}
    settings.update(overrides)
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=nats_url, **settings
    ) as runner:
        yield runner


def products_api(runner: ServiceRunner, caller: Caller = HQ) -> product_service_pb2_grpc.ProductServiceStub:
    return product_service_pb2_grpc.ProductServiceStub(channel_to(runner, caller))


def suitability_api(
    runner: ServiceRunner, caller: Caller = HQ
) -> suitability_service_pb2_grpc.SuitabilityServiceStub:
    return suitability_service_pb2_grpc.SuitabilityServiceStub(channel_to(runner, caller))


def recommendation_api(
    runner: ServiceRunner, caller: Caller = HQ
) -> recommendation_service_pb2_grpc.RecommendationServiceStub:
    return recommendation_service_pb2_grpc.RecommendationServiceStub(channel_to(runner, caller))


def d(day: date) -> date_pb2.Date:
    return date_pb2.Date(year=day.year, month=day.month, day=day.day)


def dec(text: str) -> decimal_pb2.Decimal:
    return decimal_pb2.Decimal(value=text)


def a_fund(code: str = "510050", **overrides: Any) -> product_pb2.Product:
    """An equity index fund on sale, rated R3, with holdings and a sector."""
    product = product_pb2.Product(
        product_id=f"F{code}",
        product_code=code,
        name=f"测试指数基金{code}",
        product_type=product_pb2.PRODUCT_TYPE_FUND,
        fund_category=product_pb2.FUND_CATEGORY_INDEX,
        risk_rating=enums_pb2.PRODUCT_RISK_RATING_R3,
        min_investment=decimal_pb2.Money(amount="1000.00"),
        status=product_pb2.PRODUCT_STATUS_ON_SALE,
        issuer="华夏基金",
        horizon=product_pb2.HORIZON_LONG,
        phases=[product_pb2.INVESTMENT_PHASE_PRE],
        top_holdings=[
            product_pb2.TopHolding(security_code="600519.SH", security_name="贵州茅台", weight=dec("0.12")),
            product_pb2.TopHolding(security_code="601318.SH", security_name="中国平安", weight=dec("0.08")),
        ],
        sector_exposures=[
            product_pb2.SectorExposure(sector_code="FOOD_BEV", sector_name="食品饮料", weight=dec("0.35"))
        ],
    )
    product.fees.management_rate.value = "0.0050"
    product.fees.custody_rate.value = "0.0010"
    product.key_dates.established_on.CopyFrom(d(date(2020, 1, 6)))
    for key, value in overrides.items():
        if isinstance(value, (list, tuple)):
            product.ClearField(key)
            getattr(product, key).extend(value)
        elif hasattr(value, "CopyFrom"):
            getattr(product, key).CopyFrom(value)
        else:
            setattr(product, key, value)
    return product


def business_days(start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def nav_path(
    start: date, count: int, *, drift: float, wiggle: float, base: float = 1.0
) -> list[tuple[date, str]]:
    """A deterministic NAV path: trend plus a sine wiggle (reproducible, no randomness)."""
    points = []
    for index, day in enumerate(business_days(start, count)):
        value = base * math.exp(drift * index) * (1 + wiggle * math.sin(index / 7.0))
        points.append((day, f"{value:.4f}"))
    return points


def write_csv(path: Path, rows: Iterable[tuple[str, date | str, str]]) -> Path:
    lines = ["product_code,trade_date,nav"]
    lines += [f"{code},{day},{value}" for code, day, value in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def add_customer(
    runner: ServiceRunner,
    customer_id: str,
    level: int,
    *,
    expires: date | None = date(2030, 1, 1),
    professional: bool = False,
    branch: str = "B01",
    advisor: str = "A01",
    version: int = 1,
    status: int = 0,
) -> None:
    """Feed the projection the way the consumer does (the NATS path is tested separately)."""
    event = tag_events_pb2.CustomerChanged(
        customer_id=customer_id,
        branch_id=branch,
        advisor_id=advisor,
        version=version,
        risk_level=level,
        professional_investor=professional,
        status=status,
    )
    if expires:
        event.risk_assessment_expires_on.CopyFrom(d(expires))
    async with transaction(runner.context.sessions) as session:
        await apply_customer_changed(session, event)


async def outbox_types(runner: ServiceRunner) -> list[str]:
    async with runner.context.engine.connect() as connection:
        rows = (await connection.execute(sa.select(outbox.c.message_type).order_by(outbox.c.seq))).all()
    return [row.message_type.rsplit(".", 1)[-1] for row in rows]


async def outbox_events(runner: ServiceRunner, type_name: str) -> list[bytes]:
    async with runner.context.engine.connect() as connection:
        rows = (
            await connection.execute(
                sa.select(outbox.c.payload)
                .where(outbox.c.message_type.endswith(type_name))
                .order_by(outbox.c.seq)
            )
        ).all()
    return [bytes(row.payload) for row in rows]


FINISHED = (
    product_service_pb2.SERIES_IMPORT_STATE_SUCCEEDED,
    product_service_pb2.SERIES_IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS,
    product_service_pb2.SERIES_IMPORT_STATE_FAILED,
)


async def finished_import(
    api: product_service_pb2_grpc.ProductServiceStub, job_id: str, timeout: float = 60.0
) -> product_service_pb2.SeriesImportJob:
    """Poll GetSeriesImport until the background job ends (imports never run inside the RPC)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        job = (await api.GetSeriesImport(product_service_pb2.GetSeriesImportRequest(job_id=job_id))).job
        if job.state in FINISHED:
            return job
        assert asyncio.get_running_loop().time() < deadline, f"import {job_id} still {job.state}"
        await asyncio.sleep(0.05)


async def run_import(
    api: product_service_pb2_grpc.ProductServiceStub, request: product_service_pb2.StartSeriesImportRequest
) -> product_service_pb2.SeriesImportJob:
    """Start an import and wait for it; the start itself answers QUEUED at once."""
    started = (await api.StartSeriesImport(request)).job
    assert started.state == product_service_pb2.SERIES_IMPORT_STATE_QUEUED and started.job_id
    return await finished_import(api, started.job_id)
