"""The product service next to a real tag service: batch suitability by audience snapshot, and
recommendations ranked by the holdings and style tags the tag service holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import grpc
import pytest
import sqlalchemy as sa
from product_testkit import COMPLIANCE, HQ, a_fund, d, dec, product_service, products_api, suitability_api

from lingxi.common.v1 import decimal_pb2
from lingxi.product.v1 import (
    product_pb2,
    product_service_pb2,
    recommendation_service_pb2,
    recommendation_service_pb2_grpc,
    suitability_service_pb2,
)
from lingxi.tag.v1 import (
    audience_service_pb2,
    audience_service_pb2_grpc,
    customer_pb2,
    tag_service_pb2,
    tag_service_pb2_grpc,
)
from lingxi_common.identity import Caller, Role
from lingxi_common.pii import PiiCipher
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_product.models import customer_risk, snapshot_members
from lingxi_product.runtime import runtime_for as product_runtime
from lingxi_tag import bulk_import
from lingxi_tag.main import DEFINITION as TAG

pytestmark = pytest.mark.integration
T = TypeVar("T")
S = suitability_service_pb2
EXPIRES = date.today() + timedelta(days=300)


async def wait_for(check: Callable[[], Awaitable[T | None]], what: str, timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


@asynccontextmanager
async def tag_and_product(
    database_url: str, nats_url: str, **product_settings: Any
) -> AsyncIterator[tuple[ServiceRunner, ServiceRunner]]:
    async with (
        running_service(TAG, database_url=database_url, nats_url=nats_url) as tag,
        product_service(database_url, nats_url, tag_addr=tag.address, **product_settings) as product,
    ):
        yield tag, product


def tag_api(tag: ServiceRunner, caller: Caller = HQ) -> tag_service_pb2_grpc.TagServiceStub:
    return tag_service_pb2_grpc.TagServiceStub(channel_to(tag, caller))


def audiences(tag: ServiceRunner, caller: Caller = HQ) -> audience_service_pb2_grpc.AudienceServiceStub:
    return audience_service_pb2_grpc.AudienceServiceStub(channel_to(tag, caller))


async def upsert_customer(tag: ServiceRunner, customer_id: str, level: int, branch: str = "B01") -> None:
    await tag_api(tag).UpsertCustomer(
        tag_service_pb2.UpsertCustomerRequest(
            customer=customer_pb2.Customer(
                customer_id=customer_id,
                branch_id=branch,
                advisor_id="A01",
                risk_level=level,
                risk_assessment_expires_on=d(EXPIRES),
                opened_on=d(date(2020, 1, 1)),
            )
        )
    )


async def projected(product: ServiceRunner, ids: list[str]) -> bool:
    async with product.context.engine.connect() as connection:
        count = (
            await connection.execute(
                sa.select(sa.func.count())
                .select_from(customer_risk)
                .where(customer_risk.c.customer_id.in_(ids))
            )
        ).scalar_one()
    return count == len(ids)


async def test_batch_by_audience_snapshot_reads_members_from_the_tag_service(
    database_url: str, restartable_nats
) -> None:
    levels = {"S1": 4, "S2": 2, "S3": 3, "S4": 1, "S5": 5}
    # A batch waits this long for members being read from the tag service, then answers
    # UNAVAILABLE while the read goes on (tiny here, so the test sees that path). Announced
    # snapshots are not pre-read here: this is the path of a batch that finds nothing prepared.
    async with tag_and_product(
        database_url, restartable_nats.url, snapshot_wait_seconds=0.001, preread_snapshots=False
    ) as (
        tag,
        product,
    ):
        await products_api(product).CreateProduct(
            product_service_pb2.CreateProductRequest(product=a_fund("510300"))
        )
        for customer_id, level in levels.items():
            await upsert_customer(tag, customer_id, level, branch="B02" if customer_id == "S5" else "B01")
        # The projection is fed by the tag service's CustomerChanged events over NATS.
        await wait_for(lambda: projected(product, list(levels)), "the customer projection")

        async def snapshot() -> audience_service_pb2.CreateAudienceSnapshotResponse | None:
            created = await audiences(tag).CreateAudienceSnapshot(
                audience_service_pb2.CreateAudienceSnapshotRequest(
                    name="campaign audience", members={"customer_ids": [*levels, "NOBODY"]}
                )
            )
            return created if created.snapshot.count == len(levels) else None

        created = await wait_for(snapshot, "a snapshot holding every customer")
        snapshot_id = created.snapshot.snapshot_id

        api = suitability_api(product)
        request = S.CheckBatchRequest(product_id="F510300", snapshot_id=snapshot_id, inline_limit=10)
        with pytest.raises(grpc.aio.AioRpcError) as reading:
            await api.CheckBatch(request)
        assert reading.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "still reading the members" in (reading.value.details() or "")

        async def answered() -> suitability_service_pb2.CheckBatchResponse | None:
            try:
                return await api.CheckBatch(request)
            except grpc.aio.AioRpcError as error:
                assert error.code() == grpc.StatusCode.UNAVAILABLE
                return None

        batch = await wait_for(answered, "the batch once the members are read")
        assert (batch.evaluated, batch.allowed, batch.denied) == (5, 3, 2)
        assert sorted(batch.allowed_customer_ids) == ["S1", "S3", "S5"] and batch.snapshot_id == snapshot_id
        assert {r.reason: r.count for r in batch.denied_by_reason} == {
            S.SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL: 2,
            S.SUITABILITY_REASON_LOWEST_RISK_TOLERANCE: 1,
        }
        denied = await api.ListBatchCheckResults(
            S.ListBatchCheckResultsRequest(batch_id=batch.batch_id, denied=True)
        )
        assert [r.customer_id for r in denied.results] == ["S2", "S4"]
        replay = await suitability_api(product, COMPLIANCE).ReplayBatch(
            S.ReplayBatchRequest(batch_id=batch.batch_id, customer_id="S4")
        )
        assert replay.snapshot_id == snapshot_id and replay.reproduced == 5 and replay.inputs_intact
        assert replay.customer.customer.risk_level == 1 and not replay.customer.allowed

        # The members are kept in this service (snapshots never change): after a restart of the
        # replica (its cache dropped) the stored copy answers without waiting for the tag service.
        async with product.context.engine.connect() as connection:
            kept = (
                await connection.execute(
                    sa.select(snapshot_members.c.member_count).where(
                        snapshot_members.c.snapshot_id == snapshot_id
                    )
                )
            ).scalar_one()
        assert kept == 5
        product_runtime(product.context).batches.forget_cached_audiences()
        assert (await api.CheckBatch(request)).allowed == 3

        # The snapshot is immutable: the members are kept, but the customers' data is read fresh.
        await upsert_customer(tag, "S2", 3)

        async def upgraded() -> suitability_service_pb2.CheckBatchResponse | None:
            again = await api.CheckBatch(
                S.CheckBatchRequest(product_id="F510300", snapshot_id=snapshot_id, inline_limit=10)
            )
            return again if again.allowed == 4 else None

        again = await wait_for(upgraded, "the upgraded customer in the next batch")
        assert sorted(again.allowed_customer_ids) == ["S1", "S2", "S3", "S5"]

        async def refusal(caller: Caller, snapshot: str) -> grpc.StatusCode | None:
            """The tag service's answer, also when it arrives after the call's wait (a retry gets it)."""
            try:
                await suitability_api(product, caller).CheckBatch(
                    S.CheckBatchRequest(product_id="F510300", snapshot_id=snapshot)
                )
            except grpc.aio.AioRpcError as error:
                return None if error.code() == grpc.StatusCode.UNAVAILABLE else error.code()
            raise AssertionError(f"snapshot {snapshot} was decided for {caller.subject}")

        assert await wait_for(lambda: refusal(HQ, "aud_nope"), "the answer") == grpc.StatusCode.NOT_FOUND
        # Another scope's snapshot is not found for that caller (the tag service applies the scope).
        manager = Caller(subject="u-bm", role=Role.BRANCH_MANAGER, branch_id="B01")
        hidden = await wait_for(lambda: refusal(manager, snapshot_id), "the answer")
        assert hidden == grpc.StatusCode.NOT_FOUND


async def test_announced_snapshot_is_read_ahead_and_shared_within_the_tag_service_scope_rule(
    database_url: str, restartable_nats
) -> None:
    # A batch that had to wait for the tag service would answer UNAVAILABLE at once here: every
    # batch below answering proves the members were read when the snapshot was announced.
    async with tag_and_product(database_url, restartable_nats.url, snapshot_wait_seconds=0.001) as (
        tag,
        product,
    ):
        await products_api(product).CreateProduct(
            product_service_pb2.CreateProductRequest(product=a_fund("510300"))
        )
        levels = {"P1": 4, "P2": 2, "P3": 3}
        for customer_id, level in levels.items():
            await upsert_customer(tag, customer_id, level, branch="B01")
        await upsert_customer(tag, "P4", 5, branch="B02")
        await wait_for(lambda: projected(product, [*levels, "P4"]), "the customer projection")
        manager = Caller(subject="u-bm1", role=Role.BRANCH_MANAGER, branch_id="B01")

        async def snapshot() -> audience_service_pb2.CreateAudienceSnapshotResponse | None:
            created = await audiences(tag, manager).CreateAudienceSnapshot(
                audience_service_pb2.CreateAudienceSnapshotRequest(
                    name="B01 audience", members={"customer_ids": [*levels, "P4"]}
                )
            )
            return created if created.snapshot.count == len(levels) else None  # P4 is outside B01

        snapshot_id = (await wait_for(snapshot, "a snapshot of the B01 customers")).snapshot.snapshot_id
        batches = product_runtime(product.context).batches

        async def resolved() -> bool:
            return batches.is_resolved(snapshot_id)

        await wait_for(resolved, "the announced snapshot read ahead")
        request = S.CheckBatchRequest(product_id="F510300", snapshot_id=snapshot_id, inline_limit=10)
        mine = await suitability_api(product, manager).CheckBatch(request)
        assert (mine.evaluated, sorted(mine.allowed_customer_ids)) == (3, ["P1", "P3"])
        assert (await suitability_api(product, HQ).CheckBatch(request)).evaluated == 3
        # Held members are no licence: another branch's manager is refused as the tag service would.
        other = Caller(subject="u-bm2", role=Role.BRANCH_MANAGER, branch_id="B02")
        with pytest.raises(grpc.aio.AioRpcError) as hidden:
            await suitability_api(product, other).CheckBatch(request)
        assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
        # Another replica (or this one restarted) finds the stored copy, under the same rule.
        batches.forget_cached_audiences()
        with pytest.raises(grpc.aio.AioRpcError) as still_hidden:
            await suitability_api(product, other).CheckBatch(request)
        assert still_hidden.value.code() == grpc.StatusCode.NOT_FOUND
        assert (await suitability_api(product, manager).CheckBatch(request)).allowed == 2


async def load_trading_metrics(
    tag: ServiceRunner, tmp_path: Path, customer_id: str, value_share: str
) -> None:
    """The warehouse's 90-day trading metrics, through the tag service's own bulk import (the
    nightly extract path; no RPC takes them one by one)."""
    path = tmp_path / "metrics.csv"
    path.write_text(
        "customer_id,external_market_value,trades_90d,value_trade_share,technical_trade_share,"
        "theme_trade_share,event_trade_share\n"
        f"{customer_id},0,24,{value_share},0.1,0.1,0.1\n",
        encoding="utf-8",
    )
    await bulk_import.run_import(
        tag.context.engine,
        PiiCipher.from_base64(tag.settings.pii_key),
        path,
        kind=tag_service_pb2.IMPORT_KIND_EXTERNAL_ASSETS,
        file_format=tag_service_pb2.IMPORT_FORMAT_CSV,
        queue_recompute=False,
    )


async def test_recommendations_rank_by_holdings_and_style_from_the_tag_service(
    database_url: str, restartable_nats, tmp_path: Path
) -> None:
    async with tag_and_product(database_url, restartable_nats.url) as (tag, product):
        api = products_api(product)
        related = a_fund(
            "163001",
            name="消费精选股票",
            fund_category=product_pb2.FUND_CATEGORY_STOCK,
            top_holdings=[
                product_pb2.TopHolding(
                    security_code="600519.SH", security_name="贵州茅台", weight=dec("0.10")
                )
            ],
        )
        value = a_fund(
            "163002",
            name="价值精选混合",
            fund_category=product_pb2.FUND_CATEGORY_HYBRID,
            top_holdings=[
                product_pb2.TopHolding(
                    security_code="600036.SH", security_name="招商银行", weight=dec("0.08")
                )
            ],
            sector_exposures=[
                product_pb2.SectorExposure(sector_code="BANK", sector_name="银行", weight=dec("0.30"))
            ],
        )
        held = a_fund("510300", name="沪深300ETF", fund_category=product_pb2.FUND_CATEGORY_ETF)
        for fund in (related, value, held):
            await api.CreateProduct(product_service_pb2.CreateProductRequest(product=fund))
        await api.SetProductTag(
            product_service_pb2.SetProductTagRequest(product_id="F163002", code="invest_style", value="value")
        )

        await upsert_customer(tag, "R1", 4)
        recommend = recommendation_service_pb2_grpc.RecommendationServiceStub(channel_to(product, HQ))
        before = await recommend.Recommend(recommendation_service_pb2.RecommendRequest(customer_id="R1"))
        assert {r.product.product_id for r in before.recommendations} == {"F163001", "F163002", "F510300"}
        assert not any("related_to_holding" in r.reason_codes for r in before.recommendations)

        await load_trading_metrics(tag, tmp_path, "R1", "0.7")
        await tag_api(tag).UpsertAccount(
            tag_service_pb2.UpsertAccountRequest(
                account=customer_pb2.FundAccount(
                    account_id="FR1",
                    customer_id="R1",
                    account_type=customer_pb2.ACCOUNT_TYPE_CASH,
                    total_assets=decimal_pb2.Money(amount="110000.00"),
                    stock_market_value=decimal_pb2.Money(amount="100000.00"),
                )
            )
        )
        await tag_api(tag).UpsertHoldings(
            tag_service_pb2.UpsertHoldingsRequest(
                account_id="FR1",
                holdings=[
                    customer_pb2.Holding(
                        security_code="600519.SH",
                        security_name="贵州茅台",
                        security_type=customer_pb2.SECURITY_TYPE_STOCK,
                        quantity=decimal_pb2.Decimal(value="50"),
                        cost=decimal_pb2.Money(amount="93333.33"),
                        market_value=decimal_pb2.Money(amount="70000.00"),
                        unrealized_pnl=decimal_pb2.Money(amount="-23333.33"),
                        unrealized_pnl_ratio=decimal_pb2.Decimal(value="-0.25"),
                        sector_code="FOOD_BEV",
                    ),
                    customer_pb2.Holding(
                        security_code="510300.SH",
                        security_name="沪深300ETF",
                        security_type=customer_pb2.SECURITY_TYPE_ETF,
                        quantity=decimal_pb2.Decimal(value="7000"),
                        market_value=decimal_pb2.Money(amount="30000.00"),
                    ),
                ],
            )
        )

        async def tagged() -> dict[str, str] | None:
            listed = await tag_api(tag).ListCustomerTags(
                tag_service_pb2.ListCustomerTagsRequest(customer_id="R1")
            )
            tags = {t.tag_code: t.value for t in listed.tags}
            return (
                tags if tags.get("concentrated_holder") == "true" and tags.get("investment_style") else None
            )

        tags = await wait_for(tagged, "holding and style tags in the tag service")
        assert tags["investment_style"] == "value"

        after = await recommend.Recommend(recommendation_service_pb2.RecommendRequest(customer_id="R1"))
        ranked = [r.product.product_id for r in after.recommendations]
        assert ranked == ["F163001", "F163002"]  # the held ETF is left out
        first, second = after.recommendations
        assert "related_to_holding" in first.reason_codes
        assert "您持有的贵州茅台（600519.SH）（浮亏25%、占持仓70%）" in first.reason
        assert "matches_style" in second.reason_codes and "价值风格" in second.reason
        assert Decimal(first.score.value) > Decimal(second.score.value)
        # Every recommendation still carries its stored suitability decision.
        decision = await suitability_api(product, COMPLIANCE).GetDecision(
            S.GetDecisionRequest(decision_id=first.suitability_decision_id)
        )
        assert decision.decision.allowed and decision.decision.customer.customer_id == "R1"
        batch = await recommend.BatchRecommend(
            recommendation_service_pb2.BatchRecommendRequest(
                customer_ids=["R1", "GHOST"], limit_per_customer=1
            )
        )
        assert [[r.product.product_id for r in c.recommendations] for c in batch.results] == [["F163001"], []]
