"""Suitability over real gRPC: Check, CheckBatch, audit, replay, scope, and the tag-service paths."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta

import grpc
import pytest
import sqlalchemy as sa
from product_testkit import (
    COMPLIANCE,
    HQ,
    a_fund,
    add_customer,
    d,
    product_service,
    products_api,
    recommendation_api,
    suitability_api,
)

from lingxi.common.v1 import decimal_pb2, enums_pb2
from lingxi.product.v1 import (
    product_pb2,
    product_service_pb2,
    recommendation_service_pb2,
    suitability_service_pb2,
)
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.errors import field_violations
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_product import batch_audit
from lingxi_product.models import customer_risk, suitability_batch_results, suitability_batches
from lingxi_tag.main import DEFINITION as TAG

pytestmark = pytest.mark.integration
ADVISOR = Caller(subject="u-adv", role=Role.ADVISOR, advisor_id="A01")


@pytest.fixture
async def svc(database_url: str, restartable_nats) -> AsyncIterator[ServiceRunner]:
    async with product_service(database_url, restartable_nats.url) as runner:
        api = products_api(runner)
        await api.CreateProduct(product_service_pb2.CreateProductRequest(product=a_fund("510300")))
        await api.CreateProduct(
            product_service_pb2.CreateProductRequest(
                product=a_fund("000001", risk_rating=enums_pb2.PRODUCT_RISK_RATING_R1, name="货币基金")
            )
        )
        await add_customer(runner, "C3", 3)
        await add_customer(runner, "C1", 1)
        await add_customer(runner, "OLD", 4, expires=date(2020, 1, 1))
        await add_customer(runner, "PRO", 2, professional=True)
        await add_customer(runner, "OTHER", 5, advisor="A99")
        yield runner


async def check(
    runner: ServiceRunner, customer: str, product: str, caller: Caller = HQ, **kw: object
) -> suitability_service_pb2.SuitabilityDecision:
    response = await suitability_api(runner, caller).Check(
        suitability_service_pb2.CheckRequest(customer_id=customer, product_id=product, **kw)
    )
    return response.decision


async def test_check_stores_decisions_that_replay(svc: ServiceRunner) -> None:
    allowed = await check(svc, "C3", "F510300")
    assert allowed.allowed and list(allowed.reasons) == [
        suitability_service_pb2.SUITABILITY_REASON_RISK_LEVEL_COVERS_RATING
    ]
    assert (
        allowed.rule_version == "2017.1"
        and allowed.customer.risk_level == 3
        and allowed.product.risk_rating == 3
    )
    assert (
        allowed.explanation == "客户风险等级C3，产品风险等级R3，风险等级匹配"
        and allowed.requested_by == "u-hq"
    )
    denied = await check(svc, "C1", "F510300")
    assert not denied.allowed and set(denied.reasons) == {
        suitability_service_pb2.SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL,
        suitability_service_pb2.SUITABILITY_REASON_LOWEST_RISK_TOLERANCE,
    }
    assert (await check(svc, "C1", "F000001")).allowed
    assert list((await check(svc, "OLD", "F000001")).reasons) == [
        suitability_service_pb2.SUITABILITY_REASON_ASSESSMENT_EXPIRED
    ]
    assert list((await check(svc, "PRO", "F510300")).reasons) == [
        suitability_service_pb2.SUITABILITY_REASON_PROFESSIONAL_INVESTOR
    ]
    sale = await check(
        svc,
        "C3",
        "F510300",
        purpose=suitability_service_pb2.SUITABILITY_PURPOSE_SELL,
        intended_amount=decimal_pb2.Money(amount="500"),
    )
    assert list(sale.reasons) == [suitability_service_pb2.SUITABILITY_REASON_BELOW_MINIMUM_INVESTMENT]
    assert sale.intended_amount.amount == "500"

    audit = suitability_api(svc, COMPLIANCE)
    stored = (
        await audit.GetDecision(suitability_service_pb2.GetDecisionRequest(decision_id=denied.decision_id))
    ).decision
    assert stored == denied
    replay = await audit.ReplayDecision(
        suitability_service_pb2.ReplayDecisionRequest(decision_id=sale.decision_id)
    )
    assert replay.reproduced and not replay.allowed and list(replay.reasons) == list(sale.reasons)
    # Later changes to the product or customer do not change what a replay reproduces.
    await products_api(svc).UpdateProduct(
        product_service_pb2.UpdateProductRequest(
            product=product_pb2.Product(product_id="F510300", risk_rating=enums_pb2.PRODUCT_RISK_RATING_R5),
            update_mask={"paths": ["risk_rating"]},
        )
    )
    again = await audit.ReplayDecision(
        suitability_service_pb2.ReplayDecisionRequest(decision_id=allowed.decision_id)
    )
    assert again.reproduced and again.allowed
    history = await audit.ListDecisions(suitability_service_pb2.ListDecisionsRequest(customer_id="C3"))
    assert [x.decision_id for x in history.decisions] == [sale.decision_id, allowed.decision_id]
    paged = await audit.ListDecisions(
        suitability_service_pb2.ListDecisionsRequest(customer_id="C3", page={"page_size": 1})
    )
    rest = await audit.ListDecisions(
        suitability_service_pb2.ListDecisionsRequest(
            customer_id="C3", page={"page_size": 1, "page_token": paged.page.next_page_token}
        )
    )
    assert [x.decision_id for x in [*paged.decisions, *rest.decisions]] == [
        sale.decision_id,
        allowed.decision_id,
    ]


async def test_status_rule_and_errors(svc: ServiceRunner) -> None:
    await products_api(svc).UpdateProduct(
        product_service_pb2.UpdateProductRequest(
            product=product_pb2.Product(product_id="F000001", status=product_pb2.PRODUCT_STATUS_CLOSED),
            update_mask={"paths": ["status"]},
        )
    )
    assert list((await check(svc, "C3", "F000001")).reasons) == [
        suitability_service_pb2.SUITABILITY_REASON_PRODUCT_NOT_ON_SALE
    ]
    for customer, product, code in (
        ("NOBODY", "F510300", grpc.StatusCode.NOT_FOUND),
        ("C3", "NOPE", grpc.StatusCode.NOT_FOUND),
        ("", "F510300", grpc.StatusCode.INVALID_ARGUMENT),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await check(svc, customer, product)
        assert error.value.code() == code
    with pytest.raises(grpc.aio.AioRpcError) as no_amount:
        await check(svc, "C3", "F510300", purpose=suitability_service_pb2.SUITABILITY_PURPOSE_SELL)
    assert no_amount.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_scope_advisor_sees_only_own_customers(svc: ServiceRunner) -> None:
    assert (await check(svc, "C3", "F510300", ADVISOR)).allowed
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await check(svc, "OTHER", "F510300", ADVISOR)
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_batch_counts_reasons_and_pages(svc: ServiceRunner) -> None:
    api = suitability_api(svc)
    batch = await api.CheckBatch(
        suitability_service_pb2.CheckBatchRequest(
            product_id="F510300",
            customers=suitability_service_pb2.CustomerIdList(
                customer_ids=["C3", "C1", "OLD", "PRO", "OTHER", "GHOST"]
            ),
            inline_limit=10,
        )
    )
    assert (batch.evaluated, batch.allowed, batch.denied) == (6, 3, 3)
    assert sorted(batch.allowed_customer_ids) == ["C3", "OTHER", "PRO"]
    assert {r.reason: r.count for r in batch.denied_by_reason} == {
        suitability_service_pb2.SUITABILITY_REASON_CUSTOMER_UNKNOWN: 1,
        suitability_service_pb2.SUITABILITY_REASON_ASSESSMENT_EXPIRED: 1,
        suitability_service_pb2.SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL: 1,
        suitability_service_pb2.SUITABILITY_REASON_LOWEST_RISK_TOLERANCE: 1,
    }
    denied = await api.ListBatchCheckResults(
        suitability_service_pb2.ListBatchCheckResultsRequest(batch_id=batch.batch_id, denied=True)
    )
    assert [r.customer_id for r in denied.results] == ["C1", "GHOST", "OLD"]
    first = await api.ListBatchCheckResults(
        suitability_service_pb2.ListBatchCheckResultsRequest(batch_id=batch.batch_id, page={"page_size": 2})
    )
    second = await api.ListBatchCheckResults(
        suitability_service_pb2.ListBatchCheckResultsRequest(
            batch_id=batch.batch_id, page={"page_size": 2, "page_token": first.page.next_page_token}
        )
    )
    assert [r.customer_id for r in [*first.results, *second.results]] == ["C3", "OTHER", "PRO"]
    # Without a tag service there is nowhere to read a snapshot's members from.
    with pytest.raises(grpc.aio.AioRpcError) as snapshot:
        await api.CheckBatch(
            suitability_service_pb2.CheckBatchRequest(product_id="F510300", snapshot_id="snap-1")
        )
    assert snapshot.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_batch_is_one_record_that_replays_every_customer(svc: ServiceRunner) -> None:
    api = suitability_api(svc)
    ids = ["C3", "C1", "OLD", "PRO", "OTHER", "GHOST"]
    batch = await api.CheckBatch(
        suitability_service_pb2.CheckBatchRequest(
            product_id="F510300", customers=suitability_service_pb2.CustomerIdList(customer_ids=ids)
        )
    )
    async with svc.context.engine.connect() as connection:
        stored = (
            await connection.execute(
                sa.select(suitability_batches).where(
                    suitability_batches.c.batch_id == uuid.UUID(batch.batch_id)
                )
            )
        ).one()
        rows = (
            await connection.execute(sa.select(sa.func.count()).select_from(suitability_batch_results))
        ).scalar()
    assert rows == 0 and stored.payload_format == "columns-v1" and stored.audience == {"customer_ids": 6}
    assert batch_audit.decode_ids(stored.customer_ids, 6) == ids

    audit = suitability_api(svc, COMPLIANCE)
    replay = await audit.ReplayBatch(
        suitability_service_pb2.ReplayBatchRequest(batch_id=batch.batch_id, customer_id="C1")
    )
    assert (replay.evaluated, replay.reproduced, replay.inputs_intact) == (6, 6, True)
    assert replay.rule_version == "2017.1" and replay.product.risk_rating == 3
    one = replay.customer
    assert one.customer_known and one.customer.risk_level == 1 and not one.allowed and one.reproduced
    assert (
        set(one.reasons)
        == set(one.replayed_reasons)
        == {
            suitability_service_pb2.SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL,
            suitability_service_pb2.SUITABILITY_REASON_LOWEST_RISK_TOLERANCE,
        }
    )
    ghost = (
        await audit.ReplayBatch(
            suitability_service_pb2.ReplayBatchRequest(batch_id=batch.batch_id, customer_id="GHOST")
        )
    ).customer
    assert not ghost.customer_known and list(ghost.reasons) == [
        suitability_service_pb2.SUITABILITY_REASON_CUSTOMER_UNKNOWN
    ]
    pro = (
        await audit.ReplayBatch(
            suitability_service_pb2.ReplayBatchRequest(batch_id=batch.batch_id, customer_id="PRO")
        )
    ).customer
    assert (
        pro.allowed
        and pro.reproduced
        and list(pro.reasons) == [suitability_service_pb2.SUITABILITY_REASON_PROFESSIONAL_INVESTOR]
    )

    # A later change of the customer does not change what the batch replays (inputs are stored).
    await add_customer(svc, "C1", 5, version=2)
    again = await audit.ReplayBatch(suitability_service_pb2.ReplayBatchRequest(batch_id=batch.batch_id))
    assert again.reproduced == 6
    # ...but the next batch sees it at once (the in-memory columns are refreshed before deciding).
    fresh = await api.CheckBatch(
        suitability_service_pb2.CheckBatchRequest(
            product_id="F510300",
            customers=suitability_service_pb2.CustomerIdList(customer_ids=["C1"]),
            inline_limit=5,
        )
    )
    assert list(fresh.allowed_customer_ids) == ["C1"]

    # Tampering with the stored outcome is caught: the fingerprint and the replay both disagree.
    decoded = batch_audit.decode(stored)
    flipped = decoded.outcomes.copy()
    flipped[:, ids.index("C3")] = True
    async with svc.context.engine.begin() as connection:
        await connection.execute(
            suitability_batches.update()
            .where(suitability_batches.c.batch_id == stored.batch_id)
            .values(outcomes=batch_audit.encode_outcomes(flipped))
        )
    tampered = await audit.ReplayBatch(suitability_service_pb2.ReplayBatchRequest(batch_id=batch.batch_id))
    assert not tampered.inputs_intact and tampered.reproduced == 5
    assert list(tampered.mismatched_customer_ids) == ["C3"]
    with pytest.raises(grpc.aio.AioRpcError) as advisor:
        await suitability_api(svc, ADVISOR).ReplayBatch(
            suitability_service_pb2.ReplayBatchRequest(batch_id=batch.batch_id)
        )
    assert advisor.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_batch_scope_and_bad_requests(svc: ServiceRunner) -> None:
    own = await suitability_api(svc, ADVISOR).CheckBatch(
        suitability_service_pb2.CheckBatchRequest(
            product_id="F510300",
            customers=suitability_service_pb2.CustomerIdList(customer_ids=["C3", "C1", "GHOST"]),
        )
    )
    assert (own.evaluated, own.allowed) == (3, 1)
    with pytest.raises(grpc.aio.AioRpcError) as outside:
        await suitability_api(svc, ADVISOR).CheckBatch(
            suitability_service_pb2.CheckBatchRequest(
                product_id="F510300",
                customers=suitability_service_pb2.CustomerIdList(customer_ids=["C3", "OTHER"]),
            )
        )
    assert outside.value.code() == grpc.StatusCode.PERMISSION_DENIED and "OTHER" in (
        outside.value.details() or ""
    )
    for request, field in (
        (suitability_service_pb2.CheckBatchRequest(product_id="F510300"), "customers"),
        (
            suitability_service_pb2.CheckBatchRequest(
                product_id="F510300",
                customers=suitability_service_pb2.CustomerIdList(customer_ids=["A\nB"]),
            ),
            "customers.customer_ids",
        ),
        (
            suitability_service_pb2.CheckBatchRequest(
                product_id="F510300",
                customers=suitability_service_pb2.CustomerIdList(customer_ids=["C3"]),
                inline_limit=20_000,
            ),
            "inline_limit",
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as bad:
            await suitability_api(svc).CheckBatch(request)
        assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [f for f, _ in field_violations(bad.value)] == [field]


async def test_frozen_and_closed_customers_are_denied_from_the_projection(svc: ServiceRunner) -> None:
    """CustomerChanged carries the status: the projection (single checks without the tag
    service, and every batch) denies frozen and closed customers, and allows them again once active."""
    inactive = suitability_service_pb2.SUITABILITY_REASON_CUSTOMER_INACTIVE
    await add_customer(svc, "FROZEN", 4, status=customer_pb2.CUSTOMER_STATUS_FROZEN)
    await add_customer(svc, "CLOSED", 4, status=customer_pb2.CUSTOMER_STATUS_CLOSED)
    await add_customer(svc, "ACTIVE", 4, status=customer_pb2.CUSTOMER_STATUS_ACTIVE)
    for customer_id in ("FROZEN", "CLOSED"):
        single = await check(svc, customer_id, "F510300")
        assert not single.allowed and list(single.reasons) == [inactive] and not single.customer.active
    assert (await check(svc, "ACTIVE", "F510300")).allowed

    request = suitability_service_pb2.CheckBatchRequest(product_id="F510300", inline_limit=10)
    request.customers.customer_ids.extend(["FROZEN", "CLOSED", "ACTIVE", "C3"])
    batch = await suitability_api(svc).CheckBatch(request)
    assert sorted(batch.allowed_customer_ids) == ["ACTIVE", "C3"]
    assert {r.reason: r.count for r in batch.denied_by_reason} == {inactive: 2}

    # A later change that does not state the status (e.g. a risk level update from a producer
    # without the field) does not thaw the customer.
    await add_customer(svc, "FROZEN", 5, version=2)
    still = await suitability_api(svc).CheckBatch(request)
    assert sorted(still.allowed_customer_ids) == ["ACTIVE", "C3"]
    await add_customer(svc, "FROZEN", 4, version=3, status=customer_pb2.CUSTOMER_STATUS_ACTIVE)
    again = await suitability_api(svc).CheckBatch(request)
    assert sorted(again.allowed_customer_ids) == ["ACTIVE", "C3", "FROZEN"]


async def test_projection_ignores_older_versions(svc: ServiceRunner) -> None:
    await add_customer(svc, "C3", 5, version=3)
    await add_customer(svc, "C3", 1, version=2)  # late, older: ignored
    async with svc.context.engine.connect() as connection:
        level = (
            await connection.execute(
                sa.select(customer_risk.c.risk_level).where(customer_risk.c.customer_id == "C3")
            )
        ).scalar()
    assert level == 5


async def test_recommend_only_suitable_with_decisions(svc: ServiceRunner) -> None:
    api = recommendation_api(svc)
    low = await api.Recommend(recommendation_service_pb2.RecommendRequest(customer_id="C1"))
    assert [r.product.product_id for r in low.recommendations] == ["F000001"] and low.filtered_unsuitable == 1
    assert (
        low.recommendations[0].reason.startswith("货币基金：")
        and low.recommendations[0].suitability_decision_id
    )
    decision = await suitability_api(svc, COMPLIANCE).GetDecision(
        suitability_service_pb2.GetDecisionRequest(decision_id=low.recommendations[0].suitability_decision_id)
    )
    assert (
        decision.decision.allowed
        and decision.decision.purpose == suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND
    )
    batch = await api.BatchRecommend(
        recommendation_service_pb2.BatchRecommendRequest(customer_ids=["C3", "OLD", "GHOST"])
    )
    by_customer = {r.customer_id: [x.product.product_id for x in r.recommendations] for r in batch.results}
    assert (
        sorted(by_customer["C3"]) == ["F000001", "F510300"]
        and by_customer["OLD"] == []
        and by_customer["GHOST"] == []
    )


async def test_tag_service_feeds_projection_and_answers_single_checks(
    database_url: str, restartable_nats
) -> None:
    """The real path: the tag service publishes CustomerChanged; the product service consumes it."""
    async with (
        running_service(TAG, database_url=database_url, nats_url=restartable_nats.url) as tag,
        product_service(database_url, restartable_nats.url, tag_addr=tag.address) as svc,
    ):
        await products_api(svc).CreateProduct(
            product_service_pb2.CreateProductRequest(product=a_fund("510300"))
        )
        customer = customer_pb2.Customer(
            customer_id="T1",
            branch_id="B01",
            advisor_id="A01",
            risk_level=enums_pb2.RISK_LEVEL_C4,
            risk_assessment_expires_on=d(date.today() + timedelta(days=200)),
        )
        await tag_service_pb2_grpc.TagServiceStub(channel_to(tag, HQ)).UpsertCustomer(
            tag_service_pb2.UpsertCustomerRequest(customer=customer)
        )
        for _ in range(100):
            async with svc.context.engine.connect() as connection:
                row = (
                    await connection.execute(
                        sa.select(customer_risk).where(customer_risk.c.customer_id == "T1")
                    )
                ).first()
            if row is not None:
                break
            await asyncio.sleep(0.1)
        assert row is not None and row.risk_level == 4 and row.version == 1
        decision = await check(svc, "T1", "F510300")
        assert decision.allowed and decision.customer.customer_version == 1
        # A freeze reaches the projection with the CustomerChanged event: the batch denies it
        # as the single check (asking the tag service) does.
        inactive = suitability_service_pb2.SUITABILITY_REASON_CUSTOMER_INACTIVE
        customer.status = customer_pb2.CUSTOMER_STATUS_FROZEN
        await tag_service_pb2_grpc.TagServiceStub(channel_to(tag, HQ)).UpsertCustomer(
            tag_service_pb2.UpsertCustomerRequest(customer=customer)
        )
        batch_request = suitability_service_pb2.CheckBatchRequest(product_id="F510300")
        batch_request.customers.customer_ids.append("T1")
        for _ in range(100):
            batch = await suitability_api(svc).CheckBatch(batch_request)
            if not batch.allowed:
                break
            await asyncio.sleep(0.1)
        assert [(r.reason, r.count) for r in batch.denied_by_reason] == [(inactive, 1)]
        frozen = await check(svc, "T1", "F510300")
        assert not frozen.allowed and list(frozen.reasons) == [inactive]
        # The tag service is asked first: a customer it has never heard of is NOT_FOUND even
        # if the projection were stale.
        with pytest.raises(grpc.aio.AioRpcError) as unknown:
            await check(svc, "T-NONE", "F510300")
        assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
