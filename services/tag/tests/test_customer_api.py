"""Customer data RPCs over real gRPC, PostgreSQL and NATS: batch reads, scoped lists, trades,
watchlists, external assets, identity links, snapshot listing, and the audience index following
branch/advisor moves without a restart."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc
import pytest
import sqlalchemy as sa
from google.protobuf import timestamp_pb2

from lingxi.common.v1 import date_pb2, decimal_pb2, enums_pb2, event_meta_pb2, paging_pb2
from lingxi.events.v1 import ingest_events_pb2 as ingest_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import (
    audience_service_pb2,
    audience_service_pb2_grpc,
    customer_pb2,
    tag_service_pb2,
    tag_service_pb2_grpc,
)
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_tag.main import DEFINITION
from lingxi_tag.models import outbox, pii_access_log
from lingxi_tag.runtime import runtime_for

pytestmark = pytest.mark.integration

HQ = Caller(subject="u-hq", role=Role.HQ_OPERATOR)
COMPLIANCE = Caller(subject="u-comp", role=Role.COMPLIANCE)
PRODUCT = Caller.system("product")
MANAGER_B01 = Caller(subject="u-bm1", role=Role.BRANCH_MANAGER, branch_id="B01")
ADVISOR_A01 = Caller(subject="u-a1", role=Role.ADVISOR, advisor_id="A01")
T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], what: str, timeout: float = 20.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for: {what}"
        await asyncio.sleep(0.05)


@pytest.fixture
async def tag(database_url: str, restartable_nats: Any) -> AsyncIterator[ServiceRunner]:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url, index_refresh_seconds=0.05
    ) as runner:
        yield runner


def api(runner: ServiceRunner, caller: Caller = HQ) -> tag_service_pb2_grpc.TagServiceStub:
    return tag_service_pb2_grpc.TagServiceStub(channel_to(runner, caller))


def audiences(runner: ServiceRunner, caller: Caller = HQ) -> audience_service_pb2_grpc.AudienceServiceStub:
    return audience_service_pb2_grpc.AudienceServiceStub(channel_to(runner, caller))


async def add(runner: ServiceRunner, customer_id: str, branch: str, advisor: str = "", **extra: Any) -> None:
    customer = customer_pb2.Customer(
        customer_id=customer_id,
        branch_id=branch,
        advisor_id=advisor,
        risk_level=enums_pb2.RISK_LEVEL_C3,
        risk_assessment_expires_on=date_pb2.Date(year=2030, month=1, day=1),
        phone="13812345678",
        display_name="张三",
        **extra,
    )
    await api(runner).UpsertCustomer(tag_service_pb2.UpsertCustomerRequest(customer=customer))


async def refused(call: Awaitable[Any]) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return error.value


async def test_batch_get_answers_in_order_within_scope_and_reports_missing(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    await add(tag, "C2", "B02", "A02")
    await add(tag, "C3", "B01")
    request = tag_service_pb2.BatchGetCustomersRequest(customer_ids=["C3", "NOPE", "C1", "C2", "C1"])
    everyone = await api(tag).BatchGetCustomers(request)
    assert [c.customer_id for c in everyone.customers] == ["C3", "C1", "C2"]
    assert list(everyone.missing_customer_ids) == ["NOPE"]
    assert everyone.customers[0].phone == "138****5678" and everyone.customers[0].pii_masked
    # A branch manager sees B01 only; hidden and unknown ids are indistinguishable.
    branch = await api(tag, MANAGER_B01).BatchGetCustomers(request)
    assert [c.customer_id for c in branch.customers] == ["C3", "C1"]
    assert list(branch.missing_customer_ids) == ["NOPE", "C2"]
    advisor = await api(tag, ADVISOR_A01).BatchGetCustomers(request)
    assert [c.customer_id for c in advisor.customers] == ["C1"]
    partner = Caller(subject="p", role=Role.PARTNER)
    assert (
        await refused(api(tag, partner).BatchGetCustomers(request))
    ).code() == grpc.StatusCode.PERMISSION_DENIED


async def test_batch_get_reveals_pii_only_to_pii_roles_and_audits_only_what_it_reveals(
    tag: ServiceRunner,
) -> None:
    await add(tag, "C1", "B01", "A01")
    revealed = await api(tag, COMPLIANCE).BatchGetCustomers(
        tag_service_pb2.BatchGetCustomersRequest(customer_ids=["C1"])
    )
    assert revealed.customers[0].phone == "13812345678" and not revealed.customers[0].pii_masked
    # The product service asks for suitability inputs only: nothing decrypted, nothing audited.
    lean = await api(tag, PRODUCT).BatchGetCustomers(
        tag_service_pb2.BatchGetCustomersRequest(
            customer_ids=["C1"], read_mask={"paths": ["risk_level", "professional_investor"]}
        )
    )
    customer = lean.customers[0]
    assert customer.customer_id == "C1" and customer.risk_level == enums_pb2.RISK_LEVEL_C3
    assert customer.phone == "" and customer.branch_id == "" and customer.display_name == ""
    async with tag.context.engine.connect() as connection:
        audit = (await connection.execute(sa.select(pii_access_log.c.subject, pii_access_log.c.fields))).all()
    assert [(row.subject, sorted(row.fields)) for row in audit] == [("u-comp", ["display_name", "phone"])]


async def test_batch_get_adds_tags_and_holdings_when_asked(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    await add(tag, "C2", "B01", "A01")
    stub = api(tag)
    await stub.UpsertAccount(
        tag_service_pb2.UpsertAccountRequest(
            account=customer_pb2.FundAccount(
                account_id="F1",
                customer_id="C1",
                account_type=customer_pb2.ACCOUNT_TYPE_CASH,
                total_assets=decimal_pb2.Money(amount="300000"),
            )
        )
    )
    await stub.UpsertHoldings(
        tag_service_pb2.UpsertHoldingsRequest(
            account_id="F1",
            holdings=[
                customer_pb2.Holding(
                    security_code="600519.SH",
                    quantity=decimal_pb2.Decimal(value="100"),
                    market_value=decimal_pb2.Money(amount="150000"),
                    sector_code="liquor",
                ),
                customer_pb2.Holding(
                    security_code="000001.SZ",
                    quantity=decimal_pb2.Decimal(value="1000"),
                    market_value=decimal_pb2.Money(amount="50000"),
                    sector_code="bank",
                ),
            ],
        )
    )

    async def tagged() -> bool:  # a real-time tag of the holdings just written
        async with tag.context.engine.connect() as connection:
            return bool(
                (
                    await connection.execute(
                        sa.text(
                            "SELECT count(*) FROM tag.customer_tags "
                            "WHERE customer_id = 'C1' AND tag_code = 'concentrated_holder'"
                        )
                    )
                ).scalar_one()
            )

    await eventually(tagged, "C1 tagged as a concentrated holder")
    response = await api(tag, PRODUCT).BatchGetCustomers(
        tag_service_pb2.BatchGetCustomersRequest(
            customer_ids=["C2", "C1"],
            include_tags=True,
            include_holdings=True,
            read_mask={"paths": ["risk_level"]},
        )
    )
    assert [d.customer_id for d in response.details] == ["C2", "C1"]
    empty, full = response.details
    assert empty.holdings_summary.position_count == 0
    assert full.holdings_summary.position_count == 2
    assert full.holdings_summary.total_market_value.amount == "200000.00"
    assert full.holdings_summary.top_position_weight.value == "0.7500"
    assert [h.security_code for h in full.holdings_summary.top_holdings] == ["600519.SH", "000001.SZ"]
    assert "concentrated_holder" in [t.tag_code for t in full.tags]
    assert "concentrated_holder" not in [t.tag_code for t in empty.tags]
    only = await api(tag, PRODUCT).BatchGetCustomers(
        tag_service_pb2.BatchGetCustomersRequest(
            customer_ids=["C1"], include_tags=True, tag_codes=["dormant"]
        )
    )
    assert not only.details[0].tags and not only.details[0].HasField("holdings_summary")


@pytest.mark.parametrize(
    ("request_fields", "field"),
    [
        ({"customer_ids": []}, "customer_ids"),
        ({"customer_ids": [f"C{n}" for n in range(1001)]}, "customer_ids"),
        ({"customer_ids": ["C1", "bad id"]}, "customer_ids[1]"),
        ({"customer_ids": ["C1"], "read_mask": {"paths": ["shoe_size"]}}, "read_mask"),
        ({"customer_ids": ["C1"], "include_tags": True, "tag_codes": ["Not A Code"]}, "tag_codes[0]"),
    ],
)
async def test_batch_get_bad_input_names_the_field(
    tag: ServiceRunner, request_fields: dict[str, Any], field: str
) -> None:
    error = await refused(
        api(tag).BatchGetCustomers(tag_service_pb2.BatchGetCustomersRequest(**request_fields))
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details().startswith(f"{field}:")


async def test_list_customers_pages_filters_and_stays_in_scope(tag: ServiceRunner) -> None:
    for number in range(1, 8):
        await add(tag, f"C{number}", "B01" if number <= 5 else "B02", "A01" if number % 2 else "")
    stub = api(tag)
    seen: list[str] = []
    token = ""
    while True:
        page = await stub.ListCustomers(
            tag_service_pb2.ListCustomersRequest(page=paging_pb2.PageRequest(page_size=3, page_token=token))
        )
        seen += [c.customer_id for c in page.customers]
        assert all(c.pii_masked and c.phone == "138****5678" for c in page.customers)
        token = page.page.next_page_token
        if not token:
            break
    assert seen == [f"C{n}" for n in range(1, 8)]
    hq_served = await stub.ListCustomers(
        tag_service_pb2.ListCustomersRequest(branch_id="B01", without_advisor=True)
    )
    assert [c.customer_id for c in hq_served.customers] == ["C2", "C4"]
    # The audience index counts cheaply once it has caught up with the new customers.
    await eventually(
        lambda: _total(stub, tag_service_pb2.ListCustomersRequest(branch_id="B01")), "total from the index"
    )
    # Branch manager: forced to the own branch, refused when asking for another.
    own = await api(tag, MANAGER_B01).ListCustomers(tag_service_pb2.ListCustomersRequest())
    assert [c.customer_id for c in own.customers] == ["C1", "C2", "C3", "C4", "C5"]
    other = await refused(
        api(tag, MANAGER_B01).ListCustomers(tag_service_pb2.ListCustomersRequest(branch_id="B02"))
    )
    assert other.code() == grpc.StatusCode.PERMISSION_DENIED
    mine = await api(tag, ADVISOR_A01).ListCustomers(tag_service_pb2.ListCustomersRequest())
    assert [c.customer_id for c in mine.customers] == ["C1", "C3", "C5", "C7"]
    widened = await refused(
        api(tag, ADVISOR_A01).ListCustomers(tag_service_pb2.ListCustomersRequest(without_advisor=True))
    )
    assert widened.code() == grpc.StatusCode.PERMISSION_DENIED
    customer = Caller(subject="app:C1", role=Role.CUSTOMER, customer_id="C1")
    denied = await refused(api(tag, customer).ListCustomers(tag_service_pb2.ListCustomersRequest()))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    # A token belongs to its filters.
    first = await stub.ListCustomers(
        tag_service_pb2.ListCustomersRequest(branch_id="B01", page=paging_pb2.PageRequest(page_size=2))
    )
    reused = await refused(
        stub.ListCustomers(
            tag_service_pb2.ListCustomersRequest(
                branch_id="B02",
                page=paging_pb2.PageRequest(page_size=2, page_token=first.page.next_page_token),
            )
        )
    )
    assert reused.code() == grpc.StatusCode.INVALID_ARGUMENT and reused.details().startswith(
        "page.page_token:"
    )
    for bad, field in (
        (tag_service_pb2.ListCustomersRequest(branch_id="B 1"), "branch_id"),
        (tag_service_pb2.ListCustomersRequest(advisor_id="A01", without_advisor=True), "without_advisor"),
        (tag_service_pb2.ListCustomersRequest(page=paging_pb2.PageRequest(page_size=-1)), "page.page_size"),
    ):
        error = await refused(stub.ListCustomers(bad))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith(f"{field}:")


async def _total(
    stub: tag_service_pb2_grpc.TagServiceStub, request: tag_service_pb2.ListCustomersRequest
) -> bool:
    return (await stub.ListCustomers(request)).page.total_size == 5


def _trade(trade_id: str, account: str = "F1", **extra: Any) -> customer_pb2.Trade:
    stamp = timestamp_pb2.Timestamp()
    stamp.GetCurrentTime()
    values: dict[str, Any] = {
        "trade_id": trade_id,
        "account_id": account,
        "security_code": "600519.SH",
        "side": customer_pb2.TRADE_SIDE_BUY,
        "quantity": decimal_pb2.Decimal(value="100"),
        "price": decimal_pb2.Money(amount="1500.5"),
        "traded_at": stamp,
        **extra,
    }
    return customer_pb2.Trade(**values)


async def test_trades_are_recorded_once_and_validated_per_field(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    await add(tag, "C2", "B01", "A01")
    stub = api(tag)
    for account, owner in (("F1", "C1"), ("F2", "C2")):
        await stub.UpsertAccount(
            tag_service_pb2.UpsertAccountRequest(
                account=customer_pb2.FundAccount(
                    account_id=account, customer_id=owner, account_type=customer_pb2.ACCOUNT_TYPE_CASH
                )
            )
        )
    first = await stub.RecordTrades(tag_service_pb2.RecordTradesRequest(trades=[_trade("T1"), _trade("T2")]))
    assert (first.recorded, first.duplicates) == (2, 0)
    again = await stub.RecordTrades(
        tag_service_pb2.RecordTradesRequest(trades=[_trade("T2"), _trade("T3"), _trade("T3")])
    )
    assert (again.recorded, again.duplicates) == (1, 2)
    timeline = await stub.ListTimeline(
        tag_service_pb2.ListTimelineRequest(customer_id="C1", kinds=[customer_pb2.TIMELINE_KIND_TRADE])
    )
    assert sorted(entry.entry_id for entry in timeline.entries) == ["t:T1", "t:T2", "t:T3"]
    assert timeline.entries[0].properties["amount"] == "150050.00"  # quantity × price when not given
    for trades, field in (
        ([_trade("T9", account="F404")], "trades[0].account_id"),
        ([_trade("T9"), _trade("T10", customer_id="C1", account="F2")], "trades[1].customer_id"),
        ([_trade("T9", side=0)], "trades[0].side"),
        ([_trade("T9", quantity=decimal_pb2.Decimal(value="-5"))], "trades[0].quantity"),
        ([_trade("")], "trades[0].trade_id"),
        ([], "trades"),
    ):
        error = await refused(stub.RecordTrades(tag_service_pb2.RecordTradesRequest(trades=trades)))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, field
        assert error.details().startswith(f"{field}:")
    advisor = await refused(
        api(tag, ADVISOR_A01).RecordTrades(tag_service_pb2.RecordTradesRequest(trades=[_trade("T9")]))
    )
    assert advisor.code() == grpc.StatusCode.PERMISSION_DENIED
    async with tag.context.engine.connect() as connection:
        count = (await connection.execute(sa.text("SELECT count(*) FROM tag.trades"))).scalar_one()
    assert count == 3  # nothing of a refused request was stored


async def test_watchlist_is_changed_by_its_customer_and_shown_in_360(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    await add(tag, "C2", "B01", "A01")
    me = Caller(subject="app:C1", role=Role.CUSTOMER, customer_id="C1")
    stub = api(tag, me)
    first = await stub.UpdateWatchlist(
        tag_service_pb2.UpdateWatchlistRequest(
            customer_id="C1", add_security_codes=["600519.SH", "510050.SH"]
        )
    )
    assert sorted(entry.security_code for entry in first.watchlist) == ["510050.SH", "600519.SH"]
    second = await stub.UpdateWatchlist(
        tag_service_pb2.UpdateWatchlistRequest(
            customer_id="C1",
            add_security_codes=["600519.SH"],
            remove_security_codes=["510050.SH", "000001.SZ"],
        )
    )
    assert [entry.security_code for entry in second.watchlist] == ["600519.SH"]
    full = await api(tag).GetCustomer(
        tag_service_pb2.GetCustomerRequest(customer_id="C1", view=tag_service_pb2.CUSTOMER_VIEW_FULL)
    )
    assert [entry.security_code for entry in full.watchlist] == ["600519.SH"]
    other = await refused(
        stub.UpdateWatchlist(
            tag_service_pb2.UpdateWatchlistRequest(customer_id="C2", add_security_codes=["X1"])
        )
    )
    assert other.code() == grpc.StatusCode.PERMISSION_DENIED
    for request, field in (
        (tag_service_pb2.UpdateWatchlistRequest(customer_id="C1"), "add_security_codes"),
        (
            tag_service_pb2.UpdateWatchlistRequest(
                customer_id="C1", add_security_codes=["ok.SH", "bad code"]
            ),
            "add_security_codes[1]",
        ),
        (
            tag_service_pb2.UpdateWatchlistRequest(
                customer_id="C1", add_security_codes=["A.SH"], remove_security_codes=["A.SH"]
            ),
            "remove_security_codes[0]",
        ),
    ):
        error = await refused(stub.UpdateWatchlist(request))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith(f"{field}:")


async def test_external_assets_are_validated_stored_and_shown(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    stub = api(tag)
    stored = await stub.SetExternalAssets(
        tag_service_pb2.SetExternalAssetsRequest(
            customer_id="C1",
            external_assets=customer_pb2.ExternalAssets(
                external_market_value=decimal_pb2.Money(amount="2500000"),
                as_of=date_pb2.Date(year=2026, month=11, day=20),
                source="vendor:wind",
            ),
        )
    )
    assert stored.external_assets.external_market_value.amount == "2500000.00"
    full = await stub.GetCustomer(
        tag_service_pb2.GetCustomerRequest(customer_id="C1", view=tag_service_pb2.CUSTOMER_VIEW_FULL)
    )
    assert full.external_assets.source == "vendor:wind" and full.external_assets.as_of.day == 20
    for assets, field in (
        (
            customer_pb2.ExternalAssets(external_market_value=decimal_pb2.Money(amount="-1")),
            "external_assets.external_market_value.amount",
        ),
        (
            customer_pb2.ExternalAssets(external_market_value=decimal_pb2.Money(amount="abc")),
            "external_assets.external_market_value.amount",
        ),
        (
            customer_pb2.ExternalAssets(
                external_market_value=decimal_pb2.Money(amount="1"),
                as_of=date_pb2.Date(year=2026, month=2, day=30),
            ),
            "external_assets.as_of",
        ),
    ):
        error = await refused(
            stub.SetExternalAssets(
                tag_service_pb2.SetExternalAssetsRequest(customer_id="C1", external_assets=assets)
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith(f"{field}:")
    unknown = await refused(
        stub.SetExternalAssets(
            tag_service_pb2.SetExternalAssetsRequest(
                customer_id="NOPE",
                external_assets=customer_pb2.ExternalAssets(
                    external_market_value=decimal_pb2.Money(amount="1")
                ),
            )
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND


def _anonymous_view(device: str) -> ingest_pb2.BehaviorEvent:
    stamp = timestamp_pb2.Timestamp()
    stamp.GetCurrentTime()
    return ingest_pb2.BehaviorEvent(
        meta=event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="gateway"),
        source_kind=ingest_pb2.INGEST_SOURCE_KIND_SEGMENT,
        source_id="app",
        type=ingest_pb2.BEHAVIOR_TYPE_TRACK,
        event_name="ViewStock",
        anonymous_id=device,
        event_time=stamp,
    )


async def test_identity_link_attributes_earlier_events_resolves_and_unlinks(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    batch_id = str(uuid.uuid4())
    batch = ingest_pb2.BehaviorBatch(
        meta=event_meta_pb2.EventMeta(event_id=batch_id, producer="gateway"),
        source_kind=ingest_pb2.INGEST_SOURCE_KIND_SEGMENT,
        source_id="app",
        events=[_anonymous_view("dev-123"), _anonymous_view("dev-123")],
    )
    await tag.context.bus.publish(batch, msg_id=batch_id)

    async def stored() -> bool:
        async with tag.context.engine.connect() as connection:
            return (
                await connection.execute(
                    sa.text("SELECT count(*) FROM tag.behavior_events WHERE customer_id IS NULL")
                )
            ).scalar_one() == 2

    await eventually(stored, "anonymous events stored")
    stub = api(tag)
    link = customer_pb2.IdentityLink(
        identity_type=customer_pb2.IDENTITY_TYPE_DEVICE, value="dev-123", customer_id="C1", source_id="app"
    )
    linked = await stub.LinkIdentity(tag_service_pb2.LinkIdentityRequest(link=link))
    assert linked.events_attributed == 2 and linked.link.value != "dev-123"  # masked
    again = await stub.LinkIdentity(tag_service_pb2.LinkIdentityRequest(link=link))
    assert again.events_attributed == 0
    resolve = tag_service_pb2.ResolveIdentityRequest(
        identity_type=customer_pb2.IDENTITY_TYPE_DEVICE, value="dev-123", source_id="app"
    )
    assert (await stub.ResolveIdentity(resolve)).customer_id == "C1"
    assert (await api(tag, ADVISOR_A01).ResolveIdentity(resolve)).customer_id == "C1"
    other_advisor = Caller(subject="u-a9", role=Role.ADVISOR, advisor_id="A09")
    assert (await api(tag, other_advisor).ResolveIdentity(resolve)).customer_id == ""
    async with tag.context.engine.connect() as connection:
        payloads = (
            await connection.execute(
                sa.select(outbox.c.payload).where(outbox.c.subject == "lingxi.tag.identity.linked")
            )
        ).all()
    announced = [tag_events_pb2.IdentityLinked.FromString(row.payload) for row in payloads]
    assert [(e.customer_id, e.events_attributed) for e in announced] == [("C1", 2), ("C1", 0)]
    assert "dev-123" not in str(announced[0])
    await stub.UnlinkIdentity(
        tag_service_pb2.UnlinkIdentityRequest(
            identity_type=customer_pb2.IDENTITY_TYPE_DEVICE, value="dev-123", source_id="app"
        )
    )
    assert (await stub.ResolveIdentity(resolve)).customer_id == ""
    gone = await refused(
        stub.UnlinkIdentity(
            tag_service_pb2.UnlinkIdentityRequest(
                identity_type=customer_pb2.IDENTITY_TYPE_DEVICE, value="dev-123", source_id="app"
            )
        )
    )
    assert gone.code() == grpc.StatusCode.NOT_FOUND
    for bad, field in (
        (customer_pb2.IdentityLink(value="x", customer_id="C1", source_id="app"), "link.identity_type"),
        (customer_pb2.IdentityLink(identity_type=1, customer_id="C1", source_id="app"), "link.value"),
        (customer_pb2.IdentityLink(identity_type=1, value="x", customer_id="C1"), "link.source_id"),
    ):
        error = await refused(stub.LinkIdentity(tag_service_pb2.LinkIdentityRequest(link=bad)))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith(f"{field}:")
    unknown = await refused(
        stub.LinkIdentity(
            tag_service_pb2.LinkIdentityRequest(
                link=customer_pb2.IdentityLink(
                    identity_type=customer_pb2.IDENTITY_TYPE_WECHAT_OPENID, value="oABC", customer_id="NOPE"
                )
            )
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND
    denied = await refused(api(tag, ADVISOR_A01).LinkIdentity(tag_service_pb2.LinkIdentityRequest(link=link)))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_audience_index_follows_branch_and_advisor_moves_without_restart(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    await add(tag, "C2", "B01", "A01")
    index = runtime_for(tag.context).index

    async def scope_sizes() -> tuple[int, int, int, int]:
        await index.refresh()
        return (
            len(index.branches.get("B01", [])),
            len(index.branches.get("B02", [])),
            len(index.advisors.get("A01", [])),
            len(index.advisors.get("A02", [])),
        )

    await eventually(lambda: _equals(scope_sizes, (2, 0, 2, 0)), "both customers indexed")
    moved = customer_pb2.Customer(customer_id="C2", branch_id="B02", advisor_id="A02")
    await api(tag).UpsertCustomer(
        tag_service_pb2.UpsertCustomerRequest(
            customer=moved, update_mask={"paths": ["branch_id", "advisor_id"]}
        )
    )
    await eventually(lambda: _equals(scope_sizes, (1, 1, 1, 1)), "C2 moved to B02/A02")
    hq = customer_pb2.Customer(customer_id="C1", advisor_id="")
    await api(tag).UpsertCustomer(
        tag_service_pb2.UpsertCustomerRequest(customer=hq, update_mask={"paths": ["advisor_id"]})
    )
    await eventually(lambda: _equals(scope_sizes, (1, 1, 0, 1)), "C1 served by HQ")
    # What scoped callers may select follows too.
    manager_b02 = Caller(subject="u-bm2", role=Role.BRANCH_MANAGER, branch_id="B02")
    assert len(index.scope_of(manager_b02)) == 1
    assert len(index.with_advisor) == 1 and len(index.everyone) == 2


async def _equals(check: Callable[[], Awaitable[T]], expected: T) -> bool:
    return await check() == expected


async def test_snapshots_are_listed_newest_first_within_scope(tag: ServiceRunner) -> None:
    await add(tag, "C1", "B01", "A01")
    await add(tag, "C2", "B02", "A02")
    hq, manager = audiences(tag), audiences(tag, MANAGER_B01)
    for name, purpose in (("spring", "campaign:cmp_1"), ("summer", "campaign:cmp_2"), ("50%_off", "")):
        await hq.CreateAudienceSnapshot(
            audience_service_pb2.CreateAudienceSnapshotRequest(
                name=name,
                members=audience_service_pb2.ExplicitMembers(customer_ids=["C1", "C2"]),
                purpose=purpose,
            )
        )
    await manager.CreateAudienceSnapshot(
        audience_service_pb2.CreateAudienceSnapshotRequest(
            name="branch list", members=audience_service_pb2.ExplicitMembers(customer_ids=["C1", "C2"])
        )
    )
    everything = await hq.ListAudienceSnapshots(audience_service_pb2.ListAudienceSnapshotsRequest())
    assert [s.name for s in everything.snapshots] == ["branch list", "50%_off", "summer", "spring"]
    first = await hq.ListAudienceSnapshots(
        audience_service_pb2.ListAudienceSnapshotsRequest(
            query="campaign", page=paging_pb2.PageRequest(page_size=1)
        )
    )
    rest = await hq.ListAudienceSnapshots(
        audience_service_pb2.ListAudienceSnapshotsRequest(
            query="campaign", page=paging_pb2.PageRequest(page_token=first.page.next_page_token)
        )
    )
    assert [s.name for s in (*first.snapshots, *rest.snapshots)] == ["summer", "spring"]
    assert not rest.page.next_page_token
    literal = await hq.ListAudienceSnapshots(audience_service_pb2.ListAudienceSnapshotsRequest(query="0%"))
    assert [s.name for s in literal.snapshots] == ["50%_off"]  # % is matched literally
    own = await manager.ListAudienceSnapshots(audience_service_pb2.ListAudienceSnapshotsRequest())
    assert [(s.name, s.count) for s in own.snapshots] == [("branch list", 1)]
    error = await refused(
        hq.ListAudienceSnapshots(
            audience_service_pb2.ListAudienceSnapshotsRequest(
                query="other", page=paging_pb2.PageRequest(page_token=first.page.next_page_token)
            )
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith("page.page_token:")


async def test_catalog_lists_versions_categories_and_aggregates(tag: ServiceRunner) -> None:
    from lingxi.tag.v1 import tag_definition_pb2, tag_definition_service_pb2, tag_definition_service_pb2_grpc

    stub = tag_definition_service_pb2_grpc.TagDefinitionServiceStub(channel_to(tag, HQ))

    async def library() -> bool:
        listed = await stub.ListAggregateDefinitions(
            tag_definition_service_pb2.ListAggregateDefinitionsRequest()
        )
        return len(listed.definitions) >= 10

    await eventually(library, "built-in library installed")
    categories = await stub.ListTagCategories(tag_definition_service_pb2.ListTagCategoriesRequest())
    assert len(categories.categories) >= 5
    parent = categories.categories[0].code
    made = await stub.UpsertTagCategory(
        tag_definition_service_pb2.UpsertTagCategoryRequest(
            category=tag_definition_pb2.TagCategory(
                code="vip_programs", display_name="VIP", parent_code=parent
            )
        )
    )
    assert made.category.parent_code == parent
    renamed = await stub.UpsertTagCategory(
        tag_definition_service_pb2.UpsertTagCategoryRequest(
            category=tag_definition_pb2.TagCategory(code="vip_programs", display_name="VIP 计划", ordinal=3)
        )
    )
    assert (renamed.category.display_name, renamed.category.parent_code) == ("VIP 计划", "")
    for category, field in (
        (tag_definition_pb2.TagCategory(code="Bad Code", display_name="x"), "category.code"),
        (tag_definition_pb2.TagCategory(code="ok_code", display_name=""), "category.display_name"),
        (
            tag_definition_pb2.TagCategory(code="ok_code", display_name="x", parent_code="nope"),
            "category.parent_code",
        ),
    ):
        error = await refused(
            stub.UpsertTagCategory(tag_definition_service_pb2.UpsertTagCategoryRequest(category=category))
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and error.details().startswith(f"{field}:")
    manager = tag_definition_service_pb2_grpc.TagDefinitionServiceStub(channel_to(tag, MANAGER_B01))
    denied = await refused(
        manager.UpsertTagCategory(
            tag_definition_service_pb2.UpsertTagCategoryRequest(
                category=tag_definition_pb2.TagCategory(code="x_cat", display_name="x")
            )
        )
    )
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    versions = await stub.ListTagDefinitionVersions(
        tag_definition_service_pb2.ListTagDefinitionVersionsRequest(code="dormant")
    )
    assert [d.version for d in versions.definitions] == [1] and versions.definitions[0].code == "dormant"
    unknown = await refused(
        stub.ListTagDefinitionVersions(
            tag_definition_service_pb2.ListTagDefinitionVersionsRequest(code="nope_tag")
        )
    )
    assert unknown.code() == grpc.StatusCode.NOT_FOUND
    aggregates = await stub.ListAggregateDefinitions(
        tag_definition_service_pb2.ListAggregateDefinitionsRequest()
    )
    assert all(a.window.seconds % 86400 == 0 and a.measure for a in aggregates.definitions)
