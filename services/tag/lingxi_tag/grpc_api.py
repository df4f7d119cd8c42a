"""gRPC API of the tag service.

Customer master data (UpsertCustomer, GetCustomer) is served; the other RPCs of the v1 contract
answer UNIMPLEMENTED until the tag service's own issue builds them.
"""

from __future__ import annotations

import grpc

from lingxi.tag.v1 import (
    audience_service_pb2,
    audience_service_pb2_grpc,
    tag_definition_service_pb2,
    tag_definition_service_pb2_grpc,
    tag_service_pb2,
    tag_service_pb2_grpc,
)
from lingxi_common.db import transaction
from lingxi_common.grpc_server import add_services, current_caller, current_request_id
from lingxi_common.pii import PiiCipher
from lingxi_common.service import ServiceContext
from lingxi_tag import customers

CONTRACTS = [
    (tag_service_pb2, tag_service_pb2_grpc),
    (tag_definition_service_pb2, tag_definition_service_pb2_grpc),
    (audience_service_pb2, audience_service_pb2_grpc),
]


class TagApi(tag_service_pb2_grpc.TagServiceServicer):
    """Customer data RPCs; scope and roles are checked in `customers`, not here."""

    def __init__(self, ctx: ServiceContext, cipher: PiiCipher) -> None:
        self._ctx = ctx
        self._cipher = cipher

    async def UpsertCustomer(
        self, request: tag_service_pb2.UpsertCustomerRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.UpsertCustomerResponse:
        async with transaction(self._ctx.sessions) as session:
            customer, created = await customers.upsert_customer(
                session,
                self._cipher,
                current_caller(),
                request.customer,
                request.update_mask.paths,
                request.expected_version,
                correlation_id=current_request_id() or "",
            )
        return tag_service_pb2.UpsertCustomerResponse(customer=customer, created=created)

    async def GetCustomer(
        self, request: tag_service_pb2.GetCustomerRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.GetCustomerResponse:
        async with transaction(self._ctx.sessions) as session:
            customer = await customers.get_customer(
                session, self._cipher, current_caller(), request.customer_id, request_id=current_request_id()
            )
        return tag_service_pb2.GetCustomerResponse(customer=customer)


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    cipher = PiiCipher.from_base64(ctx.settings.pii_key)
    return add_services(server, CONTRACTS, {"TagService": TagApi(ctx, cipher)})
