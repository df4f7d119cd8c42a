"""ExportSnapshotMembers: a snapshot in large pages of packed ids, under the snapshot's scope."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from test_behavior_tags import HQ, add_customer, wait_until
from test_definitions_audiences import MANAGER_B02, audience

from lingxi.common.v1 import paging_pb2
from lingxi.tag.v1 import audience_service_pb2
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_tag import audiences

pytestmark = pytest.mark.integration

CUSTOMERS = [f"X{i:03d}" for i in range(60)]


async def _export(runner: ServiceRunner, snapshot_id: str, caller: Caller = HQ) -> tuple[list[str], int, int]:
    """(ids in page order, pages, total_size)."""
    ids: list[str] = []
    pages = total = 0
    token = ""
    while True:
        page = await audience(runner, caller).ExportSnapshotMembers(
            audience_service_pb2.ExportSnapshotMembersRequest(
                snapshot_id=snapshot_id, page=paging_pb2.PageRequest(page_token=token)
            )
        )
        part = page.customer_ids.decode().split("\n") if page.count else []
        assert len(part) == page.count
        ids.extend(part)
        pages += 1
        total = page.page.total_size
        token = page.page.next_page_token
        if not token:
            return ids, pages, total


async def _snapshot(runner: ServiceRunner, caller: Caller, **source: object) -> str:
    created = await audience(runner, caller).CreateAudienceSnapshot(
        audience_service_pb2.CreateAudienceSnapshotRequest(name="export", **source)
    )
    return created.snapshot.snapshot_id


async def test_export_streams_dense_and_sparse_members_in_number_order(
    tag: ServiceRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for customer_id in CUSTOMERS:  # one at a time: customer numbers follow this order
        await add_customer(tag, customer_id, branch="B02" if customer_id < "X030" else "B01")

    async def indexed() -> bool:
        estimate = await audience(tag).EstimateAudience(
            audience_service_pb2.EstimateAudienceRequest(expression='risk_level >= "C1"')
        )
        return estimate.count == len(CUSTOMERS)

    await wait_until(indexed, "index has every customer")
    # Small pages (by count, then by bytes), so a handful of customers crosses every boundary.
    monkeypatch.setattr(audiences, "EXPORT_PAGE", 25)

    everyone = await _snapshot(tag, HQ, expression='risk_level >= "C1"')
    ids, pages, total = await _export(tag, everyone)
    assert ids == CUSTOMERS  # dense pages: read by range and filtered, in customer number order
    assert total == len(CUSTOMERS) and pages == 3
    monkeypatch.setattr(audiences, "EXPORT_PAGE_BYTES", 40)  # 8 ids of "X000\n"
    ids, pages, _ = await _export(tag, everyone)
    assert ids == CUSTOMERS and pages == 8

    # Two members 59 numbers apart in one page: looked up by number rather than scanning the range.
    sparse = await _snapshot(tag, HQ, members={"customer_ids": ["X059", "X000"]})
    assert (await _export(tag, sparse))[0] == ["X000", "X059"]

    # Every other customer: dense enough to scan, the filter drops the rest.
    halves = CUSTOMERS[::2]
    assert (await _export(tag, await _snapshot(tag, HQ, members={"customer_ids": halves})))[0] == halves


async def test_export_applies_the_snapshot_scope_and_validates(tag: ServiceRunner) -> None:
    await asyncio.gather(*(add_customer(tag, c, branch="B02") for c in ("Y1", "Y2")))

    async def indexed() -> bool:
        estimate = await audience(tag, MANAGER_B02).EstimateAudience(
            audience_service_pb2.EstimateAudienceRequest(expression='risk_level >= "C1"')
        )
        return estimate.count == 2

    await wait_until(indexed, "index has the customers")
    snapshot_id = await _snapshot(tag, MANAGER_B02, expression='risk_level >= "C1"')
    ids, _, total = await _export(tag, snapshot_id, MANAGER_B02)
    assert sorted(ids) == ["Y1", "Y2"] and total == 2
    other = Caller(subject="x", role=Role.BRANCH_MANAGER, branch_id="B01")
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        await _export(tag, snapshot_id, other)
    assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await _export(tag, "")
    assert missing.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "snapshot_id" in (missing.value.details() or "")

    empty = await _snapshot(tag, HQ, members={"customer_ids": ["nobody"]})
    assert await _export(tag, empty) == ([], 1, 0)
