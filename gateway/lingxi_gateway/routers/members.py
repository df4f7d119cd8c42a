"""Points members through the gateway: a customer reads their own, staff within their scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from google.protobuf.json_format import MessageToDict

from lingxi.points.v1 import points_service_pb2, points_service_pb2_grpc
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1/points/members", tags=["points"])


@router.get("/{customer_id}", summary="A points member account, within the caller's data scope")
async def get_member(customer_id: str, upstream: UpstreamDep) -> dict[str, Any]:
    stub = points_service_pb2_grpc.PointsServiceStub(upstream.channel("points"))
    result = await stub.GetMember(points_service_pb2.GetMemberRequest(customer_id=customer_id))
    member = MessageToDict(
        result.member, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return {"member": member}
