"""Behaviour ingestion, identity stitching, aggregates, real-time tags, touches, 360 — over real
gRPC, PostgreSQL and JetStream. Batches are published the way the gateway publishes them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc
import pytest
import sqlalchemy as sa
from google.protobuf import timestamp_pb2

from lingxi.common.v1 import date_pb2, decimal_pb2, enums_pb2, event_meta_pb2
from lingxi.events.v1 import ingest_events_pb2 as ingest_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to
from lingxi_tag.models import aggregate_daily, outbox

pytestmark = pytest.mark.integration

HQ = Caller(subject="u-hq", role=Role.HQ_OPERATOR)
ADVISOR = Caller(subject="u-adv", role=Role.ADVISOR, advisor_id="A01")
OTHER_ADVISOR = Caller(subject="u-adv2", role=Role.ADVISOR, advisor_id="A99")
T = TypeVar("T")


async def wait_until(check: Callable[[], Awaitable[T]], what: str, timeout: float = 20.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for: {what}"
        await asyncio.sleep(0.05)


def stub(runner: ServiceRunner, caller: Caller = HQ) -> tag_service_pb2_grpc.TagServiceStub:
    return tag_service_pb2_grpc.TagServiceStub(channel_to(runner, caller))


async def add_customer(
    runner: ServiceRunner, customer_id: str, advisor: str = "A01", branch: str = "B01"
) -> None:
    await stub(runner).UpsertCustomer(
        tag_service_pb2.UpsertCustomerRequest(
            customer=customer_pb2.Customer(
                customer_id=customer_id,
                branch_id=branch,
                advisor_id=advisor,
                risk_level=enums_pb2.RISK_LEVEL_C3,
                risk_assessment_expires_on=date_pb2.Date(year=2030, month=1, day=1),
                opened_on=date_pb2.Date(year=2020, month=1, day=1),
                phone="13812345678",
            )
        )
    )


def event(
    name: str,
    *,
    anonymous: str = "",
    user: str = "",
    previous: str = "",
    kind: int = ingest_pb2.BEHAVIOR_TYPE_TRACK,
    event_id: str | None = None,
    **properties: Any,
) -> ingest_pb2.BehaviorEvent:
    stamp = timestamp_pb2.Timestamp()
    stamp.GetCurrentTime()
    result = ingest_pb2.BehaviorEvent(
        meta=event_meta_pb2.EventMeta(event_id=event_id or str(uuid.uuid4()), producer="gateway"),
        source_kind=ingest_pb2.INGEST_SOURCE_KIND_SEGMENT,
        source_id="app",
        type=kind,
        event_name=name,
        anonymous_id=anonymous,
        user_id=user,
        previous_id=previous,
        event_time=stamp,
    )
    result.properties.update(properties)
    return result


async def publish(runner: ServiceRunner, *events: ingest_pb2.BehaviorEvent) -> str:
    batch_id = str(uuid.uuid4())
    batch = ingest_pb2.BehaviorBatch(
        meta=event_meta_pb2.EventMeta(event_id=batch_id, producer="gateway"),
        source_kind=ingest_pb2.INGEST_SOURCE_KIND_SEGMENT,
        source_id="app",
        events=list(events),
    )
    await runner.context.bus.publish(batch, msg_id=batch_id)
    return batch_id


async def processed(runner: ServiceRunner, batch_id: str) -> bool:
    async with runner.context.sessions() as session:
        return bool(
            (
                await session.execute(
                    sa.text("SELECT count(*) FROM tag.processed_messages WHERE message_id = :id"),
                    {"id": batch_id},
                )
            ).scalar_one()
        )


async def aggregates(runner: ServiceRunner, customer_id: str) -> dict[str, float]:
    response = await stub(runner).ListAggregateValues(
        tag_service_pb2.ListAggregateValuesRequest(customer_id=customer_id)
    )
    return {value.code: float(value.value.value) for value in response.values}


async def tags_of(runner: ServiceRunner, customer_id: str, caller: Caller = HQ) -> dict[str, str]:
    response = await stub(runner, caller).ListCustomerTags(
        tag_service_pb2.ListCustomerTagsRequest(customer_id=customer_id)
    )
    return {tag.tag_code: tag.value for tag in response.tags}


async def test_events_before_the_link_are_attributed_once_and_tags_follow(tag: ServiceRunner) -> None:
    await add_customer(tag, "C100")
    views = [
        event("WatchLiveStream", anonymous="dev-1", duration_seconds=150),
        event("WatchLiveStream", anonymous="dev-1", duration_seconds=300),
        event("WatchLiveStream", anonymous="dev-1", duration_seconds=60),
    ]
    first = await publish(tag, *views)
    await wait_until(lambda: processed(tag, first), "anonymous batch processed")
    before = await aggregates(tag, "C100")
    assert before["live_view_120s_30d"] == 0.0  # not linked yet
    assert "live_stream_fan" not in await tags_of(tag, "C100")

    link = await publish(
        tag, event("$SignUp", user="C100", previous="dev-1", kind=ingest_pb2.BEHAVIOR_TYPE_ALIAS)
    )
    await wait_until(lambda: processed(tag, link), "link processed")
    after = await aggregates(tag, "C100")
    assert after["live_view_120s_30d"] == 2.0  # 150 s and 300 s; the 60 s view does not pass the filter
    assert after["live_watch_seconds_30d"] == 510.0
    assert (await tags_of(tag, "C100"))["live_stream_fan"] == "true"

    # The same events again (an SDK retry beyond JetStream's dedupe window): nothing changes.
    again = await publish(tag, *views)
    await wait_until(lambda: processed(tag, again), "redelivered batch processed")
    # Later anonymous events of the linked device count directly.
    later = await publish(tag, event("WatchLiveStream", anonymous="dev-1", duration_seconds=200))
    await wait_until(lambda: processed(tag, later), "later batch processed")
    final = await aggregates(tag, "C100")
    assert final["live_view_120s_30d"] == 3.0 and final["live_watch_seconds_30d"] == 710.0

    async with tag.context.sessions() as session:
        rows = (await session.execute(sa.select(outbox.c.subject, outbox.c.payload))).all()
    changes = [
        tag_events_pb2.CustomerTagChanged.FromString(row.payload)
        for row in rows
        if row.subject == "lingxi.tag.customer_tag.changed"
    ]
    fan = [change for change in changes if change.tag_code == "live_stream_fan"]
    assert len(fan) == 1 and fan[0].change == tag_events_pb2.TAG_CHANGE_KIND_ENTERED
    assert fan[0].customer.customer_id == "C100" and fan[0].customer.advisor_id == "A01"
    assert fan[0].meta.causation_id == link and fan[0].sequence > 0
    linked = [row for row in rows if row.subject == "lingxi.tag.identity.linked"]
    assert len(linked) == 1
    assert tag_events_pb2.IdentityLinked.FromString(linked[0].payload).events_attributed == 3


async def test_identify_links_and_login_events_count_directly(tag: ServiceRunner) -> None:
    await add_customer(tag, "C200")
    batch = await publish(
        tag,
        event("ViewProduct", anonymous="anon-9", product_type="fund"),
        event("identify", user="C200", anonymous="anon-9", kind=ingest_pb2.BEHAVIOR_TYPE_IDENTIFY),
        event("ViewProduct", user="C200", product_type="fund"),
        event("ViewProduct", user="C200", product_type="stock"),
    )
    await wait_until(lambda: processed(tag, batch), "batch processed")
    values = await aggregates(tag, "C200")
    assert values["fund_views_30d"] == 2.0 and values["product_views_30d"] == 3.0
    async with tag.context.sessions() as session:
        days = (
            await session.execute(
                sa.select(sa.func.count())
                .select_from(aggregate_daily)
                .where(aggregate_daily.c.customer_id == "C200")
            )
        ).scalar_one()
    assert days >= 2


async def test_offline_touch_is_idempotent_and_joins_the_timeline(tag: ServiceRunner) -> None:
    await add_customer(tag, "C300")
    occurred = timestamp_pb2.Timestamp()
    occurred.GetCurrentTime()
    touch = customer_pb2.OfflineTouch(
        touch_id="call-1",
        customer_id="C300",
        kind=customer_pb2.TOUCH_KIND_ADVISOR_CALL,
        result=customer_pb2.TOUCH_RESULT_INTENT,
        occurred_at=occurred,
        notes="客户对A50 ETF有兴趣",
    )
    advisor = stub(tag, ADVISOR)
    first = await advisor.RecordOfflineTouch(tag_service_pb2.RecordOfflineTouchRequest(touch=touch))
    again = await advisor.RecordOfflineTouch(tag_service_pb2.RecordOfflineTouchRequest(touch=touch))
    assert not first.duplicate and again.duplicate and first.event_id == again.event_id
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await stub(tag, OTHER_ADVISOR).RecordOfflineTouch(
            tag_service_pb2.RecordOfflineTouchRequest(touch=touch)
        )
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as bad:
        await advisor.RecordOfflineTouch(
            tag_service_pb2.RecordOfflineTouchRequest(
                touch=customer_pb2.OfflineTouch(touch_id="x", customer_id="C300")
            )
        )
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "touch.kind" in (
        bad.value.details() or ""
    )

    await wait_until(lambda: _has_tag(tag, "C300", "offline_intent"), "offline_intent tag")
    online = await publish(tag, event("ViewStock", user="C300", stock_code="600519"))
    await wait_until(lambda: processed(tag, online), "online event processed")
    timeline = await advisor.ListTimeline(tag_service_pb2.ListTimelineRequest(customer_id="C300"))
    kinds = {entry.kind for entry in timeline.entries}
    assert {
        customer_pb2.TIMELINE_KIND_ONLINE_EVENT,
        customer_pb2.TIMELINE_KIND_OFFLINE_TOUCH,
        customer_pb2.TIMELINE_KIND_TAG_CHANGE,
    } <= kinds
    touch_entry = next(e for e in timeline.entries if e.kind == customer_pb2.TIMELINE_KIND_OFFLINE_TOUCH)
    assert touch_entry.summary == "advisor_call: intent" and "A50" not in str(
        touch_entry
    )  # notes stay encrypted
    page = await advisor.ListTimeline(
        tag_service_pb2.ListTimelineRequest(customer_id="C300", page={"page_size": 1})
    )
    assert len(page.entries) == 1 and page.page.next_page_token
    rest = await advisor.ListTimeline(
        tag_service_pb2.ListTimelineRequest(
            customer_id="C300", page={"page_size": 100, "page_token": page.page.next_page_token}
        )
    )
    assert [e.entry_id for e in rest.entries] == [e.entry_id for e in timeline.entries[1:]]


async def _has_tag(runner: ServiceRunner, customer_id: str, code: str) -> bool:
    return code in await tags_of(runner, customer_id)


async def test_account_change_retags_in_real_time_and_360_shows_it(tag: ServiceRunner) -> None:
    await add_customer(tag, "C400")
    api = stub(tag)
    await api.UpsertAccount(
        tag_service_pb2.UpsertAccountRequest(
            account=customer_pb2.FundAccount(
                account_id="M400",
                customer_id="C400",
                account_type=customer_pb2.ACCOUNT_TYPE_MARGIN,
                total_assets=decimal_pb2.Money(amount="800000.00"),
                cash_balance=decimal_pb2.Money(amount="20000.00"),
                stock_market_value=decimal_pb2.Money(amount="780000.00"),
                liabilities=decimal_pb2.Money(amount="300000.00"),
                maintenance_ratio=decimal_pb2.Decimal(value="1.42"),
            )
        )
    )
    tags = await tags_of(tag, "C400")
    assert tags["asset_tier"] == "w50_100" and tags["margin_below_warning"] == "true"
    await api.UpsertHoldings(
        tag_service_pb2.UpsertHoldingsRequest(
            account_id="M400",
            holdings=[
                customer_pb2.Holding(
                    security_code="600519",
                    quantity=decimal_pb2.Decimal(value="300"),
                    market_value=decimal_pb2.Money(amount="600000"),
                    unrealized_pnl=decimal_pb2.Money(amount="-200000"),
                    unrealized_pnl_ratio=decimal_pb2.Decimal(value="-0.25"),
                    sector_code="liquor",
                ),
                customer_pb2.Holding(
                    security_code="000001",
                    quantity=decimal_pb2.Decimal(value="1000"),
                    market_value=decimal_pb2.Money(amount="180000"),
                    sector_code="bank",
                ),
            ],
        )
    )
    tags = await tags_of(tag, "C400")
    assert tags["concentrated_holder"] == "true" and tags["holding_in_heavy_loss"] == "true"
    full = await stub(tag, ADVISOR).GetCustomer(
        tag_service_pb2.GetCustomerRequest(customer_id="C400", view=tag_service_pb2.CUSTOMER_VIEW_FULL)
    )
    assert full.customer.pii_masked and full.customer.phone != "13812345678"
    assert [a.account_id for a in full.accounts] == ["M400"]
    assert (
        full.holdings_summary.position_count == 2
        and full.holdings_summary.top_position_weight.value == "0.7692"
    )
    assert {t.tag_code for t in full.tags} >= {"asset_tier", "concentrated_holder"}
    assert any(e.kind == customer_pb2.TIMELINE_KIND_TAG_CHANGE for e in full.recent_timeline)
    basic = await stub(tag, ADVISOR).GetCustomer(tag_service_pb2.GetCustomerRequest(customer_id="C400"))
    assert not basic.accounts and not basic.tags
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await stub(tag, OTHER_ADVISOR).ListCustomerTags(
            tag_service_pb2.ListCustomerTagsRequest(customer_id="C400")
        )
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
