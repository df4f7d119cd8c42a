"""gRPC API of the strategy service.

The v1 contract is served as declared (visible through reflection, health reported), and every
RPC answers UNIMPLEMENTED until the strategy service's own issue builds it.
"""

from __future__ import annotations

import grpc

from lingxi.strategy.v1 import (
    strategy_service_pb2,
    strategy_service_pb2_grpc,
    task_service_pb2,
    task_service_pb2_grpc,
)
from lingxi_common.grpc_server import add_services
from lingxi_common.service import ServiceContext

CONTRACTS = [
    (strategy_service_pb2, strategy_service_pb2_grpc),
    (task_service_pb2, task_service_pb2_grpc),
]


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    return add_services(server, CONTRACTS, {})
