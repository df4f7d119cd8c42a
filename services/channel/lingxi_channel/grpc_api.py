"""gRPC API of the channel service.

The v1 contract is served as declared (visible through reflection, health reported), and every
RPC answers UNIMPLEMENTED until the channel service's own issue builds it.
"""

from __future__ import annotations

import grpc

from lingxi.channel.v1 import (
    channel_service_pb2,
    channel_service_pb2_grpc,
    contact_policy_service_pb2,
    contact_policy_service_pb2_grpc,
    inbox_service_pb2,
    inbox_service_pb2_grpc,
    template_service_pb2,
    template_service_pb2_grpc,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
)
from lingxi_common.grpc_server import add_services
from lingxi_common.service import ServiceContext

CONTRACTS = [
    (channel_service_pb2, channel_service_pb2_grpc),
    (contact_policy_service_pb2, contact_policy_service_pb2_grpc),
    (inbox_service_pb2, inbox_service_pb2_grpc),
    (template_service_pb2, template_service_pb2_grpc),
    (webhook_service_pb2, webhook_service_pb2_grpc),
]


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    return add_services(server, CONTRACTS, {})
