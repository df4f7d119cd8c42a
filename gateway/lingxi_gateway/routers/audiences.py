"""Audiences (客群圈选) through the gateway: estimate, export and immutable snapshots.

The tag service evaluates expressions on its bitmap index and restricts every result to the
caller's data scope; a bad expression comes back as 400 naming line and column, an unknown tag as
404 naming it — the gateway only shapes JSON.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field, model_validator

from lingxi.common.v1 import paging_pb2
from lingxi.tag.v1 import audience_pb2, audience_service_pb2, audience_service_pb2_grpc
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1/audiences", tags=["audiences"])

BreakdownName = Literal["branch", "asset_tier", "risk_level", "lifecycle_stage", "advisor_coverage"]
_BREAKDOWNS = {
    "branch": audience_pb2.AUDIENCE_BREAKDOWN_BRANCH,
    "asset_tier": audience_pb2.AUDIENCE_BREAKDOWN_ASSET_TIER,
    "risk_level": audience_pb2.AUDIENCE_BREAKDOWN_RISK_LEVEL,
    "lifecycle_stage": audience_pb2.AUDIENCE_BREAKDOWN_LIFECYCLE_STAGE,
    "advisor_coverage": audience_pb2.AUDIENCE_BREAKDOWN_ADVISOR_COVERAGE,
}
_NAMES = {value: key for key, value in _BREAKDOWNS.items()}


class EstimateIn(BaseModel):
    expression: str = Field(
        min_length=1, max_length=20_000, examples=['asset_tier in ["w50_100"] && live_stream_fan']
    )
    breakdowns: list[BreakdownName] = Field(default_factory=list, max_length=5)


class ExportIn(BaseModel):
    expression: str = Field(min_length=1, max_length=20_000)
    page_size: int = Field(default=1000, ge=1, le=10_000)
    page_token: str = ""


class SnapshotIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    expression: str | None = Field(default=None, max_length=20_000)
    customer_ids: list[str] | None = Field(default=None, max_length=1_000_000)
    purpose: str = Field(default="", max_length=200)
    request_id: str = Field(
        default="", max_length=128, description="repeat with the same id → the same snapshot"
    )

    @model_validator(mode="after")
    def _one_source(self) -> SnapshotIn:
        if (self.expression is None) == (self.customer_ids is None):
            raise ValueError("give exactly one of expression or customer_ids")
        return self


def _stub(upstream: Any) -> audience_service_pb2_grpc.AudienceServiceStub:
    return audience_service_pb2_grpc.AudienceServiceStub(upstream.channel("tag"))


def _snapshot_json(snapshot: audience_pb2.AudienceSnapshot) -> dict[str, Any]:
    return MessageToDict(
        snapshot, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


@router.post("/estimate", summary="Count the customers an expression selects (within your scope)")
async def estimate(body: EstimateIn, upstream: UpstreamDep) -> dict[str, Any]:
    result = await _stub(upstream).EstimateAudience(
        audience_service_pb2.EstimateAudienceRequest(
            expression=body.expression, breakdowns=[_BREAKDOWNS[name] for name in body.breakdowns]
        )
    )
    return {
        "count": result.count,
        "scope_total": result.scope_total,
        "index_watermark": result.index_watermark,
        "elapsed_us": result.elapsed_us,
        "breakdowns": {
            _NAMES[breakdown.dimension]: [{"key": b.key, "count": b.count} for b in breakdown.buckets]
            for breakdown in result.breakdowns
        },
    }


@router.post("/export", summary="Page through the customer ids an expression selects now")
async def export(body: ExportIn, upstream: UpstreamDep) -> dict[str, Any]:
    result = await _stub(upstream).ExportAudience(
        audience_service_pb2.ExportAudienceRequest(
            expression=body.expression,
            page=paging_pb2.PageRequest(page_size=body.page_size, page_token=body.page_token),
        )
    )
    return {
        "customer_ids": list(result.customer_ids),
        "next_page_token": result.page.next_page_token,
        "total": result.page.total_size,
    }


@router.post("/snapshots", summary="Freeze an audience into an immutable snapshot", status_code=201)
async def create_snapshot(body: SnapshotIn, upstream: UpstreamDep) -> dict[str, Any]:
    request = audience_service_pb2.CreateAudienceSnapshotRequest(
        name=body.name, purpose=body.purpose, request_id=body.request_id
    )
    if body.expression is not None:
        request.expression = body.expression
    else:
        request.members.customer_ids.extend(body.customer_ids or [])
    result = await _stub(upstream).CreateAudienceSnapshot(request)
    return {"snapshot": _snapshot_json(result.snapshot), "dropped": result.dropped}


@router.get(
    "/snapshots", summary="Snapshots of your scope whose name or purpose contains `query`, newest first"
)
async def list_snapshots(
    upstream: UpstreamDep,
    query: Annotated[str, Query(max_length=200)] = "",
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: str = "",
) -> dict[str, Any]:
    result = await _stub(upstream).ListAudienceSnapshots(
        audience_service_pb2.ListAudienceSnapshotsRequest(
            query=query, page=paging_pb2.PageRequest(page_size=page_size, page_token=page_token)
        )
    )
    return {
        "snapshots": [_snapshot_json(snapshot) for snapshot in result.snapshots],
        "next_page_token": result.page.next_page_token,
    }


@router.get("/snapshots/{snapshot_id}", summary="A snapshot's metadata")
async def get_snapshot(snapshot_id: str, upstream: UpstreamDep) -> dict[str, Any]:
    result = await _stub(upstream).GetAudienceSnapshot(
        audience_service_pb2.GetAudienceSnapshotRequest(snapshot_id=snapshot_id)
    )
    return {"snapshot": _snapshot_json(result.snapshot)}


@router.get("/snapshots/{snapshot_id}/members", summary="A snapshot's members, in a stable order")
async def snapshot_members(
    snapshot_id: str,
    upstream: UpstreamDep,
    page_size: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    page_token: str = "",
) -> dict[str, Any]:
    result = await _stub(upstream).ListSnapshotMembers(
        audience_service_pb2.ListSnapshotMembersRequest(
            snapshot_id=snapshot_id, page=paging_pb2.PageRequest(page_size=page_size, page_token=page_token)
        )
    )
    return {
        "customer_ids": list(result.customer_ids),
        "next_page_token": result.page.next_page_token,
        "total": result.page.total_size,
    }
