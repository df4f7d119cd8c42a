"""A stand-in for the tag service's GetCustomer: customers the channel service can look up.

Tests and the channel benchmark use it to run the channel service without the whole tag service;
it speaks the real gRPC contract (lingxi.tag.v1.TagService) behind the real caller interceptor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.errors import NotFound, PermissionDenied
from lingxi_common.grpc_server import add_services, build_server, current_caller
from lingxi_common.identity import Caller
from lingxi_common.settings import DEV_SERVICE_TOKEN


class CustomerBook(tag_service_pb2_grpc.TagServiceServicer):
    """The tag service's GetCustomer contract over real gRPC, holding customers in memory.

    The channel service only reads customer addresses from the tag service; serving that one RPC
    keeps the channel tests and benchmark about the channel service. Like the real one it answers
    only authenticated Lingxi callers, and PII only to roles that may read it.
    """

    def __init__(self) -> None:
        self.customers: dict[str, customer_pb2.Customer] = {}
        self.callers: list[Caller] = []

    async def GetCustomer(
        self, request: tag_service_pb2.GetCustomerRequest, context: object
    ) -> tag_service_pb2.GetCustomerResponse:
        caller = current_caller()
        self.callers.append(caller)
        found = self.customers.get(request.customer_id)
        if found is None:
            raise NotFound("customer", request.customer_id)
        if not caller.may_read_pii:
            raise PermissionDenied("test double only serves PII readers")
        return tag_service_pb2.GetCustomerResponse(customer=found)


@dataclass
class TagDouble:
    book: CustomerBook
    port: int


@asynccontextmanager
async def customer_book() -> AsyncIterator[TagDouble]:
    """A TagService (GetCustomer only) on a free loopback port, for the channel service to call."""
    book = CustomerBook()
    server, _health = build_server(
        service_token=DEV_SERVICE_TOKEN,
        register=lambda srv: add_services(
            srv, [(tag_service_pb2, tag_service_pb2_grpc)], {"TagService": book}
        ),
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield TagDouble(book, port)
    finally:
        await server.stop(0)
