"""gRPC API of the points service.

Member look-up is served; the ledger, earning rules, rewards and redemptions of the v1 contract
answer UNIMPLEMENTED until the points service's own issue builds them.
"""

from __future__ import annotations

import grpc

from lingxi.points.v1 import (
    points_service_pb2,
    points_service_pb2_grpc,
    reward_service_pb2,
    reward_service_pb2_grpc,
)
from lingxi_common.db import transaction
from lingxi_common.grpc_server import add_services, current_caller
from lingxi_common.service import ServiceContext
from lingxi_points import members

CONTRACTS = [
    (points_service_pb2, points_service_pb2_grpc),
    (reward_service_pb2, reward_service_pb2_grpc),
]


class PointsApi(points_service_pb2_grpc.PointsServiceServicer):
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def GetMember(
        self, request: points_service_pb2.GetMemberRequest, context: grpc.aio.ServicerContext
    ) -> points_service_pb2.GetMemberResponse:
        async with transaction(self._ctx.sessions) as session:
            member = await members.get_member(session, current_caller(), request.customer_id)
        return points_service_pb2.GetMemberResponse(member=member)


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    return add_services(server, CONTRACTS, {"PointsService": PointsApi(ctx)})
