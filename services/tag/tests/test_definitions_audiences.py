"""Tag definitions (CEL rules, versions, preview, activation, retirement) and bitmap audiences."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from test_behavior_tags import HQ, add_customer, stub, tags_of, wait_until

from lingxi.common.v1 import decimal_pb2
from lingxi.tag.v1 import (
    audience_pb2,
    audience_service_pb2,
    audience_service_pb2_grpc,
    customer_pb2,
    tag_definition_service_pb2,
    tag_definition_service_pb2_grpc,
    tag_service_pb2,
)
from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to
from lingxi_tag import library

pytestmark = pytest.mark.integration

MANAGER_B02 = Caller(subject="u-bm", role=Role.BRANCH_MANAGER, branch_id="B02")


def defs(
    runner: ServiceRunner, caller: Caller = HQ
) -> tag_definition_service_pb2_grpc.TagDefinitionServiceStub:
    return tag_definition_service_pb2_grpc.TagDefinitionServiceStub(channel_to(runner, caller))


def audience(runner: ServiceRunner, caller: Caller = HQ) -> audience_service_pb2_grpc.AudienceServiceStub:
    return audience_service_pb2_grpc.AudienceServiceStub(channel_to(runner, caller))


async def give_assets(runner: ServiceRunner, customer_id: str, total: str, cash: str = "0") -> None:
    await stub(runner).UpsertAccount(
        tag_service_pb2.UpsertAccountRequest(
            account=customer_pb2.FundAccount(
                account_id=f"F{customer_id}",
                customer_id=customer_id,
                account_type=customer_pb2.ACCOUNT_TYPE_CASH,
                total_assets=decimal_pb2.Money(amount=total),
                cash_balance=decimal_pb2.Money(amount=cash),
            )
        )
    )


def test_builtin_library_covers_the_domain() -> None:
    assert len(library.TAGS) >= 40
    assert len({tag.code for tag in library.TAGS}) == len(library.TAGS)
    assert all(len(tag.description) > 20 for tag in library.TAGS)
    codes = {tag.code for tag in library.TAGS}
    assert {
        "asset_tier",
        "lifecycle_stage",
        "investment_style",
        "stock_picking_ability",
        "timing_ability",
        "risk_level",
        "risk_assessment_expired",
        "wealth_management_potential",
        "advisory_potential",
        "margin_potential",
        "high_external_market_value",
        "churned_stock_trader",
        "high_cash_balance",
        "live_stream_fan",
        "diversified_holder",
        "concentrated_holder",
        "holding_in_heavy_loss",
        "dormant",
        "new_customer",
        "margin_near_warning",
    } <= codes


async def test_invalid_rules_are_refused_with_position(tag: ServiceRunner) -> None:
    api = defs(tag)
    cases = {
        "customer.total_assets > ": "line 1, column 25 (offset 24)",
        "customer.no_such_field > 1": "unknown customer field 'no_such_field'",
        "agg.unknown_aggregate > 1": "unknown behaviour aggregate 'unknown_aggregate'",
        "customer.city + 1 > 2": "evaluation fails",
        "__import__('os')": "unknown function '__import__'",
        "os.system('x')": "unknown variable 'os'",
    }
    for rule, expected in cases.items():
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await api.CreateTagDefinition(
                tag_definition_service_pb2.CreateTagDefinitionRequest(
                    definition=defs_pb2.TagDefinition(
                        code="bad_rule",
                        display_name="x",
                        category_code="assets",
                        rule=rule,
                        value_type=defs_pb2.TAG_VALUE_TYPE_BOOL,
                        refresh_mode=defs_pb2.REFRESH_MODE_REALTIME,
                    )
                )
            )
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, rule
        assert expected in (refused.value.details() or ""), (rule, refused.value.details())
    checked = await api.ValidateTagRule(
        tag_definition_service_pb2.ValidateTagRuleRequest(rule="customer.x >")
    )
    assert not checked.valid and checked.errors[0].line == 1 and checked.errors[0].column > 1
    good = await api.ValidateTagRule(
        tag_definition_service_pb2.ValidateTagRuleRequest(
            rule="customer.tenure_days < 30 && agg.searches_30d > 1.0"
        )
    )
    assert good.valid and not good.realtime_capable
    assert list(good.inputs) == ["agg.searches_30d", "customer.tenure_days"]


async def test_definition_lifecycle_preview_activate_retire(tag: ServiceRunner) -> None:
    for n, total in enumerate(["50000", "250000", "400000"]):
        await add_customer(tag, f"D{n}")
        await give_assets(tag, f"D{n}", total)
    api = defs(tag)
    created = await api.CreateTagDefinition(
        tag_definition_service_pb2.CreateTagDefinitionRequest(
            definition=defs_pb2.TagDefinition(
                code="over_200k",
                display_name="Over 200k",
                category_code="assets",
                owner="ops",
                description="Total assets above 200,000",
                rule="customer.total_assets > 200000.0",
                value_type=defs_pb2.TAG_VALUE_TYPE_BOOL,
                refresh_mode=defs_pb2.REFRESH_MODE_REALTIME,
            )
        )
    )
    assert created.definition.status == defs_pb2.TAG_STATUS_DRAFT and created.definition.inputs == [
        "customer.total_assets"
    ]
    preview = await api.PreviewTagDefinition(
        tag_definition_service_pb2.PreviewTagDefinitionRequest(code="over_200k", sample_size=5)
    )
    assert (preview.count, preview.evaluated) == (2, 3) and set(preview.sample_customer_ids) == {"D1", "D2"}
    assert "over_200k" not in await tags_of(tag, "D1")  # a preview writes nothing
    activated = await api.ActivateTagDefinition(
        tag_definition_service_pb2.ActivateTagDefinitionRequest(code="over_200k")
    )
    assert activated.definition.status == defs_pb2.TAG_STATUS_ACTIVE and activated.recompute.job_id

    async def job_done() -> bool:
        job = await api.GetRecompute(
            tag_definition_service_pb2.GetRecomputeRequest(job_id=activated.recompute.job_id)
        )
        return job.job.state == defs_pb2.RECOMPUTE_STATE_SUCCEEDED

    await wait_until(job_done, "activation recompute")
    assert "over_200k" in await tags_of(tag, "D1") and "over_200k" not in await tags_of(tag, "D0")

    # Editing an active tag makes version 2 a draft; version 1 stays in force until activation.
    edited = await api.UpdateTagDefinition(
        tag_definition_service_pb2.UpdateTagDefinitionRequest(
            definition=defs_pb2.TagDefinition(code="over_200k", rule="customer.total_assets > 300000.0"),
            update_mask={"paths": ["rule"]},
        )
    )
    assert edited.definition.version == 2 and edited.definition.status == defs_pb2.TAG_STATUS_DRAFT
    current = await api.GetTagDefinition(tag_definition_service_pb2.GetTagDefinitionRequest(code="over_200k"))
    assert current.definition.version == 1
    retired = await api.RetireTagDefinition(
        tag_definition_service_pb2.RetireTagDefinitionRequest(code="over_200k")
    )
    assert retired.definition.status == defs_pb2.TAG_STATUS_RETIRED
    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await audience(tag).EstimateAudience(
            audience_service_pb2.EstimateAudienceRequest(expression="over_200k")
        )
    assert gone.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as denied:
        await defs(tag, Caller(subject="a", role=Role.ADVISOR, advisor_id="A01")).RetireTagDefinition(
            tag_definition_service_pb2.RetireTagDefinitionRequest(code="asset_tier")
        )
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_audience_estimate_scope_export_and_snapshots(tag: ServiceRunner) -> None:
    plan: list[tuple[str, str, str, str]] = [
        ("E1", "B01", "1200000", "600000"),
        ("E2", "B02", "700000", "10000"),
        ("E3", "B02", "20000", "0"),
        ("E4", "B02", "1500000", "200000"),
    ]
    for customer_id, branch, total, cash in plan:
        await add_customer(tag, customer_id, branch=branch)
        await give_assets(tag, customer_id, total, cash)
    api = audience(tag)
    expression = 'asset_tier in ["w50_100", "w100_plus"] && !high_cash_balance'

    async def estimate(caller: Caller = HQ, text: str = expression) -> Any:
        return await audience(tag, caller).EstimateAudience(
            audience_service_pb2.EstimateAudienceRequest(
                expression=text,
                breakdowns=[
                    audience_pb2.AUDIENCE_BREAKDOWN_BRANCH,
                    audience_pb2.AUDIENCE_BREAKDOWN_ASSET_TIER,
                ],
            )
        )

    async def settled() -> bool:
        return (await estimate()).count == 2  # E2 and E4 (E1 has a high cash balance)

    await wait_until(settled, "index follows the tag changes")
    result = await estimate()
    assert {b.key: b.count for b in result.breakdowns[0].buckets} == {"B02": 2}
    assert {b.key: b.count for b in result.breakdowns[1].buckets} == {"w50_100": 1, "w100_plus": 1}
    scoped = await estimate(MANAGER_B02, "asset_tier == \"w100_plus\" OR asset_tier == 'w0_3'")
    assert scoped.count == 2 and scoped.scope_total == 3  # E4 and E3; E1 is another branch's
    numeric = await estimate(HQ, 'risk_level >= "C3" && NOT (asset_tier == "w0_3")')
    assert numeric.count == 3

    for text, code in (
        ("asset_tier in [", grpc.StatusCode.INVALID_ARGUMENT),
        ("no_such_tag && dormant", grpc.StatusCode.NOT_FOUND),
        ("asset_tier ==", grpc.StatusCode.INVALID_ARGUMENT),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await estimate(HQ, text)
        assert refused.value.code() == code, text
        if code == grpc.StatusCode.NOT_FOUND:
            assert "no_such_tag" in (refused.value.details() or "")
        else:
            assert "line 1, column" in (refused.value.details() or "")

    first = await api.ExportAudience(
        audience_service_pb2.ExportAudienceRequest(expression="has_advisor", page={"page_size": 3})
    )
    rest = await api.ExportAudience(
        audience_service_pb2.ExportAudienceRequest(
            expression="has_advisor", page={"page_size": 3, "page_token": first.page.next_page_token}
        )
    )
    assert sorted([*first.customer_ids, *rest.customer_ids]) == ["E1", "E2", "E3", "E4"]
    assert first.page.total_size == 4 and not rest.page.next_page_token

    created = await audience(tag, MANAGER_B02).CreateAudienceSnapshot(
        audience_service_pb2.CreateAudienceSnapshotRequest(
            name="B02 rich", expression=expression, request_id="r1", purpose="campaign:c1"
        )
    )
    repeat = await audience(tag, MANAGER_B02).CreateAudienceSnapshot(
        audience_service_pb2.CreateAudienceSnapshotRequest(
            name="B02 rich", expression=expression, request_id="r1"
        )
    )
    assert repeat.snapshot.snapshot_id == created.snapshot.snapshot_id and created.snapshot.count == 2
    # The snapshot is frozen: later tag changes do not alter its members.
    await give_assets(tag, "E3", "2000000")
    members = await audience(tag, MANAGER_B02).ListSnapshotMembers(
        audience_service_pb2.ListSnapshotMembersRequest(snapshot_id=created.snapshot.snapshot_id)
    )
    assert sorted(members.customer_ids) == ["E2", "E4"]
    check = await api.CheckSnapshotMembership(
        audience_service_pb2.CheckSnapshotMembershipRequest(
            snapshot_id=created.snapshot.snapshot_id, customer_ids=["E1", "E2", "E3"]
        )
    )
    assert list(check.member_customer_ids) == ["E2"]
    explicit = await api.CreateAudienceSnapshot(
        audience_service_pb2.CreateAudienceSnapshotRequest(
            name="list", members={"customer_ids": ["E1", "E2", "nobody"]}
        )
    )
    assert explicit.snapshot.count == 2 and explicit.dropped == 1
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        await audience(
            tag, Caller(subject="x", role=Role.BRANCH_MANAGER, branch_id="B01")
        ).GetAudienceSnapshot(
            audience_service_pb2.GetAudienceSnapshotRequest(snapshot_id=created.snapshot.snapshot_id)
        )
    assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
