"""gRPC API of the campaign service.

The v1 contract is served as declared (visible through reflection, health reported), and every
RPC answers UNIMPLEMENTED until the campaign service's own issue builds it.
"""

from __future__ import annotations

import grpc

from lingxi.campaign.v1 import (
    campaign_service_pb2,
    campaign_service_pb2_grpc,
)
from lingxi_common.grpc_server import add_services
from lingxi_common.service import ServiceContext

CONTRACTS = [
    (campaign_service_pb2, campaign_service_pb2_grpc),
]


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    return add_services(server, CONTRACTS, {})
