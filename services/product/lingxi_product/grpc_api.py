"""gRPC API of the product service.

The v1 contract is served as declared (visible through reflection, health reported), and every
RPC answers UNIMPLEMENTED until the product service's own issue builds it.
"""

from __future__ import annotations

import grpc

from lingxi.product.v1 import (
    product_service_pb2,
    product_service_pb2_grpc,
    recommendation_service_pb2,
    recommendation_service_pb2_grpc,
    suitability_service_pb2,
    suitability_service_pb2_grpc,
)
from lingxi_common.grpc_server import add_services
from lingxi_common.service import ServiceContext

CONTRACTS = [
    (product_service_pb2, product_service_pb2_grpc),
    (recommendation_service_pb2, recommendation_service_pb2_grpc),
    (suitability_service_pb2, suitability_service_pb2_grpc),
]


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    return add_services(server, CONTRACTS, {})
