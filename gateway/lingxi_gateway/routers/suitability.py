"""Suitability checks, their audit trail, and recommendations through the gateway.

The product service decides and enforces data scope (an advisor checks only their customers); the
gateway relays. Decisions come back with their stored id so a console can show the evidence and
compliance can replay it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from lingxi.common.v1 import decimal_pb2
from lingxi.product.v1 import (
    product_pb2,
    recommendation_service_pb2,
    recommendation_service_pb2_grpc,
    suitability_service_pb2,
    suitability_service_pb2_grpc,
)
from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import require_roles
from lingxi_gateway.routers.products import enum_value, page, to_json
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1", tags=["suitability"])
S = suitability_service_pb2
RS = recommendation_service_pb2
Auditor = Annotated[
    Caller,
    Depends(require_roles(Role.COMPLIANCE, Role.HQ_OPERATOR, Role.BRANCH_MANAGER, Role.ADVISOR)),
]
BatchRunner = Annotated[Caller, Depends(require_roles(Role.COMPLIANCE, Role.HQ_OPERATOR, Role.CALL_CENTER))]


def _stub(upstream: Any) -> suitability_service_pb2_grpc.SuitabilityServiceStub:
    return suitability_service_pb2_grpc.SuitabilityServiceStub(upstream.channel("product"))


class CheckIn(BaseModel):
    customer_id: str = Field(min_length=1, max_length=64)
    product_id: str = Field(min_length=1, max_length=64)
    purpose: str = Field(default="recommend", pattern=r"^(recommend|sell)$")
    intended_amount: str | None = Field(
        default=None, pattern=r"^\d+(\.\d{1,2})?$", description="CNY, for a sale"
    )


@router.post("/suitability/checks", summary="Decide whether a product suits a customer (stored for audit)")
async def check(body: CheckIn, upstream: UpstreamDep) -> dict[str, Any]:
    request = S.CheckRequest(
        customer_id=body.customer_id,
        product_id=body.product_id,
        purpose=S.SuitabilityPurpose.Value(f"SUITABILITY_PURPOSE_{body.purpose.upper()}"),
    )
    if body.intended_amount:
        request.intended_amount.CopyFrom(decimal_pb2.Money(amount=body.intended_amount))
    return to_json(await _stub(upstream).Check(request))


class BatchIn(BaseModel):
    product_id: str = Field(min_length=1, max_length=64)
    customer_ids: list[str] = Field(default_factory=list, max_length=100_000)
    snapshot_id: str = Field(default="", max_length=64, description="an audience snapshot of the tag service")
    inline_limit: int = Field(default=1000, ge=0, le=10_000)


@router.post("/suitability/batches", summary="Filter customers (or an audience snapshot) for one product")
async def check_batch(body: BatchIn, _caller: BatchRunner, upstream: UpstreamDep) -> dict[str, Any]:
    request = S.CheckBatchRequest(product_id=body.product_id, inline_limit=body.inline_limit)
    if body.snapshot_id:
        request.snapshot_id = body.snapshot_id
    else:
        request.customers.customer_ids.extend(body.customer_ids)
    return to_json(await _stub(upstream).CheckBatch(request))


@router.get("/suitability/batches/{batch_id}/results", summary="Allowed (or denied) customers of a batch")
async def batch_results(
    batch_id: str,
    _caller: BatchRunner,
    upstream: UpstreamDep,
    denied: bool = False,
    page_size: Annotated[int, Query(ge=0, le=1000)] = 0,
    page_token: str = "",
) -> dict[str, Any]:
    request = S.ListBatchCheckResultsRequest(
        batch_id=batch_id, denied=denied, page=page(page_size, page_token)
    )
    return to_json(await _stub(upstream).ListBatchCheckResults(request))


@router.post(
    "/suitability/batches/{batch_id}:replay",
    summary="Re-decide every customer of a stored batch from its stored inputs (audit)",
)
async def replay_batch(
    batch_id: str,
    _caller: Annotated[Caller, Depends(require_roles(Role.COMPLIANCE, Role.HQ_OPERATOR))],
    upstream: UpstreamDep,
    customer_id: Annotated[str, Query(max_length=64, description="also show this customer's decision")] = "",
) -> dict[str, Any]:
    request = S.ReplayBatchRequest(batch_id=batch_id, customer_id=customer_id)
    return to_json(await _stub(upstream).ReplayBatch(request))


@router.get("/suitability/decisions", summary="Stored decisions about a customer and/or product (audit)")
async def decisions(
    _caller: Auditor,
    upstream: UpstreamDep,
    customer_id: str = "",
    product_id: str = "",
    page_size: Annotated[int, Query(ge=0, le=1000)] = 0,
    page_token: str = "",
) -> dict[str, Any]:
    request = S.ListDecisionsRequest(
        customer_id=customer_id, product_id=product_id, page=page(page_size, page_token)
    )
    return to_json(await _stub(upstream).ListDecisions(request))


@router.get("/suitability/decisions/{decision_id}", summary="One stored decision with its inputs")
async def decision(decision_id: str, _caller: Auditor, upstream: UpstreamDep) -> dict[str, Any]:
    return to_json(await _stub(upstream).GetDecision(S.GetDecisionRequest(decision_id=decision_id)))


@router.post("/suitability/decisions/{decision_id}:replay", summary="Re-decide from the stored inputs")
async def replay(decision_id: str, _caller: Auditor, upstream: UpstreamDep) -> dict[str, Any]:
    return to_json(await _stub(upstream).ReplayDecision(S.ReplayDecisionRequest(decision_id=decision_id)))


@router.get("/recommendations/{customer_id}", summary="Suitable products for a customer, with reasons")
async def recommend(
    customer_id: str,
    upstream: UpstreamDep,
    scene: str = "general",
    security_code: str = "",
    horizon: str = "",
    limit: Annotated[int, Query(ge=0, le=50)] = 10,
) -> dict[str, Any]:
    context = RS.RecommendationContext(
        scene=enum_value(RS.RecommendationScene, "RECOMMENDATION_SCENE_", scene, "scene"),
        security_code=security_code,
        horizon=enum_value(product_pb2.Horizon, "HORIZON_", horizon, "horizon") if horizon else 0,
    )
    stub = recommendation_service_pb2_grpc.RecommendationServiceStub(upstream.channel("product"))
    return to_json(
        await stub.Recommend(RS.RecommendRequest(customer_id=customer_id, context=context, limit=limit))
    )
