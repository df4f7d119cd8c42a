"""Catalog over real gRPC and PostgreSQL: validation naming the field, edits, versions, events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import grpc
import pytest
from product_testkit import APP, HQ, a_fund, d, outbox_events, outbox_types, product_service, products_api

from lingxi.common.v1 import decimal_pb2
from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import product_pb2, product_service_pb2
from lingxi_common.errors import field_violations
from lingxi_common.service import ServiceRunner

pytestmark = pytest.mark.integration


@pytest.fixture
async def svc(database_url: str, restartable_nats) -> AsyncIterator[ServiceRunner]:
    async with product_service(database_url, restartable_nats.url) as runner:
        yield runner


async def test_create_get_list_and_launch_event(svc: ServiceRunner) -> None:
    api = products_api(svc)
    created = (await api.CreateProduct(product_service_pb2.CreateProductRequest(product=a_fund()))).product
    assert created.version == 1 and created.product_id == "F510050"
    assert created.min_investment.amount == "1000.00" and created.fees.management_rate.value == "0.0050"
    assert [h.security_code for h in created.top_holdings] == ["600519.SH", "601318.SH"]
    by_code = await products_api(svc, APP).GetProduct(
        product_service_pb2.GetProductRequest(product_code="510050")
    )
    assert by_code.product == created
    listed = await api.ListProducts(
        product_service_pb2.ListProductsRequest(
            fund_categories=[product_pb2.FUND_CATEGORY_INDEX], max_risk_rating=3, query="指数"
        )
    )
    assert [p.product_id for p in listed.products] == ["F510050"]
    too_low = await api.ListProducts(product_service_pb2.ListProductsRequest(max_risk_rating=2))
    assert list(too_low.products) == []
    launched = [
        product_events_pb2.ProductLaunched.FromString(p) for p in await outbox_events(svc, "ProductLaunched")
    ]
    assert [e.product.product_code for e in launched] == ["510050"]
    assert (
        launched[0].product.fund_category == "FUND_CATEGORY_INDEX"
        and launched[0].min_investment.amount == "1000.00"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"risk_rating": 0}, "product.risk_rating"),
        ({"risk_rating": 9}, "product.risk_rating"),
        ({"product_code": ""}, "product.product_code"),
        ({"fund_category": 0}, "product.fund_category"),
        ({"status": 0}, "product.status"),
        ({"min_investment": decimal_pb2.Money(amount="-1")}, "product.min_investment.amount"),
        ({"min_investment": decimal_pb2.Money(amount="1e3")}, "product.min_investment.amount"),
    ],
)
async def test_invalid_products_are_refused_naming_the_field(
    svc: ServiceRunner, change: dict, field: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await products_api(svc).CreateProduct(
            product_service_pb2.CreateProductRequest(product=a_fund(**change))
        )
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [f for f, _ in field_violations(error.value)] == [field]


async def test_inverted_date_ranges_are_refused(svc: ServiceRunner) -> None:
    window = a_fund()
    window.key_dates.subscription_window.start.CopyFrom(d(date(2026, 12, 10)))
    window.key_dates.subscription_window.end.CopyFrom(d(date(2026, 12, 1)))
    maturity = a_fund()
    maturity.key_dates.matures_on.CopyFrom(d(date(2019, 1, 1)))
    fee = a_fund()
    fee.fees.management_rate.value = "1.5"
    for product, field in (
        (window, "product.key_dates.subscription_window"),
        (maturity, "product.key_dates.matures_on"),
        (fee, "product.fees.management_rate"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await products_api(svc).CreateProduct(product_service_pb2.CreateProductRequest(product=product))
        assert [f for f, _ in field_violations(error.value)] == [field]
    assert await outbox_types(svc) == []  # nothing written on refusal


async def test_update_is_partial_versioned_and_announced(svc: ServiceRunner) -> None:
    api = products_api(svc)
    await api.CreateProduct(
        product_service_pb2.CreateProductRequest(product=a_fund(status=product_pb2.PRODUCT_STATUS_UPCOMING))
    )
    assert "ProductLaunched" not in await outbox_types(svc)
    edit = product_pb2.Product(
        product_id="F510050", status=product_pb2.PRODUCT_STATUS_ON_SALE, highlight="低费率宽基"
    )
    updated = (
        await api.UpdateProduct(
            product_service_pb2.UpdateProductRequest(
                product=edit, update_mask={"paths": ["status", "highlight"]}, expected_version=1
            )
        )
    ).product
    assert updated.version == 2 and updated.highlight == "低费率宽基" and updated.name == "测试指数基金510050"
    same = await api.UpdateProduct(
        product_service_pb2.UpdateProductRequest(product=edit, update_mask={"paths": ["status", "highlight"]})
    )
    assert same.product.version == 2  # no change, no new version
    with pytest.raises(grpc.aio.AioRpcError) as stale:
        await api.UpdateProduct(
            product_service_pb2.UpdateProductRequest(
                product=edit, update_mask={"paths": ["name"]}, expected_version=1
            )
        )
    assert stale.value.code() == grpc.StatusCode.ABORTED
    bad = product_pb2.Product(product_id="F510050")
    bad.key_dates.matures_on.CopyFrom(d(date(2019, 1, 1)))
    bad.key_dates.established_on.CopyFrom(d(date(2020, 1, 6)))
    with pytest.raises(grpc.aio.AioRpcError) as invalid:
        await api.UpdateProduct(
            product_service_pb2.UpdateProductRequest(product=bad, update_mask={"paths": ["key_dates"]})
        )
    assert [f for f, _ in field_violations(invalid.value)] == ["product.key_dates.matures_on"]
    changed = [
        product_events_pb2.ProductChanged.FromString(p) for p in await outbox_events(svc, "ProductChanged")
    ]
    assert [(list(e.changed_fields), e.previous_status, e.status) for e in changed] == [
        (["highlight", "status"], "PRODUCT_STATUS_UPCOMING", "PRODUCT_STATUS_ON_SALE")
    ]
    assert await outbox_types(svc) == ["ProductChanged", "ProductLaunched"]


async def test_apps_read_but_do_not_write_and_unknown_products_are_named(svc: ServiceRunner) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await products_api(svc, APP).CreateProduct(product_service_pb2.CreateProductRequest(product=a_fund()))
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await products_api(svc).GetProduct(product_service_pb2.GetProductRequest(product_id="NOPE"))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND and "NOPE" in (missing.value.details() or "")
    await products_api(svc, HQ).CreateProduct(product_service_pb2.CreateProductRequest(product=a_fund()))
    with pytest.raises(grpc.aio.AioRpcError) as duplicate:
        await products_api(svc).CreateProduct(product_service_pb2.CreateProductRequest(product=a_fund()))
    assert duplicate.value.code() == grpc.StatusCode.ABORTED
    batch = await products_api(svc, APP).BatchGetProducts(
        product_service_pb2.BatchGetProductsRequest(product_ids=["F510050", "NOPE"])
    )
    assert [p.product_id for p in batch.products] == ["F510050"] and list(batch.missing_product_ids) == [
        "NOPE"
    ]


async def test_content_items_linked_to_stocks(svc: ServiceRunner) -> None:
    api = products_api(svc)
    item = product_pb2.ContentItem(
        content_id="N1",
        kind=product_pb2.CONTENT_KIND_RESEARCH,
        title="白酒行业深度",
        security_codes=["600519.SH"],
        sector_codes=["FOOD_BEV"],
        compliance_approved=True,
    )
    item.published_at.GetCurrentTime()
    await api.UpsertContentItem(product_service_pb2.UpsertContentItemRequest(item=item))
    draft = product_pb2.ContentItem(
        content_id="N2", kind=product_pb2.CONTENT_KIND_NEWS, title="草稿", security_codes=["600519.SH"]
    )
    draft.published_at.GetCurrentTime()
    await api.UpsertContentItem(product_service_pb2.UpsertContentItemRequest(item=draft))
    found = await products_api(svc, APP).ListContentItems(
        product_service_pb2.ListContentItemsRequest(security_codes=["600519.SH"])
    )
    assert [i.content_id for i in found.items] == ["N1"]  # apps only see approved content
    every = await api.ListContentItems(product_service_pb2.ListContentItemsRequest(sector_codes=["FOOD_BEV"]))
    assert [i.content_id for i in every.items] == ["N1"]
