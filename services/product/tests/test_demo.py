"""The demo shelf loads through the real API, is realistic enough to browse, and re-runs cleanly."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
import sqlalchemy as sa
from product_testkit import outbox_types, product_service, products_api

from lingxi.product.v1 import analytics_pb2, product_pb2, product_service_pb2
from lingxi_common.db import transaction
from lingxi_common.service import ServiceRunner
from lingxi_common.settings import DEV_SERVICE_TOKEN
from lingxi_product import date_events, fund_style
from lingxi_product.demo import STYLE_INDEX_PLAN, demo_shelf, seed_products
from lingxi_product.handlers import RECOMPUTE_METRICS
from lingxi_product.models import outbox, processed_messages

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 23)


def test_shelf_covers_every_kind() -> None:
    shelf = [item.product for item in demo_shelf(TODAY)]
    categories = {p.fund_category for p in shelf if p.product_type == product_pb2.PRODUCT_TYPE_FUND}
    assert categories >= {
        product_pb2.FUND_CATEGORY_STOCK,
        product_pb2.FUND_CATEGORY_BOND,
        product_pb2.FUND_CATEGORY_HYBRID,
        product_pb2.FUND_CATEGORY_INDEX,
        product_pb2.FUND_CATEGORY_ETF,
        product_pb2.FUND_CATEGORY_MONEY_MARKET,
        product_pb2.FUND_CATEGORY_QDII,
    }
    assert {p.product_type for p in shelf} == {1, 2, 3}
    assert len({p.product_code for p in shelf}) == len(shelf)
    # The demo loads exactly the style indices the style analysis regresses on, in its order.
    assert list(STYLE_INDEX_PLAN) == [code for _, code in fund_style.STYLE_INDICES]


async def test_seed_is_idempotent_and_browsable(database_url: str, restartable_nats) -> None:
    async with product_service(database_url, restartable_nats.url) as svc:
        address = f"127.0.0.1:{svc.port}"
        first = await seed_products(address, DEV_SERVICE_TOKEN, today=TODAY, history_years=1)
        second = await seed_products(address, DEV_SERVICE_TOKEN, today=TODAY, history_years=1)
        assert first == len(demo_shelf(TODAY)) and second == 0
        api = products_api(svc)
        ranking = await api.ListFundRankings(
            product_service_pb2.ListFundRankingsRequest(category=product_pb2.FUND_CATEGORY_STOCK)
        )
        assert len(ranking.evaluations) >= 4 and ranking.evaluations[0].top_quantile
        metrics = await api.GetProductMetrics(
            product_service_pb2.GetProductMetricsRequest(product_id=ranking.evaluations[0].product_id)
        )
        assert analytics_pb2.METRIC_WINDOW_6M in {m.window for m in metrics.metrics}
        members = await api.ListIndexConstituents(
            product_service_pb2.ListIndexConstituentsRequest(index_code="000300.SH")
        )
        assert len(members.constituents) == 10 and members.constituents[0].security_code == "600519.SH"
        related = await api.ListRelatedProducts(
            product_service_pb2.ListRelatedProductsRequest(security_code="601318.SH", limit=100)
        )
        assert product_service_pb2.RELATION_KIND_TRACKS_INDEX_WITH_STOCK in {
            p.relation for p in related.products
        }
        styles = {
            t.value
            for item in demo_shelf(TODAY)
            for t in (
                await api.ListProductTags(
                    product_service_pb2.ListProductTagsRequest(product_id=item.product.product_id)
                )
            ).tags
            if t.code == "invest_style"
        }
        assert styles == {"growth", "value", "balanced", "theme"}
        # The stock and hybrid funds' NAVs are mixes of the style indices the demo loads: their
        # computed style is found (the demo's plan, fund_style's method).
        computed = {}
        for item in demo_shelf(TODAY, history_years=1):
            if item.style_mix is None:
                continue
            tags = (
                await api.ListProductTags(
                    product_service_pb2.ListProductTagsRequest(product_id=item.product.product_id)
                )
            ).tags
            computed[item.product.product_id] = {t.code: t.value for t in tags}["style"]
        assert len(computed) == 12 and {"value", "growth", "blend"} <= set(computed.values())
        assert set(computed.values()) <= {*fund_style.STYLES, "active"}
        types = await outbox_types(svc)
        assert types.count("ProductLaunched") == first - 4  # wealth products are closed, not launched
        async with transaction(svc.context.sessions) as session:
            due = await date_events.sweep(session, TODAY)
        assert {type(e).__name__ for e in due} >= {
            "MaturityApproaching",
            "PayoutArrived",
            "SubscriptionClosing",
        }
        await consumer_caught_up(svc)


async def consumer_caught_up(svc: ServiceRunner) -> None:
    """Wait until every queued recompute command was handled and every event published, so the
    service stops from a quiet state."""
    done = queued = unpublished = -1
    for _ in range(600):
        async with svc.context.engine.connect() as connection:
            queued = (
                await connection.execute(
                    sa.select(sa.func.count()).where(
                        outbox.c.message_type.endswith("RecomputeMetricsCommand")
                    )
                )
            ).scalar_one()
            done = (
                await connection.execute(
                    sa.select(sa.func.count()).where(processed_messages.c.consumer == RECOMPUTE_METRICS)
                )
            ).scalar_one()
            unpublished = (
                await connection.execute(sa.select(sa.func.count()).where(outbox.c.published_at.is_(None)))
            ).scalar_one()
        if done >= queued and unpublished == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"consumer handled {done} of {queued} commands; {unpublished} events unpublished")
